"""Public explainer pages and their recordings (no login), the central admin's editor, the recording page."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.access import current_scope, page_commune, role_required
from ..db import get_db
from ..instance import site_id
from ..reference import LANGUAGES
from ..shell import CONTENT_SECURITY_POLICY
from ..submissions.media import Rejected
from . import audio, content
from .scripts import get_script
from .site import AUTONYMS, LANGUAGE_NAMES, page_context, public_languages

bp = Blueprint("explainer", __name__, url_prefix="/explain")


def _language(db):
    """?lang= (remembered for the next pages), else the remembered one, else the interface language."""
    available = public_languages(db)
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


def audio_dir():
    return audio.store_dir(current_app)


@bp.route("/")
def index():
    db = get_db()
    lang = _language(db)
    return _render("explainer/index.html", lang, **page_context(db, lang, None))


@bp.route("/listen")
def listen():
    """Every page's recording in one language: where a poster's audio QR leads."""
    db = get_db()
    lang = _language(db)
    context = page_context(db, lang, None)
    titles = {p["slug"]: p["title"] for p in context["topics"]}
    recordings = [r for r in audio.current(db, "page", lang=lang) if r["slug"] in titles]
    recordings.sort(key=lambda r: list(titles).index(r["slug"]))
    return _render("explainer/listen.html", lang, titles=titles, listen=recordings, **context)


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


@bp.route("/audio/<uuid>")
def recording_file(uuid):
    """A recording, with range requests (206) so cheap phones can play and seek; scripts need a login."""
    row = audio.get(get_db(), uuid)
    if row is None or (row["kind"] != "page" and g.get("scope") is None):
        abort(404)
    name = f"{audio.code(row)}.{row['extension']}"
    return send_file(
        audio.file_path(audio_dir(), row),
        mimetype=row["mime"],
        as_attachment=bool(request.args.get("download")),
        download_name=name,
        conditional=True,
        max_age=86400,
    )


@bp.route("/manage/")
@role_required("central_admin")
def manage():
    db = get_db()
    pages = {lang: content.list_pages(db, lang, published=False) for lang in content.languages(db)}
    for lang in {row[0] for row in db.execute("SELECT DISTINCT lang FROM explainer_pages")} - set(pages):
        pages[lang] = content.list_pages(db, lang, published=False)
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
    """Edit a page: saving makes a new draft version; a second person checks it, then it is published."""
    db = get_db()
    if not content.SLUG.match(slug) or lang not in editable_languages():
        abort(404)
    # A page not yet in this language starts from the Vietnamese text, for the translator to replace.
    current = content.get_page(db, slug, lang, published=False)
    if current is None:
        abort(404)
    if request.method == "POST" and request.form.get("step"):
        try:
            version = int(request.form.get("version", ""))
            row = content.review(db, current_scope(), slug, lang, version, request.form["step"])
        except ValueError as error:
            flash(str(error) if isinstance(error, content.ReviewError) else _("Thao tác không hợp lệ."), "error")
        else:
            done = _("Đã công bố") if row["status"] == "published" else _("Đã xác nhận kiểm tra")
            flash(_("%(done)s phiên bản %(version)s.", done=done, version=row["version"]), "success")
        return redirect(url_for("explainer.edit", lang=lang, slug=slug))
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
            row = content.save_version(db, current_scope(), site_id(current_app), slug, lang, title, body)
            flash(_("Đã lưu bản nháp, phiên bản %(version)s.", version=row["version"]), "success")
            return redirect(url_for("explainer.edit", lang=lang, slug=slug))
        for error in errors:
            flash(error, "error")
    source = content.get_page(db, slug, content.DEFAULT_LANG) if lang != content.DEFAULT_LANG else None
    return render_template(
        "explainer/edit.html",
        lang=lang,
        slug=slug,
        title=title,
        body=body,
        versions=content.versions(db, slug, lang),
        preview=content.render_markdown(body),
        source=source,
        source_html=content.render_markdown(source["body"]) if source else "",
        names=LANGUAGE_NAMES,
        username=current_scope().username,
    )


@bp.route("/manage/translate")
@role_required("central_admin")
def translate():
    """Open the editor for a topic in a language chosen from the form."""
    return redirect(url_for("explainer.edit", lang=request.args.get("lang", ""), slug=request.args.get("slug", "")))


@bp.route("/manage/audio/<kind>/<slug>", methods=["GET", "POST"])
@role_required("commune_admin", "central_admin")
def recordings(kind, slug):
    """Record in the browser or upload a recording of a page or script, per language; older versions stay."""
    db = get_db()
    if kind not in audio.KINDS or not content.SLUG.match(slug):
        abort(404)
    title = audio.target_title(db, kind, slug) or abort(404)
    # A site's recording is filed under its commune, so it can travel up to Sở Nội vụ; a central's under none.
    commune = None if current_scope().is_central else page_commune()
    languages = editable_languages()
    lang = request.values.get("lang") if request.values.get("lang") in languages else languages[-1]
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        config = current_app.config
        try:
            if lang not in languages:
                raise Rejected({"lang": audio.MESSAGES["lang"]})
            row = audio.add_recording(
                db,
                current_scope(),
                site_id(current_app),
                audio_dir(),
                kind,
                slug,
                lang,
                upload.read() if upload else b"",
                request.form.get("speaker", ""),
                (config["AUDIO_MAX_BYTES"], config["AUDIO_MAX_SECONDS"]),
                commune["code"] if commune else None,
            )
        except Rejected as error:
            for message in error.errors.values():
                flash(str(message), "error")
            status = 422
        else:
            flash(
                _(
                    "Đã lưu bản ghi âm %(code)s (%(length)s).",
                    code=audio.code(row),
                    length=audio.minutes_seconds(row["seconds"]),
                ),
                "success",
            )
            back = {"commune": commune["code"]} if commune and len(current_scope().communes) > 1 else {}
            return redirect(url_for("explainer.recordings", kind=kind, slug=slug, lang=lang, **back))
    response = current_app.make_response(
        (
            render_template(
                "explainer/recordings.html",
                kind=kind,
                slug=slug,
                title=title,
                commune=commune,
                lang=lang,
                languages=languages,
                names=LANGUAGE_NAMES,
                autonyms=AUTONYMS,
                text=_reading_text(db, kind, slug, lang),
                history=audio.history(db, kind, slug),
                max_mb=current_app.config["AUDIO_MAX_BYTES"] // (1024 * 1024),
                max_minutes=round(current_app.config["AUDIO_MAX_SECONDS"] / 60),
            ),
            status,
        )
    )
    # Only this page may use the microphone and play back what it just recorded (a blob: address).
    response.headers["Permissions-Policy"] = "camera=(), geolocation=(), microphone=(self)"
    response.headers["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; media-src 'self' blob:"
    return response


def _reading_text(db, kind, slug, lang):
    """What the speaker reads: the page in this language (else Vietnamese) as HTML, or the script's paragraphs."""
    if kind == "page":
        page = content.get_page(db, slug, lang)
        return {"title": page["title"], "html": content.render_markdown(page["body"])}
    script = get_script(slug)
    return {"title": script["title"], "paragraphs": script["paragraphs"]}


@bp.app_template_filter("audio_length")
def audio_length(seconds):
    return audio.minutes_seconds(seconds)


@bp.app_template_filter("language_name")
def language_name(code):
    return LANGUAGE_NAMES.get(code, code)
