"""Public explainer pages (no login) and the central admin's editor."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.access import current_scope, role_required
from ..db import get_db
from ..reference import LANGUAGES
from . import content
from .site import LANGUAGE_NAMES, page_context

bp = Blueprint("explainer", __name__, url_prefix="/explain")


def _language(db):
    """?lang= (remembered for the next pages), else the remembered one, else the interface language."""
    available = content.languages(db)
    asked = request.args.get("lang")
    if asked in available:
        session["explain_lang"] = asked
        return asked
    for candidate in (session.get("explain_lang"), session.get("lang")):
        if candidate in available:
            return candidate
    return content.DEFAULT_LANG


def _render(template, content_lang, **context):
    # The page's fixed words follow the content language when the interface has it.
    locale = (
        content_lang if content_lang in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    with force_locale(locale):
        return render_template(template, **context)


def editable_languages():
    """Interface languages plus the residents' languages of the shared list (Mông, Dao, Tày…)."""
    return list(dict.fromkeys([*current_app.config["LANGUAGES"], *(code for code, _ in LANGUAGES if code != "other")]))


@bp.route("/")
def index():
    db = get_db()
    lang = _language(db)
    return _render("explainer/index.html", lang, **page_context(db, lang, None))


@bp.route("/<slug>")
def page(slug):
    db = get_db()
    if not content.SLUG.match(slug):
        abort(404)
    lang = _language(db)
    context = page_context(db, lang, slug)
    if context["page"] is None:
        abort(404)
    return _render("explainer/page.html", lang, **context)


@bp.route("/manage/")
@role_required("central_admin")
def manage():
    db = get_db()
    pages = {lang: content.list_pages(db, lang) for lang in content.languages(db)}
    missing = [code for code in editable_languages() if code not in pages]
    return render_template(
        "explainer/manage.html",
        pages=pages,
        names=LANGUAGE_NAMES,
        missing=missing,
        topics=content.list_pages(db, content.DEFAULT_LANG),
    )


@bp.route("/manage/<lang>/<slug>", methods=["GET", "POST"])
@role_required("central_admin")
def edit(lang, slug):
    """Edit a page: saving makes a new version; earlier versions stay."""
    db = get_db()
    if not content.SLUG.match(slug) or lang not in editable_languages():
        abort(404)
    # A page not yet in this language starts from the Vietnamese text, for the translator to replace.
    current = content.get_page(db, slug, lang)
    if current is None:
        abort(404)
    title = request.form.get("title", current["title"])
    body = request.form.get("body", current["body"])
    if request.method == "POST":
        errors = []
        if not title.strip():
            errors.append(_("Hãy nhập tiêu đề."))
        if not body.strip():
            errors.append(_("Hãy nhập nội dung."))
        if len(body) > 20000:
            errors.append(_("Nội dung quá dài (tối đa 20.000 ký tự)."))
        if not errors:
            row = content.save_version(
                db, current_scope(), current_app.config["SITE_ID"] or "central", slug, lang, title, body
            )
            flash(_("Đã lưu phiên bản %(version)s.", version=row["version"]), "success")
            return redirect(url_for("explainer.edit", lang=lang, slug=slug))
        for error in errors:
            flash(error, "error")
    return render_template(
        "explainer/edit.html",
        lang=lang,
        slug=slug,
        title=title,
        body=body,
        versions=content.versions(db, slug, lang),
        preview=content.render_markdown(body),
        names=LANGUAGE_NAMES,
    )


@bp.route("/manage/translate")
@role_required("central_admin")
def translate():
    """Open the editor for a topic in a language chosen from the form."""
    return redirect(url_for("explainer.edit", lang=request.args.get("lang", ""), slug=request.args.get("slug", "")))
