"""Pages: the form list, the mobile form, records (list, detail, edit, delete, history), conflicts."""

import hashlib
import re
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..auth.access import current_scope, login_required, page_commune, role_required
from ..changes import new_uuid
from ..db import get_db
from ..formspec import registry
from ..formspec.display import display_rows
from ..formspec.html import form_class, form_values
from ..formspec.labels import label_text
from ..formspec.resolve import as_json, resolved_choices
from ..formspec.types import field_type
from ..formspec.validate import validate
from ..i18n import current_language
from ..instance import site_id
from ..reference import OUTREACH_CHANNELS
from ..rosters.groups import list_groups
from ..units.units import commune_by_code
from ..values import parse_date
from . import conflicts as conflict_ops
from . import media, records

bp = Blueprint("submissions", __name__)
PAGE_SIZE = 30
MAX_PAGE = 10**6


def _title(definition):
    return label_text(definition.data["title"], current_language())


@bp.route("/forms/")
@login_required
def forms_index():
    return render_template("submissions/forms.html", forms=registry().all_current(), title_of=_title)


@bp.route("/forms/<form_id>/new", methods=["GET", "POST"])
@login_required
def new_record(form_id):
    """The mobile form; works as a plain POST without JavaScript."""
    definition = registry().current(form_id) or abort(404)
    commune = page_commune()
    return _fill(definition, commune["code"], None)


def _fill(definition, commune, current):
    """Show and save the form, for a new record (current is None) or a new version of one."""
    db = get_db()
    scope = current_scope()
    forms = registry()
    groups = list_groups(db, scope, commune)
    choices = resolved_choices(definition, forms.shared_lists, groups)
    Form = form_class(definition, choices, current_language())
    if request.method == "GET":
        data = records.decode(current)["data"] if current else _starting_values(definition, choices)
        form = Form(data=form_values(definition, data))
    else:
        form = Form()
    status = 200
    if form.validate_on_submit():
        outcome, errors = _save(db, scope, definition, commune, form, current)
        if outcome is not None:
            return _after_save(outcome, current)
        left = form.show_errors(errors)
        for text in left.values():
            flash(text, "error")
        flash(_("Chưa lưu được. Hãy sửa các mục báo lỗi."), "error")
        status = 422
    elif request.method == "POST":
        flash(_("Phiên làm việc đã hết hạn. Hãy gửi lại biểu mẫu."), "error")
        status = 400
    photos = {}
    if current:
        for row in media.for_record(db, scope, [v["uuid"] for v in records.history(db, scope, current["root_uuid"])]):
            photos.setdefault(row["field"], []).append(row)
    commune_row = commune_by_code(db, commune)
    return render_template(
        "submissions/fill.html",
        form=form,
        definition=definition,
        definition_json={**as_json(definition, forms.shared_lists, groups, current_language()), "commune": commune},
        today=date.today().isoformat(),
        title=_title(definition),
        commune=commune,
        commune_name=commune_row["name"] if commune_row else commune,
        current=current,
        photos=photos,
        lang=current_language(),
        has_groups=all(choices.get(f["name"]) for f in definition.fields if field_type(f).roster),
    ), status


def _starting_values(definition, choices):
    """A new record starts with today in its date fields and what the link that opened it says:
    `?date=…&topic=…` from the broadcast plan, `?group=<uuid>` from a residential group's page.
    A value the form would refuse is left out."""
    given = {}
    for f in definition.fields:
        name = f["name"]
        if field_type(f).starting_value() is not None:
            given[name] = field_type(f).starting_value()
        if field_type(f).roster and request.args.get("group"):
            given[name] = request.args.get(name) or request.args["group"]
        elif name in request.args:
            given[name] = request.args.getlist(name) if field_type(f).many else request.args[name]
    clean, _errors = validate(definition, given, choices)
    return clean


def _save(db, scope, definition, commune, form, current):
    """Check photos, then hand the record to the same operation the API uses."""
    data = form.raw_data()
    errors, uploads = {}, []
    limit = current_app.config["MEDIA_MAX_BYTES"]
    for f in definition.fields:
        if not field_type(f).upload:
            continue
        upload = request.files.get(f["name"])
        content = upload.read(limit + 1) if upload and upload.filename else b""
        if content:
            try:
                media.inspect(content, limit)
            except media.Rejected as rejected:
                errors[f["name"]] = rejected.errors["file"]
                continue
            uploads.append((f["name"], content))
            data[f["name"]] = [hashlib.sha256(content).hexdigest()]
        elif current:
            kept = records.decode(current)["data"].get(f["name"])
            if kept:
                data[f["name"]] = kept
    if errors:
        return None, errors
    submitted_uuid = (form.uuid.data or "").strip().lower()
    payload = {
        "uuid": submitted_uuid if records.UUID.match(submitted_uuid) else new_uuid(),
        "form_id": definition.id,
        "form_version": definition.version,
        "commune": commune,
        "data": data,
    }
    if current:
        payload["replaces"] = current["uuid"]
    try:
        outcome = records.receive(db, scope, site_id(current_app), registry(), payload, current_language())
    except records.Invalid as invalid:
        return None, invalid.errors
    if outcome.status == "created":
        for name, content in uploads:
            media.attach(
                db,
                scope,
                site_id(current_app),
                media.media_dir(current_app),
                outcome.row["uuid"],
                name,
                content,
                limit,
            )
    return outcome, {}


