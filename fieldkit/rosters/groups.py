"""Residential groups: the read and write operations other areas rely on."""

import json

from ..auth import audit
from ..changes import new_uuid
from ..text import fold, nfc

KINDS = ("thon", "ban", "lang", "to_dan_pho")
JSON_FIELDS = ("ethnic_groups", "languages", "papi_years")


def decode(row):
    """A group row with its JSON list fields as lists."""
    if row is None:
        return None
    row = dict(row)
    for field in JSON_FIELDS:
        row[field] = json.loads(row[field]) if row.get(field) else []
    return row


def list_groups(db, scope, commune_code=None, active_only=True):
    """Groups the scope may see, optionally of one commune, ordered by name."""
    where, params = [], []
    if commune_code:
        where.append("commune_code = ?")
        params.append(commune_code)
    if active_only:
        where.append("active = 1")
    rows = scope.rows(db["residential_groups"], " AND ".join(where) or None, params, order_by="name_key")
    return [decode(row) for row in rows]


def get_group_by_uuid(db, scope, group_uuid):
    """One group by uuid within the scope, or None."""
    rows = list(scope.rows(db["residential_groups"], "uuid = ?", [group_uuid], limit=1))
    return decode(rows[0]) if rows else None


def create_group(db, scope, site_id, commune_code, name, kind="thon", **fields):
    """Add a residential group to a commune the scope holds; return its row."""
    scope.require(commune_code)
    now = audit.utc_now()
    row = {
        "uuid": new_uuid(),
        "origin_site": site_id,
        "commune_code": commune_code,
        "name": nfc(name),
        "name_key": fold(name),
        "kind": kind,
        "active": 1,
        "created_at": now,
        "updated_at": now,
    }
    for key, value in fields.items():
        row[key] = json.dumps(value, ensure_ascii=False) if key in JSON_FIELDS else value
    with db.atomic():
        pk = db["residential_groups"].insert(row).last_pk
        audit.record(db, scope, "group.create", "residential_groups", row["uuid"], commune_code, {"name": row["name"]})
    return decode(db["residential_groups"].get(pk))
