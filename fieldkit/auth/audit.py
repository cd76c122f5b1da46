"""The audit log: who did what, when, to which record. Every change writes one row."""

import json
from datetime import UTC, datetime

from ..db import insert_row


def utc_now():
    """Return the current time as an ISO 8601 string in UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(db, actor, action, entity=None, entity_id=None, commune_code=None, detail=None):
    """Append one entry; `actor` is a Scope (or None for the system)."""
    insert_row(
        db,
        "audit_log",
        {
            "at": utc_now(),
            "user_id": getattr(actor, "user_id", None),
            "username": getattr(actor, "username", None) or "system",
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "commune_code": commune_code,
            "detail": None if detail is None else json.dumps(detail, ensure_ascii=False, default=str),
        },
    )


def history(db, entity, entity_id):
    """Return the entries about one record, newest first."""
    return list(
        db["audit_log"].rows_where("entity = ? AND entity_id = ?", [entity, str(entity_id)], order_by="id desc")
    )