def _after_save(outcome, current):
    if outcome.status == "conflict":
        flash(_("Bản ghi đã được người khác sửa trước. Bản của bạn được giữ lại để quản trị xã xem xét."), "error")
        return redirect(url_for("submissions.record_list"))
    for text in outcome.warnings.values():
        flash(text, "error")
    if outcome.status == "unchanged":
        flash(_("Không có thay đổi nào để lưu.") if current else _("Bản ghi này đã được lưu trước đó."), "info")
    else:
        flash(_("Đã lưu bản sửa.") if current else _("Đã lưu bản ghi."), "success")
    return redirect(url_for("submissions.record_detail", root_uuid=outcome.row["root_uuid"]))


@bp.route("/records/")
@login_required
def record_list():
    db = get_db()
    scope = current_scope()
    forms = registry()
    args = request.args
    filters = {
        "form_id": args.get("form") if forms.current(args.get("form") or "") else None,
        "date_from": _iso_date(args.get("from")),
        "date_to": _iso_date(args.get("to")),
        "group_uuid": args.get("group") or None,
        "channel": args.get("channel") or None,
        "communes": tuple(code for code in args.getlist("commune") if code.isdigit()),
    }
    # Past the last page shows an empty page; a page number past SQLite's integers must not reach it.
    page = min(max(1, int(args["page"])), MAX_PAGE) if (args.get("page") or "").isdigit() else 1
    total, rows = records.search(db, scope, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **filters)
    groups = {g["uuid"]: g["name"] for g in list_groups(db, scope, active_only=False)}
    thumbs = {}
    for row in media.for_record(db, scope, [r["uuid"] for r in rows]):
        thumbs.setdefault(row["submission_uuid"], row)
    return render_template(
        "submissions/list.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        args=args,
        forms=forms.all_current(),
        title_of=_title,
        form_titles={d.id: _title(d) for d in forms.all_current()},
        page_args={k: v for k, v in args.items() if k != "page"},
        groups=groups,
        channels=[(v, str(label)) for v, label in OUTREACH_CHANNELS],
        channel_names={v: str(label) for v, label in OUTREACH_CHANNELS},
        thumbs=thumbs,
    )


def _iso_date(text):
    try:
        return parse_date(text).isoformat() if text else None
    except ValueError:
        return None


def _record_context(root_uuid):
    db = get_db()
    scope = current_scope()
    versions = records.history(db, scope, root_uuid)
    if not versions:
        abort(404)
    forms = registry()
    return db, scope, forms, versions


def _choices_all(db, scope, forms, definition, commune):
    """Choices for showing a record: include groups no longer active, so old records read well."""
    groups = list_groups(db, scope, commune, active_only=False)
    return resolved_choices(definition, forms.shared_lists, groups)


@bp.route("/records/<root_uuid>")
@login_required
def record_detail(root_uuid):
    db, scope, forms, versions = _record_context(root_uuid)
    latest = versions[-1]
    definition = forms.get(db, latest["form_id"], latest["form_version"])
    shown = latest if not latest["deleted"] else (versions[-2] if len(versions) > 1 else latest)
    choices = _choices_all(db, scope, forms, definition, latest["commune_code"])
    photos = media.for_record(db, scope, [v["uuid"] for v in versions])
    commune_row = commune_by_code(db, latest["commune_code"])
    return render_template(
        "submissions/detail.html",
        record=latest,
        versions=versions,
        title=_title(definition),
        definition=definition,
        values=display_rows(definition, shown["data"], choices, current_language()),
        photos=photos,
        commune_name=commune_row["name"] if commune_row else latest["commune_code"],
    )


def _live_version(root_uuid):
    """(db, scope, current version) of a record in scope; the version is None, with a message, once deleted."""
    db = get_db()
    scope = current_scope()
    current = records.current_version(db, scope, root_uuid)
    if current["deleted"]:
        flash(_("Bản ghi này đã bị xóa."), "error")
        return db, scope, None
    return db, scope, current


