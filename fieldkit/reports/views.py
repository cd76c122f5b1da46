"""Pages: the dashboard (also the admins' home), its report downloads, the implementation documents."""

import os
import re
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup

from ..auth.access import current_scope, login_required, role_required
from ..db import get_db
from ..units.units import commune_by_code
from ..values import parse_date
from . import charts, documents, exports, queries
from .cli import report_heading
from .units_map import ERAS

bp = Blueprint("reports", __name__)
CHOICES_MAX = 300


def filters_from(args):
    """Filters from a query string; a bad date is dropped with a Vietnamese message."""
    dates = {}
    for key in ("from", "to"):
        text = (args.get(key) or "").strip()
        if text:
            try:
                dates[key] = parse_date(text).isoformat()
            except ValueError:
                flash(_("Ngày “%(text)s” không hợp lệ; hãy nhập theo dạng ngày/tháng/năm.", text=text), "error")
    if dates.get("from") and dates.get("to") and dates["from"] > dates["to"]:
        flash(_("Ngày bắt đầu phải trước ngày kết thúc."), "error")
        dates = {}
    era = args.get("era") if args.get("era") in ERAS else "2023"
    communes = tuple(code for code in args.getlist("commune") if code.isdigit() and len(code) <= 6)
    district = args.get("district") if (args.get("district") or "").isdigit() else None
    return queries.Filters(dates.get("from"), dates.get("to"), era, district, communes)


def chart_markup(board):
    """The dashboard's three charts as inline SVG, each with its sentence."""
    trend = [(date.fromisoformat(week).strftime("%d/%m"), sessions) for week, sessions, _b, _r in board.trend]
    busiest = max(board.trend, key=lambda w: w[1], default=None)
    trend_summary = _(
        "Số buổi tuyên truyền mỗi tuần trong %(n)s tuần; nhiều nhất %(most)s buổi (tuần bắt đầu %(week)s).",
        n=len(board.trend),
        most=busiest[1] if busiest else 0,
        week=date.fromisoformat(busiest[0]).strftime("%d/%m/%Y") if busiest else "",
    )
    channels = [(label, count) for _v, label, count in board.channels]
    topics = [(label, count) for _v, label, count in board.topics]

    def summary_of(items):
        used = [f"{label}: {count}" for label, count in sorted(items, key=lambda i: -i[1]) if count]
        return "; ".join(used) or _("Chưa có số liệu.")

    return {
        "trend": Markup(charts.column_chart(trend, _("Buổi tuyên truyền theo tuần"), trend_summary, "chart-trend")),
        "channels": Markup(
            charts.bar_chart(channels, _("Hình thức tuyên truyền"), summary_of(channels), "chart-channels")
        ),
        "topics": Markup(charts.bar_chart(topics, _("Nội dung đã tuyên truyền"), summary_of(topics), "chart-topics")),
    }


@bp.route("/dashboard")
@login_required
def dashboard():
    db = get_db()
    scope = current_scope()
    filters = filters_from(request.args)
    page = int(request.args["page"]) if (request.args.get("page") or "").isdigit() else 1
    board = queries.dashboard(db, scope, filters, page=page, silent_days=current_app.config["SILENT_DAYS"])
    if scope.is_central:
        # A list is offered while it stays short (one province); beyond that, the code is typed.
        choices = [
            tuple(row)
            for row in db.execute(
                "SELECT code, name FROM units WHERE era = ? AND level = 'commune' ORDER BY name_key LIMIT ?",
                [filters.era, CHOICES_MAX + 1],
            ).fetchall()
        ]
    else:
        choices = [(code, (commune_by_code(db, code) or {"name": code})["name"]) for code in sorted(scope.communes)]
    args = filters.as_args()
    return render_template(
        "reports/dashboard.html",
        board=board,
        charts=chart_markup(board),
        districts=board.parents if filters.era == "2023" else [],
        commune_choices=choices if len(choices) <= CHOICES_MAX else None,
        args=args,
        records_args=_records_args(filters),
        eras=ERAS,
        formats=exports.FORMATS,
    )


def _records_args(filters):
    return {k: v for k, v in (("from", filters.date_from), ("to", filters.date_to)) if v}


