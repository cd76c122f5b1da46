"""The survey team's visit to a sampled group: dates, place, contacts, status, note.

One visit per sampled group, kept up to date (a moved visit keeps its row with new dates and the
status "moved"). Commune admins and central admins edit; officers read.
"""

import uuid as uuid_module

from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..text import nfc
from .years import NAMESPACE, SurveyError, parse_day

STATUSES = ("planned", "confirmed", "done", "moved")
STATUS_LABELS = {
    "planned": _l("Dự kiến"),
    "confirmed": _l("Đã xác nhận"),
    "done": _l("Đã khảo sát xong"),
    "moved": _l("Đã dời lịch"),
}
EDITORS = ("commune_admin", "central_admin")
TEXT_FIELDS = {"place": 200, "team_contact": 200, "guide": 200, "note": 1000}


def visit_uuid(sample_uuid):
    return str(uuid_module.uuid5(NAMESPACE, f"visit/{sample_uuid}"))


def visit_of(db, sample):
    """The visit planned for a sampled group, or None."""
    rows = list(db["survey_visits"].rows_where("sample_uuid = ?", [sample["uuid"]], limit=1))
    return rows[0] if rows else None


def visits_by_sample(db, samples):
    """{sample uuid: visit row} for the given samples."""
    uuids = [s["uuid"] for s in samples]
    if not uuids:
        return {}
    marks = ", ".join("?" for _ in uuids)
    return {row["sample_uuid"]: row for row in db["survey_visits"].rows_where(f"sample_uuid IN ({marks})", uuids)}


def default_place(group, sample):
    """Where the team meets residents unless told otherwise: the group's cultural house."""
    if group and group.get("cultural_house_name"):
        return group["cultural_house_name"]
    return str(_l("Nhà văn hóa %(group)s", group=sample["group_name"]))


def save_visit(db, scope, site_id, sample, start=None, end=None, status=None, **fields):
    """Schedule or change the visit to a sampled group; only the values given change. Return the row."""
    if not scope.can(*EDITORS):
        raise SurveyError(_l("Chỉ quản trị viên xã hoặc Sở Nội vụ được sửa lịch khảo sát."))
    if not (scope.allows(sample["commune_code"]) or scope.allows(sample["commune_code_2025"])):
        raise SurveyError(_l("Thôn này không thuộc xã của bạn."))
    existing = visit_of(db, sample)
    row = {}
    if start is not None:
        row["start_date"] = parse_day(start, _l("Ngày khảo sát"))
    if end is not None:
        row["end_date"] = parse_day(end, _l("Ngày kết thúc")) if str(end).strip() else None
    if status is not None:
        if status not in STATUSES:
            raise SurveyError(_l("Trạng thái phải là một trong: %(choices)s.", choices=", ".join(STATUSES)))
        row["status"] = status
    for name, limit in TEXT_FIELDS.items():
        if fields.get(name) is not None:
            value = nfc(fields[name]) or None
            if value and len(value) > limit:
                raise SurveyError(_l("Nội dung quá dài (tối đa %(n)s ký tự).", n=limit))
            row[name] = value
    merged = {**(existing or {}), **row}
    if not merged.get("start_date"):
        raise SurveyError(_l("Hãy nhập ngày đoàn khảo sát đến."))
    if merged.get("end_date") and merged["end_date"] < merged["start_date"]:
        raise SurveyError(_l("Ngày kết thúc phải cùng ngày hoặc sau ngày đoàn khảo sát đến."))
    row["updated_at"] = audit.utc_now()
    row["updated_by"] = scope.username
    with db.atomic():
        if existing:
            # origin_site stays: sync takes a newer copy from the site that made the visit as an update.
            db["survey_visits"].update(existing["id"], row)
        else:
            db["survey_visits"].insert(
                {
                    "uuid": visit_uuid(sample["uuid"]),
                    "origin_site": site_id,
                    "sample_uuid": sample["uuid"],
                    "year": sample["year"],
                    "commune_code": sample["commune_code"],
                    "commune_code_2025": sample["commune_code_2025"],
                    "status": "planned",
                    **row,
                }
            )
        audit.record(
            db,
            scope,
            "survey.visit",
            "survey_visits",
            visit_uuid(sample["uuid"]),
            sample["commune_code"],
            {key: value for key, value in row.items() if key not in ("updated_at", "updated_by")},
        )
    return visit_of(db, sample)
