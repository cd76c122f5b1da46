"""The coverage report: one `Report` built from the dashboard figures, written as xlsx, csv or pdf.

`build_report` gathers the data (an operation); `render` and the writers are pure: a Report in,
bytes out. Another area adds a sheet with `add_report_sheet(app, builder)`: the builder takes
(db, scope, filters) and returns a `Sheet` (or None), which every format then carries.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ..reference import OUTREACH_CHANNELS
from ..text import neutralise_formula
from . import queries
from .units_map import UnitMap

FORMATS = ("xlsx", "csv", "pdf")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pdf": "application/pdf",
}
# Column kinds: how a value is typed in the xlsx and shown in csv and pdf.
TEXT, INTEGER, DATE, PERCENT = "text", "integer", "date", "percent"
SESSION_LIMIT = 100_000


@dataclass
class Sheet:
    """One table of the report: a short sheet name, a title, typed columns and rows of values."""

    name: str
    title: str
    columns: list  # [(header, kind)]
    rows: list = field(default_factory=list)


@dataclass
class Report:
    """Everything a report file shows: heading fields (Decree 30/2020/NĐ-CP), sheets and chart data."""

    issuer: str
    parent_body: str
    number: str
    symbol: str
    place: str
    issued_on: str
    period: str
    sheets: list
    board: queries.Dashboard
    summary_sentence: str = ""


def add_report_sheet(app, builder):
    """Register `builder(db, scope, filters) -> Sheet | None`; its sheet joins every report."""
    app.extensions.setdefault("fieldkit.report_sheets", []).append(builder)


def period_text(filters):
    """'từ 01/03/2023 đến 30/09/2023', or 'toàn bộ thời gian' when there are no dates."""
    lo = _dmy(filters.date_from) if filters.date_from else None
    hi = _dmy(filters.date_to) if filters.date_to else None
    if lo and hi:
        return _("từ ngày %(lo)s đến ngày %(hi)s", lo=lo, hi=hi)
    if lo:
        return _("từ ngày %(lo)s", lo=lo)
    if hi:
        return _("đến ngày %(hi)s", hi=hi)
    return _("toàn bộ thời gian")


def _when(filters, today):
    """How the summary sentence opens: 'Từ ngày … đến ngày …', or 'Tính đến ngày …' with no dates."""
    if filters.date_from:
        text = period_text(filters)
        return text[:1].upper() + text[1:]
    return _("Tính đến ngày %(d)s", d=_dmy(filters.date_to or today))


def thousands(n):
    """12345 -> '12.345', as Vietnamese documents write numbers."""
    return f"{n or 0:,}".replace(",", ".")


def _dmy(iso):
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def build_report(db, scope, filters, issuer=None, parent_body="", place="Lào Cai", number="", symbol="BC",
                 today=None, sheet_builders=()):  # fmt: skip
    """Gather the report's figures for a scope and filters (every commune, not a page)."""
    today = today or date.today().isoformat()
    board = queries.dashboard(db, scope, filters, today=today, page=1, page_size=10**6)
    total = board.total
    summary = Sheet(
        "summary",
        _("Tổng hợp"),
        [(_("Chỉ tiêu"), TEXT), (_("Số liệu"), INTEGER)],
        [
            [_("Số xã, phường, thị trấn có hoạt động"), len(board.communes)],
            [_("Số buổi tuyên truyền"), total.sessions],
            [_("Tổng số người dự"), total.attendees],
            [_("Trong đó: nữ"), total.women],
            [_("Trong đó: đồng bào dân tộc thiểu số"), total.ethnic_minority],
            [_("Số lần phát thanh trên loa"), total.broadcasts],
            [_("Số lần dán, kiểm tra áp phích"), total.poster_records],
            [_("Số bản ghi"), total.records],
        ],
    )
    communes = Sheet(
        "communes",
        _("Theo xã, phường, thị trấn"),
        [
            (_("Mã đơn vị"), TEXT),
            (_("Xã, phường, thị trấn"), TEXT),
            (_("Huyện") if filters.era == "2023" else _("Tỉnh"), TEXT),
            (_("Số buổi tuyên truyền"), INTEGER),
            (_("Buổi gần nhất"), DATE),
            (_("Người dự"), INTEGER),
            (_("Nữ"), INTEGER),
            (_("Dân tộc thiểu số"), INTEGER),
            (_("Thôn, tổ đã đến trong 30 ngày"), INTEGER),
            (_("Số thôn, tổ"), INTEGER),
            (_("Áp phích đang dán"), INTEGER),
            (_("Lượt quét mã QR"), INTEGER),
            (_("Lần phát thanh"), INTEGER),
            (_("Đợt phát 3 ngày liên tục"), INTEGER),
        ],
        [
            [
                row.code,
                row.name,
                row.parent_name,
                row.sessions,
                row.last_session,
                row.attendees,
                row.women,
                row.ethnic_minority,
                row.groups_reached,
                row.groups,
                row.posters_up,
                row.scans,
                row.broadcasts,
                row.broadcast_runs,
            ]
            for row in board.communes
        ],
    )
    groups = Sheet(
        "groups",
        _("Theo thôn, bản, tổ dân phố"),
        [
            (_("Xã, phường, thị trấn"), TEXT),
            (_("Thôn, bản, tổ dân phố"), TEXT),
            (_("Được chọn khảo sát PAPI"), TEXT),
            (_("Số buổi tuyên truyền"), INTEGER),
            (_("Buổi gần nhất"), DATE),
            (_("Người dự"), INTEGER),
            (_("Nữ"), INTEGER),
            (_("Dân tộc thiểu số"), INTEGER),
            (_("Áp phích đang dán"), INTEGER),
        ],
    )
    for commune in board.communes:
        for group in queries.group_rows(db, scope, commune.raw_codes, filters, today):
            groups.rows.append(
                [
                    commune.name,
                    group.name,
                    _("Có") if group.sampled else "",
                    group.sessions,
                    group.last_session,
                    group.attendees,
                    group.women,
                    group.ethnic_minority,
                    group.posters_up,
                ]
            )
    sheets = [summary, communes, groups, session_sheet(db, scope, filters, board)]
    for builder in sheet_builders:
        extra = builder(db, scope, filters)
        if extra is not None:
            sheets.append(extra)
    return Report(
        issuer=issuer or "",
        parent_body=parent_body,
        number=number,
        symbol=symbol,
        place=place,
        issued_on=today,
        period=period_text(filters),
        sheets=sheets,
        board=board,
        summary_sentence=_(
            "%(when)s, %(communes)s đơn vị cấp xã đã tổ chức %(sessions)s buổi tuyên truyền với %(people)s lượt"
            " người dự (%(women)s nữ, %(minority)s người dân tộc thiểu số) và %(broadcasts)s lần phát thanh trên loa.",
            when=_when(filters, today),
            communes=thousands(len(board.communes)),
            sessions=thousands(total.sessions),
            people=thousands(total.attendees),
            women=thousands(total.women),
            minority=thousands(total.ethnic_minority),
            broadcasts=thousands(total.broadcasts),
        ),
    )


