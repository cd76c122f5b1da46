"""The officer to contact (per commune) and the meeting schedule (per group) printed on posters."""

from ..auth import audit
from ..changes import new_uuid
from ..text import nfc


def get_contact(db, scope, commune_code):
    """The commune's contact officer row, or an empty one."""
    rows = list(scope.rows(db["commune_contacts"], "commune_code = ?", [commune_code], limit=1))
    return rows[0] if rows else {"commune_code": commune_code, "officer_name": "", "officer_phone": ""}


def save_contact(db, scope, site_id, commune_code, officer_name, officer_phone):
    """Set the officer residents should call about PAPI in this commune."""
    scope.require(commune_code)
    values = {
        "officer_name": nfc(officer_name) or "",
        "officer_phone": nfc(officer_phone) or "",
        "updated_at": audit.utc_now(),
    }
    with db.atomic():
        existing = list(db["commune_contacts"].rows_where("commune_code = ?", [commune_code], limit=1))
        if existing:
            db["commune_contacts"].update(existing[0]["id"], values)
            row_uuid = existing[0]["uuid"]
        else:
            row_uuid = new_uuid()
            db["commune_contacts"].insert(
                {"uuid": row_uuid, "origin_site": site_id, "commune_code": commune_code, **values}
            )
        audit.record(db, scope, "contact.save", "commune_contacts", row_uuid, commune_code, values)


def schedules(db, scope, commune_code):
    """Meeting schedule text per group uuid, for one commune."""
    rows = scope.rows(db["group_meeting_schedules"], "commune_code = ?", [commune_code])
    return {row["group_uuid"]: row["meeting_schedule"] for row in rows}


def save_schedule(db, scope, site_id, group, meeting_schedule):
    """Set (or clear, with empty text) a group's meeting schedule."""
    scope.require(group["commune_code"])
    values = {"meeting_schedule": nfc(meeting_schedule) or "", "updated_at": audit.utc_now()}
    with db.atomic():
        existing = list(db["group_meeting_schedules"].rows_where("group_uuid = ?", [group["uuid"]], limit=1))
        if existing:
            if existing[0]["meeting_schedule"] == values["meeting_schedule"]:
                return
            db["group_meeting_schedules"].update(existing[0]["id"], values)
        else:
            if not values["meeting_schedule"]:
                return
            db["group_meeting_schedules"].insert(
                {
                    "uuid": new_uuid(),
                    "origin_site": site_id,
                    "group_uuid": group["uuid"],
                    "commune_code": group["commune_code"],
                    **values,
                }
            )
        audit.record(db, scope, "schedule.save", "residential_groups", group["uuid"], group["commune_code"], values)