@bp.route("/records/<root_uuid>/edit", methods=["GET", "POST"])
@login_required
def record_edit(root_uuid):
    db, scope, current = _live_version(root_uuid)
    if current is None:
        return redirect(url_for("submissions.record_detail", root_uuid=root_uuid))
    definition = registry().get(db, current["form_id"], current["form_version"])
    return _fill(definition, current["commune_code"], current)


@bp.route("/records/<root_uuid>/delete", methods=["GET", "POST"])
@login_required
def record_delete(root_uuid):
    db, scope, current = _live_version(root_uuid)
    if current is None:
        return redirect(url_for("submissions.record_list"))
    form = FlaskForm()
    if form.validate_on_submit():
        records.delete(db, scope, site_id(current_app), registry(), root_uuid)
        flash(_("Đã xóa bản ghi. Các phiên bản cũ vẫn được lưu trong lịch sử."), "success")
        return redirect(url_for("submissions.record_list"))
    definition = registry().get(db, current["form_id"], current["form_version"])
    return render_template("submissions/delete.html", form=form, record=current, title=_title(definition))


@bp.route("/records/<root_uuid>/history")
@login_required
def record_history(root_uuid):
    db, scope, forms, versions = _record_context(root_uuid)
    shown = []
    for version in versions:
        definition = forms.get(db, version["form_id"], version["form_version"])
        choices = _choices_all(db, scope, forms, definition, version["commune_code"])
        shown.append((version, display_rows(definition, version["data"], choices, current_language())))
    first = forms.get(db, versions[0]["form_id"], versions[0]["form_version"])
    return render_template("submissions/history.html", versions=shown, root_uuid=root_uuid, title=_title(first))


@bp.route("/conflicts/")
@role_required("commune_admin", "central_admin")
def conflict_list():
    rows = conflict_ops.open_conflicts(get_db(), current_scope())
    return render_template("submissions/conflicts.html", rows=rows, forms=registry(), title_of=_title)


@bp.route("/conflicts/<conflict_uuid>", methods=["GET", "POST"])
@role_required("commune_admin", "central_admin")
def conflict_review(conflict_uuid):
    db = get_db()
    scope = current_scope()
    forms = registry()
    conflict = conflict_ops.get(db, scope, conflict_uuid)
    existing = records.find(db, conflict["submission_uuid"])
    if existing is None or not scope.allows(existing["commune_code"]):
        existing = None
    form = FlaskForm()
    if form.validate_on_submit() and not conflict["resolved_at"]:
        choice = request.form.get("resolution")
        try:
            conflict_ops.resolve(db, scope, site_id(current_app), forms, conflict, choice)
        except records.Invalid as invalid:
            flash(
                _("Không dùng được bản này: %(errors)s", errors="; ".join(map(str, invalid.errors.values()))), "error"
            )
        else:
            flash(_("Đã xử lý bản ghi trùng."), "success")
            return redirect(url_for("submissions.conflict_list"))
    definition = forms.get(db, conflict["form_id"], conflict["form_version"])
    choices = _choices_all(db, scope, forms, definition, conflict["commune_code"])
    current = None
    if existing is not None:
        current = records.current_version(db, scope, existing["root_uuid"])
    copy_values = display_rows(definition, records.decode(conflict)["data"], choices, current_language())
    current_values = (
        display_rows(definition, records.decode(current)["data"], choices, current_language()) if current else []
    )
    shown_now = {row[3]: row[1] for row in current_values}
    shown_copy = {row[3]: row[1] for row in copy_values}
    return render_template(
        "submissions/conflict.html",
        form=form,
        conflict=conflict,
        title=_title(definition),
        copy_values=copy_values,
        current=current,
        current_values=current_values,
        changed={name for name in shown_now.keys() | shown_copy.keys() if shown_now.get(name) != shown_copy.get(name)},
    )


@bp.route("/media/<sha256>")
@login_required
def media_file(sha256):
    row = _media_row(sha256)
    return send_file(media.file_path(media.media_dir(current_app), row), mimetype=row["mime"], max_age=86400)


@bp.route("/media/<sha256>/thumb")
@login_required
def media_thumb(sha256):
    _media_row(sha256)
    return send_file(media.thumb_path(media.media_dir(current_app), sha256), mimetype="image/jpeg", max_age=86400)


def _media_row(sha256):
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        abort(404)
    rows = list(current_scope().rows(get_db()["media"], "sha256 = ?", [sha256], limit=1))
    if not rows:
        abort(404)
    return rows[0]
