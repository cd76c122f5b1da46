"""Pages: the dashboard (also the admins' home), its report downloads, the implementation documents."""

from datetime import date

from flask import Blueprint, current_app, flash, render_template, request, send_file, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..auth.access import current_scope, login_required
from ..db import get_db
from ..formspec.validate import Invalid, read_date
from ..units.units import commune_by_code
from . import charts, exports, queries
from .cli import report_heading
from .units_map import ERAS, UnitMap

bp = Blueprint("reports", __name__)


def filters_from(args):
    """Filters from a query string; a bad date is dropped with a Vietnamese message."""
    dates = {}
    for key in ("from", "to"):
        text = (args.get(key) or "").strip()
        if text:
            try:
                dates[key] = read_date(text)
            except Invalid:
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
    board = queries.dashboard(db, scope, filters, page=page, silent_days=current_app.config.get("SILENT_DAYS", 14))
    units = UnitMap(db, filters.era)
    if scope.is_central:
        choices = [
            tuple(row)
            for row in db.execute(
                "SELECT code, name FROM units WHERE era = ? AND level = 'commune' ORDER BY name_key", [filters.era]
            ).fetchall()
        ]
    else:
        choices = [(code, (commune_by_code(db, code) or {"name": code})["name"]) for code in sorted(scope.communes)]
    args = filters.as_args()
    return render_template(
        "reports/dashboard.html",
        board=board,
        charts=chart_markup(board),
        districts=units.parents() if filters.era == "2023" else [],
        commune_choices=choices,
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

    @app.context_processor
    def report_links():
        return {"records_url": lambda **kw: url_for("submissions.record_list", **kw)}
