"""Conflicts: other copies of a record kept for a commune admin to review."""

import json

from ..auth import audit
from ..changes import new_uuid
from ..errors import NotFound
from . import records

RESOLUTIONS = ("kept_existing", "used_copy")


def open_conflicts(db, scope):
    """Conflicts in the scope, those not yet reviewed first, newest first."""
    return [
        records.decode(row)
        for row in scope.rows(db["conflicts"], order_by="resolved_at IS NOT NULL, id DESC", limit=200)
    ]


def get(db, scope, conflict_uuid):
    rows = list(scope.rows(db["conflicts"], "uuid = ?", [conflict_uuid], limit=1))
    if not rows:
        raise NotFound()
    return rows[0]


def resolve(db, scope, site_id, forms, conflict, resolution):
    """Keep the stored record, or make the copy its new version; mark the conflict reviewed."""
    if resolution not in RESOLUTIONS:
        raise records.Invalid({"resolution": "Hãy chọn cách xử lý."})
    if resolution == "used_copy":
        existing = records.find(db, conflict["submission_uuid"])
        if existing is None:
            raise records.Invalid({"submission": "Không tìm thấy bản ghi gốc."})
        current = records.current_version(db, scope, existing["root_uuid"])
        payload = {
            "uuid": new_uuid(),
            "form_id": conflict["form_id"],
            "form_version": conflict["form_version"],
            "commune": conflict["commune_code"],
            "data": json.loads(conflict["data"]),
            "replaces": current["uuid"],
        }
        outcome = records.receive(db, scope, site_id, forms, payload)
        if outcome.status != "created":
            raise records.Invalid({"submission": "Bản ghi vừa được sửa; hãy xem lại."})
    with db.atomic():
        db["conflicts"].update(
            conflict["id"], {"resolved_at": audit.utc_now(), "resolved_by": scope.username, "resolution": resolution}
        )
        audit.record(
            db,
            scope,
            "conflict.resolve",
            "conflicts",
            conflict["uuid"],
            conflict["commune_code"],
            {"resolution": resolution},
        )
