"""The sampled groups as rows for the report export: one row per group, nearest visit and least ready first."""

from contextlib import nullcontext

from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l

from .status import survey_status, urgency
from .years import get_year

# Column keys in order, with their headings (through the translation layer).
COLUMNS = (
    ("year", _l("Năm khảo sát")),
    ("district", _l("Mã huyện (2023)")),
    ("commune", _l("Mã xã")),
    ("commune_2025", _l("Mã xã từ 1/7/2025")),
    ("commune_name", _l("Xã, phường")),
    ("group", _l("Thôn, tổ dân phố")),
    ("visit_date", _l("Ngày đoàn đến")),
    ("visit_end", _l("Ngày cuối")),
    ("visit_status", _l("Trạng thái lịch")),
    ("days_to_visit", _l("Số ngày đến lịch khảo sát")),
    ("ready_count", _l("Số mục đã sẵn sàng")),
    ("item_count", _l("Tổng số mục")),
    ("missing", _l("Còn thiếu")),
)


def sampled_group_rows(db, scope, year=None):
    """Rows of every sampled group the scope holds (the latest year unless told), as {column key: value}.

    Returns [] when there is no survey year. Works from a command too (readiness builds its links
    as the pages do, so outside a request it gets a request context of its own).
    """
    if get_year(db, year) is None:
        return []
    with nullcontext() if has_request_context() else current_app.test_request_context():
        year_row, entries = survey_status(db, scope, None, year)
    rows = []
    for entry in sorted(entries, key=urgency):
        visit = entry["visit"] or {}
        rows.append(
            {
                "year": year_row["year"],
                "district": entry["district"] or "",
                "commune": entry["commune"],
                "commune_2025": entry["commune_2025"],
                "commune_name": entry["commune_name"],
                "group": entry["group"],
                "visit_date": visit.get("date", ""),
                "visit_end": visit.get("end", ""),
                "visit_status": visit.get("status", ""),
                "days_to_visit": entry["days_to_visit"],
                "ready_count": entry["ready_count"],
                "item_count": entry["item_count"],
                "missing": "; ".join(item["label"] for item in entry["items"] if not item["ready"]),
            }
        )
    return rows


# The kind of each column in a report sheet (fieldkit/reports/exports.py reads "text", "integer", "date").
KINDS = {
    "visit_date": "date",
    "visit_end": "date",
    "days_to_visit": "integer",
    "ready_count": "integer",
    "item_count": "integer",
}


def report_sheet(db, scope, filters):
    """The sampled groups and their readiness as a sheet of every coverage report (none without a survey year)."""
    from ..reports.exports import Sheet

    rows = sampled_group_rows(db, scope)
    if not rows:
        return None
    columns = [(str(label), KINDS.get(key, "text")) for key, label in COLUMNS]
    return Sheet(
        "survey",
        str(_l("Thôn được chọn khảo sát PAPI")),
        columns,
        [[row[key] for key, _label in COLUMNS] for row in rows],
    )