@bp.route("/dashboard/report.<fmt>")
@login_required
def download(fmt):
    """The coverage report in the format asked for, over the dashboard's filters."""
    if fmt not in exports.FORMATS:
        return render_template("errors/error.html", code=404, title=_("Không tìm thấy trang")), 404
    db = get_db()
    scope = current_scope()
    filters = filters_from(request.args)
    report = exports.build_report(
        db,
        scope,
        filters,
        sheet_builders=current_app.extensions.get("fieldkit.report_sheets", ()),
        **report_heading(current_app.config),
    )
    content = exports.render(report, fmt)
    return send_file(
        exports.as_stream(content),
        mimetype=exports.MIMETYPES[fmt],
        as_attachment=True,
        download_name=exports.file_name(filters, fmt),
    )


def init_views(app):
    app.register_blueprint(bp)
    app.jinja_env.filters["thousands"] = exports.thousands

    @app.context_processor
    def report_links():
        return {"records_url": lambda **kw: url_for("submissions.record_list", **kw)}


# --- implementation documents (central) --------------------------------------------------------


def _central_only():
    if current_app.config.get("ROLE") != "central":
        abort(404)


def _documents_dir():
    return os.path.join(current_app.instance_path, "documents")


@bp.route("/documents", methods=["GET", "POST"])
@role_required("central_admin")
def documents_page():
    """Who was to issue an implementing document, who did and when; the count on a day in one click."""
    _central_only()
    db = get_db()
    scope = current_scope()
    form = FlaskForm()
    errors = {}
    status_code = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("Phiên làm việc đã hết hạn. Hãy gửi lại biểu mẫu."), "error")
            status_code = 400
        else:
            try:
                _save_document_form(db, scope)
            except documents.DocumentError as error:
                errors = error.errors
                for message in errors.values():
                    flash(message, "error")
                status_code = 422
            else:
                return redirect(url_for("reports.documents_page"))
    day = date.today().isoformat()
    if request.args.get("on"):
        try:
            day = parse_date(request.args["on"]).isoformat()
        except ValueError:
            flash(
                _("Ngày “%(text)s” không hợp lệ; hãy nhập theo dạng ngày/tháng/năm.", text=request.args["on"]), "error"
            )
    return render_template(
        "reports/documents.html",
        form=form,
        status=documents.status_on(db, day),
        documents=documents.documents(db),
        bodies=documents.bodies(db),
        instruments=[(v, str(label)) for v, label in documents.INSTRUMENTS],
        kinds=[(v, str(label)) for v, label in documents.KINDS],
        errors=errors,
        values=request.form,
    ), status_code


def _save_document_form(db, scope):
    action = request.form.get("action")
    if action == "add_units":
        added = documents.add_units_as_bodies(db, scope)
        flash(_("Đã thêm %(n)s huyện, xã vào danh sách phải ban hành văn bản.", n=added), "success")
    elif action == "add_body":
        documents.add_body(db, scope, request.form.get("name"), request.form.get("kind"))
        flash(_("Đã thêm cơ quan, đơn vị."), "success")
    else:
        issued_on = None
        try:
            issued_on = parse_date(request.form.get("issued_on") or "").isoformat()
        except ValueError:
            pass
        upload = request.files.get("file")
        content = upload.read(documents.MAX_FILE_BYTES + 1) if upload and upload.filename else b""
        body_id = request.form.get("body_id") or ""
        documents.add_document(
            db,
            scope,
            _documents_dir(),
            int(body_id) if body_id.isdigit() else None,
            request.form.get("number"),
            issued_on,
            request.form.get("title"),
            request.form.get("implements"),
            upload.filename if upload else None,
            content,
        )
        flash(_("Đã lưu văn bản triển khai."), "success")


@bp.route("/documents/<doc_uuid>/file")
@role_required("central_admin")
def document_file(doc_uuid):
    _central_only()
    found = documents.document_file(get_db(), doc_uuid)
    if not found or not re.fullmatch(r"[0-9a-f]{64}\.(pdf|docx)", found[0]):
        abort(404)
    safe_number = re.sub(r"[^0-9A-Za-z]+", "-", found[1]).strip("-") or "van-ban"
    return send_file(
        os.path.join(_documents_dir(), found[0]),
        as_attachment=True,
        download_name=f"{safe_number}{os.path.splitext(found[0])[1]}",
    )