def session_sheet(db, scope, filters, board):
    """Every session of the communes shown, as rows (current versions only)."""
    codes = [code for row in board.communes for code in row.raw_codes]
    sheet = Sheet(
        "sessions",
        _("Các buổi tuyên truyền"),
        [
            (_("Ngày"), DATE),
            (_("Xã, phường, thị trấn"), TEXT),
            (_("Thôn, bản, tổ dân phố"), TEXT),
            (_("Hình thức"), TEXT),
            (_("Người trình bày"), TEXT),
            (_("Người dự"), INTEGER),
            (_("Nữ"), INTEGER),
            (_("Dân tộc thiểu số"), INTEGER),
            (_("Ghi chú"), TEXT),
        ],
    )
    if not codes:
        return sheet
    units = UnitMap(db, filters.era)
    channels = {value: str(label) for value, label in OUTREACH_CHANNELS}
    marks = ", ".join("?" for _ in codes)
    groups = dict(
        db.execute(f"SELECT uuid, name FROM residential_groups WHERE commune_code IN ({marks})", codes).fetchall()
    )
    scope_sql, scope_params = scope.where("commune_code")
    where = [
        f"({scope_sql})",
        f"commune_code IN ({marks})",
        "form_id = 'session'",
        "deleted = 0",
        "NOT EXISTS (SELECT 1 FROM submissions AS l WHERE l.replaces_uuid = submissions.uuid)",
    ]
    params = [*scope_params, *codes]
    if filters.date_from:
        where.append("event_date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        where.append("event_date <= ?")
        params.append(filters.date_to)
    sql = (
        "SELECT event_date, commune_code, group_uuid, channel, data FROM submissions"
        f" WHERE {' AND '.join(where)} ORDER BY event_date, id LIMIT {SESSION_LIMIT}"
    )
    for day, code, group_uuid, channel, data in db.execute(sql, params):
        values = json.loads(data or "{}")
        sheet.rows.append(
            [
                day,
                units.target(code).name,
                groups.get(group_uuid, ""),
                channels.get(channel, channel or ""),
                values.get("presenter", ""),
                values.get("attendees_total"),
                values.get("attendees_women"),
                values.get("attendees_ethnic_minority"),
                values.get("notes", ""),
            ]
        )
    return sheet


def cell(value, kind):
    """A value as a spreadsheet should hold it: text neutralised, dates as dates, numbers as numbers."""
    if value is None or value == "":
        return None
    if kind == DATE:
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind in (INTEGER, PERCENT):
        return value
    return neutralise_formula(str(value))


def shown(value, kind):
    """A value as text for csv and pdf: dates dd/mm/yyyy, percentages with %, text neutralised."""
    if value is None or value == "":
        return ""
    if kind == DATE:
        return _dmy(value) if isinstance(value, str) else value.strftime("%d/%m/%Y")
    if kind == PERCENT:
        return f"{value * 100:.0f}%"
    if kind == INTEGER:
        return str(value)
    return neutralise_formula(str(value))


def to_xlsx(report):
    """The report as an xlsx workbook: one sheet per table, typed cells, header row frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in report.sheets:
        ws = workbook.create_sheet(sheet.name[:31])
        ws.append([neutralise_formula(str(header)) for header, _kind in sheet.columns])
        for c in ws[1]:
            c.font = bold
        for row in sheet.rows:
            ws.append([cell(value, kind) for value, (_h, kind) in zip(row, sheet.columns, strict=True)])
        for index, (header, kind) in enumerate(sheet.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            ws.column_dimensions[letter].width = max(10, min(40, len(str(header)) + 2))
            if kind in (DATE, PERCENT):
                for (c,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    c.number_format = "DD/MM/YYYY" if kind == DATE else "0%"
        ws.freeze_panes = "A2"
    workbook.properties.title = neutralise_formula(report.summary_sentence[:200])
    workbook.properties.creator = "fieldkit"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(report, sheet_name="communes"):
    """One table of the report (the communes by default) as csv, UTF-8 with a BOM for Excel."""
    sheet = next(s for s in report.sheets if s.name == sheet_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(header)) for header, _kind in sheet.columns])
    for row in sheet.rows:
        writer.writerow([shown(value, kind) for value, (_h, kind) in zip(row, sheet.columns, strict=True)])
    return buffer.getvalue().encode("utf-8-sig")


def render(report, fmt):
    """The report's bytes in a format."""
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "pdf":
        from .pdf import to_pdf

        return to_pdf(report)
    raise ValueError(fmt)


def as_stream(content):
    return io.BytesIO(content)


def file_name(filters, fmt):
    """bao-cao-papi[-from][-to].fmt"""
    parts = ["bao-cao-papi", filters.date_from, filters.date_to]
    return "-".join(p for p in parts if p) + f".{fmt}"
