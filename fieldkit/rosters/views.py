"""Roster pages: list, detail, create/edit, (de)activate, history, import with preview, export, households."""

import io
import json
from datetime import UTC
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ..auth import audit
from ..auth.access import current_scope, login_required, page_commune, role_required
from ..db import get_db
from ..instance import site_id
from ..reference import OUTREACH_CHANNELS, ethnic_groups
from ..units.units import commune_by_code
from . import pending
from .forms import GroupForm, ReachedForm, UploadForm
from .groups import (
    FIELD_LABELS,
    KIND_LABELS,
    GroupError,
    add_group,
    commune_counts,
    get_group_by_uuid,
    list_groups,
    search_groups,
    shown_value,
    update_group,
)
from .households import export_households, household_counts, import_households, list_households, mark_reached
from .roster_file import export_roster
from .roster_import import default_kind, import_roster
from .spreadsheet import parse_date

bp = Blueprint("rosters", __name__, url_prefix="/rosters")
EDITORS = ("commune_admin", "central_admin")
UPLOAD_DIR = "uploads/roster-imports"
PREVIEW_MINUTES = 30


def _group_or_404(group_uuid):
    group = get_group_by_uuid(get_db(), current_scope(), group_uuid)
    if group is None:
        abort(404)
    return group


def _tristate(value):
    return {"1": True, "0": False}.get(value)


@bp.route("/")
@login_required
def index():
    """The groups of one commune, searched and filtered."""
    db, scope = get_db(), current_scope()
    commune = page_commune()
    code = commune["code"]
    filters = {
        "q": request.args.get("q", "").strip(),
        "kind": request.args.get("kind", ""),
        "active": request.args.get("active", "1"),
        "papi": request.args.get("papi", ""),
    }
    groups = search_groups(
        db, scope, code, filters["q"], filters["kind"] or None, _tristate(filters["active"]), _tristate(filters["papi"])
    )
    return render_template(
        "rosters/list.html",
        commune=commune,
        groups=groups,
        filters=filters,
        counts=commune_counts(db, scope, code),
        kinds=KIND_LABELS,
        can_edit=scope.can(*EDITORS),
        reach=household_counts(db, scope, code),
    )


@bp.route("/groups/<group_uuid>")
@login_required
def detail(group_uuid):
    """One group: head, counts, cultural house, PAPI years."""
    db, scope = get_db(), current_scope()
    group = _group_or_404(group_uuid)
    return render_template(
        "rosters/detail.html",
        group=group,
        commune=commune_by_code(db, group["commune_code"]),
        can_edit=scope.can(*EDITORS),
        reach=household_counts(db, scope, group["commune_code"]).get(group["uuid"]),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new():
    """Add a group to a commune."""
    commune = page_commune()
    form = GroupForm() if request.method == "POST" else GroupForm(data={"kind": default_kind(commune)})
    if form.validate_on_submit():
        try:
            group = add_group(get_db(), current_scope(), site_id(current_app), commune["code"], form.fields())
        except GroupError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Đã thêm %(name)s.", name=group["name"]), "success")
            return redirect(url_for("rosters.detail", group_uuid=group["uuid"]))
    return render_template("rosters/edit.html", form=form, commune=commune, group=None)


@bp.route("/groups/<group_uuid>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(group_uuid):
    """Change a group's fields."""
    group = _group_or_404(group_uuid)
    form = GroupForm() if request.method == "POST" else GroupForm.from_group(group)
    if form.validate_on_submit():
        try:
            update_group(get_db(), current_scope(), group, form.fields())
        except GroupError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Đã lưu thay đổi."), "success")
            return redirect(url_for("rosters.detail", group_uuid=group_uuid))
    commune = commune_by_code(get_db(), group["commune_code"])
    return render_template("rosters/edit.html", form=form, commune=commune, group=group)


@bp.route("/groups/<group_uuid>/active", methods=["POST"])
@role_required(*EDITORS)
def set_active(group_uuid):
    """Deactivate or reactivate a group; records pointing to it keep working."""
    group = _group_or_404(group_uuid)
    active = 1 if request.form.get("active") == "1" else 0
    action = "group.reactivate" if active else "group.deactivate"
    update_group(get_db(), current_scope(), group, {"active": active}, action=action)
    flash(_("Đã cho hoạt động lại.") if active else _("Đã ngừng hoạt động; dữ liệu cũ vẫn được giữ."), "success")
    return redirect(url_for("rosters.detail", group_uuid=group_uuid))


@bp.route("/groups/<group_uuid>/history")
@login_required
def history(group_uuid):
    """A group's changes, from the audit log."""
    group = _group_or_404(group_uuid)
    entries = []
    for entry in audit.history(get_db(), "residential_groups", group["uuid"]):
        detail = json.loads(entry["detail"]) if entry["detail"] else {}
        entries.append({**entry, "detail": detail, "changes": detail.get("changes", {})})
    labels = {
        "group.create": _("Tạo mới"),
        "group.update": _("Sửa"),
        "group.import": _("Cập nhật từ tệp"),
        "group.deactivate": _("Ngừng hoạt động"),
        "group.reactivate": _("Cho hoạt động lại"),
        "households.import": _("Nhập danh sách hộ"),
    }
    return render_template(
        "rosters/history.html", group=group, entries=entries, labels=labels, field_labels=FIELD_LABELS
    )


# --- export and import ----------------------------------------------------------------------


def _download(data, filename):
    mimetype = (
        "text/csv" if filename.endswith(".csv") else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)


@bp.route("/export")
@login_required
def export():
    """Download a commune's roster as .xlsx or .csv."""
    commune = page_commune()
    extension = "csv" if request.args.get("format") == "csv" else "xlsx"
    groups = list_groups(get_db(), current_scope(), commune["code"], active_only=False)
    filename = f"thon-to-dan-pho-{commune['code']}-{_local_today().isoformat()}.{extension}"
    title = f"DANH SÁCH THÔN, TỔ DÂN PHỐ - {commune['name'].upper()}"
    return _download(export_roster(groups, filename, title=title), filename)


def _pending_folder():
    return Path(current_app.instance_path) / UPLOAD_DIR


@bp.route("/import", methods=["GET", "POST"])
@role_required(*EDITORS)
def import_upload():
    """Upload a file and show what importing it would do; nothing is saved yet."""
    commune = page_commune()
    form = UploadForm()
    plan = None
    folder, scope = _pending_folder(), current_scope()
    # Files previewed and never confirmed hold personal data: minutes, not days. A visit here
    # (a new upload, or "cancel") abandons this user's earlier preview.
    pending.forget_stale(folder, PREVIEW_MINUTES * 60)
    pending.forget_users(folder, scope.user_id)
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        plan = import_roster(
            get_db(), scope, site_id(current_app), commune["code"], data, upload.filename, dry_run=True
        )
        if plan.ok:
            token = pending.keep(folder, scope.user_id, commune["code"], upload.filename, data)
            return render_template(
                "rosters/import.html", form=form, commune=commune, plan=plan, token=token, field_labels=FIELD_LABELS
            )
    return render_template(
        "rosters/import.html", form=form, commune=commune, plan=plan, token=None, field_labels=FIELD_LABELS
    )


@bp.route("/import/confirm", methods=["POST"])
@role_required(*EDITORS)
def import_confirm():
    """Import the file this user previewed (named by the token the preview page carries)."""
    scope = current_scope()
    kept = pending.take(_pending_folder(), request.form.get("token"), scope.user_id, PREVIEW_MINUTES * 60)
    if kept is None:
        flash(_("Phiên nhập tệp đã hết hạn. Hãy tải tệp lên lại."), "error")
        return redirect(url_for("rosters.import_upload", commune=request.args.get("commune")))
    commune = page_commune(kept["commune"])
    plan = import_roster(get_db(), scope, site_id(current_app), commune["code"], kept["data"], kept["filename"])
    if not plan.ok:
        return render_template(
            "rosters/import.html", form=UploadForm(), commune=commune, plan=plan, token=None, field_labels=FIELD_LABELS
        )
    counts = plan.summary()
    flash(_("Đã nhập: thêm %(added)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s.", **counts), "success")
    return redirect(url_for("rosters.index", commune=commune["code"]))


# --- households -------------------------------------------------------------------------------


@bp.route("/groups/<group_uuid>/households", methods=["GET", "POST"])
@login_required
def households(group_uuid):
    """A group's household list; admins import it here."""
    db, scope = get_db(), current_scope()
    group = _group_or_404(group_uuid)
    form = UploadForm()
    plan = None
    if request.method == "POST":
        if not scope.can(*EDITORS):
            abort(403)
        if form.validate_on_submit():
            upload = form.file.data
            plan = import_households(db, scope, group, upload.read(), upload.filename)
            if plan.ok:
                flash(
                    _(
                        "Đã nhập danh sách hộ: thêm %(added)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s.",
                        **plan.summary(),
                    ),
                    "success",
                )
                return redirect(url_for("rosters.households", group_uuid=group_uuid))
    rows = list_households(db, scope, group)
    return render_template(
        "rosters/households.html",
        group=group,
        households=rows,
        form=form,
        plan=plan,
        reached_form=ReachedForm(data={"reached_on": _local_today().isoformat()}),
        channels=dict(OUTREACH_CHANNELS),
        ethnic_names=dict(ethnic_groups()),
        can_edit=scope.can(*EDITORS),
    )


def _local_today():
    """Today where the commune is, not on the server's clock (UTC at 6 a.m. in Lào Cai is yesterday)."""
    from datetime import datetime

    from flask_babel import to_user_timezone

    return to_user_timezone(datetime.now(UTC)).date()


@bp.route("/groups/<group_uuid>/households/export")
@login_required
def households_export(group_uuid):
    """Download a group's household list."""
    group = _group_or_404(group_uuid)
    extension = "csv" if request.args.get("format") == "csv" else "xlsx"
    filename = f"ho-gia-dinh-{group['name_key'].replace(' ', '-')}.{extension}"
    return _download(export_households(list_households(get_db(), current_scope(), group), filename), filename)


@bp.route("/households/<household_uuid>/reached", methods=["POST"])
@login_required
def household_reached(household_uuid):
    """Officers do the visits, so they may mark a household reached (or clear it)."""
    db, scope = get_db(), current_scope()
    form = ReachedForm()
    if request.form.get("clear") == "1":
        household = mark_reached(db, scope, household_uuid, None, None)
        flash(_("Đã bỏ đánh dấu."), "success")
    elif form.validate_on_submit():
        household = mark_reached(db, scope, household_uuid, parse_date(form.reached_on.data), form.channel.data)
        flash(_("Đã ghi nhận hộ %(name)s đã được tuyên truyền.", name=household["head_name"]), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        rows = list(scope.rows(db["households"], "uuid = ?", [household_uuid], limit=1))
        if not rows:
            abort(404)
        household = rows[0]
    group = db["residential_groups"].get(household["group_id"])
    return redirect(url_for("rosters.households", group_uuid=group["uuid"]) + f"#h-{household_uuid}")


@bp.app_template_filter("kind_label")
def kind_label(kind):
    """The label of a group kind in the user's language."""
    return KIND_LABELS.get(kind, kind)


bp.app_template_filter("roster_value")(shown_value)
