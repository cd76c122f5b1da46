"""Residential groups: the read and write operations other areas rely on."""

import json

from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..changes import new_uuid
from ..errors import UserFacingError
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


def group_choices(db, scope, commune_code):
    """The uuid and name of a commune's active groups, by name: all a choice list needs."""
    return list(
        scope.rows(
            db["residential_groups"],
            "commune_code = ? AND active = 1",
            [commune_code],
            select="uuid, name",
            order_by="name_key",
        )
    )


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


# --- beyond the shared operations: labels, search, edits ------------------------------------

KIND_LABELS = {
    "thon": _l("Thôn"),
    "ban": _l("Bản"),
    "lang": _l("Làng"),
    "to_dan_pho": _l("Tổ dân phố"),
}
EDITABLE_FIELDS = (
    "name",
    "kind",
    "head_name",
    "head_phone",
    "households",
    "population",
    "ethnic_groups",
    "languages",
    "cultural_house_name",
    "cultural_house_address",
    "cultural_house_lat",
    "cultural_house_lon",
    "papi_years",
    "notes",
    "active",
)


class GroupError(UserFacingError, ValueError):
    """A change that cannot be made; the message is for the person who asked."""


def search_groups(db, scope, commune_code, query=None, kind=None, active=None, papi=None):
    """Groups of one commune matching a search that ignores case and diacritics, plus filters.

    `active`: True, False or None (both); `papi`: True (sampled in some year), False, or None.
    """
    where, params = ["commune_code = ?"], [commune_code]
    if query and fold(query):
        where.append(
            "(name_key LIKE ? OR fold(coalesce(head_name, '')) LIKE ? OR "
            "fold(coalesce(cultural_house_name, '')) LIKE ?)"
        )
        pattern = "%" + fold(query).replace("%", "").replace("_", "") + "%"
        params += [pattern] * 3
    if kind in KINDS:
        where.append("kind = ?")
        params.append(kind)
    if active is not None:
        where.append("active = ?")
        params.append(1 if active else 0)
    if papi is not None:
        where.append("coalesce(papi_years, '[]') %s '[]'" % ("!=" if papi else "="))
    rows = scope.rows(
        db["residential_groups"],
        " AND ".join(where),
        params,
        order_by="active desc, coalesce(papi_years, '[]') = '[]', name_key",
    )
    return [decode(row) for row in rows]


def commune_counts(db, scope, commune_code):
    """Active and inactive groups of a commune, and how many were sampled in PAPI."""
    table = db["residential_groups"]
    return {
        "active": scope.count(table, "commune_code = ? AND active = 1", [commune_code]),
        "inactive": scope.count(table, "commune_code = ? AND active = 0", [commune_code]),
        "sampled": scope.count(table, "commune_code = ? AND coalesce(papi_years, '[]') != '[]'", [commune_code]),
    }


def find_by_name(db, commune_code, name):
    """The group of a commune whose name folds the same as `name`, or None (no scope: callers check)."""
    rows = list(
        db["residential_groups"].rows_where("commune_code = ? AND name_key = ?", [commune_code, fold(name)], limit=1)
    )
    return decode(rows[0]) if rows else None


def normalised(fields):
    """Field values as they are stored: text NFC (empty as None), lists as lists."""
    out = {}
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise KeyError(key)
        if isinstance(value, str):
            value = nfc(value) or None
        if key in JSON_FIELDS:
            value = list(value or [])
        out[key] = value
    return out


def changes_to(group, fields):
    """The fields whose value differs from the group's, as {field: (old, new)}."""
    fields = normalised(fields)
    return {key: (group.get(key), value) for key, value in fields.items() if group.get(key) != value}


def update_group(db, scope, group, fields, action="group.update"):
    """Change a group's fields; record what changed in the audit log; return the group as it is now."""
    scope.require(group["commune_code"])
    changes = changes_to(group, fields)
    if not changes:
        return group
    if "name" in changes:
        if not changes["name"][1]:
            raise GroupError(_l("Tên thôn không được để trống."))
        other = find_by_name(db, group["commune_code"], changes["name"][1])
        if other and other["uuid"] != group["uuid"]:
            raise GroupError(_l("Xã đã có thôn, tổ dân phố tên “%(name)s”.", name=other["name"]))
    row = {
        key: (json.dumps(new, ensure_ascii=False) if key in JSON_FIELDS else new) for key, (_, new) in changes.items()
    }
    if "name" in row:
        row["name_key"] = fold(row["name"])
    row["updated_at"] = audit.utc_now()
    with db.atomic():
        db["residential_groups"].update(group["id"], row)
        audit.record(
            db,
            scope,
            action,
            "residential_groups",
            group["uuid"],
            group["commune_code"],
            {"changes": {key: [old, new] for key, (old, new) in changes.items()}},
        )
    return decode(db["residential_groups"].get(group["id"]))


def add_group(db, scope, site_id, commune_code, fields):
    """Create a group from edited or imported fields, refusing a name the commune already has."""
    fields = normalised(fields)
    name = fields.pop("name", None)
    if not name:
        raise GroupError(_l("Tên thôn không được để trống."))
    existing = find_by_name(db, commune_code, name)
    if existing:
        raise GroupError(_l("Xã đã có thôn, tổ dân phố tên “%(name)s”.", name=existing["name"]))
    kind = fields.pop("kind", None) or "thon"
    fields = {key: value for key, value in fields.items() if value not in (None, [])}
    return create_group(db, scope, site_id, commune_code, name, kind, **fields)


FIELD_LABELS = {
    "name": _l("Tên"),
    "kind": _l("Loại"),
    "head_name": _l("Trưởng thôn, tổ trưởng"),
    "head_phone": _l("Số điện thoại"),
    "households": _l("Số hộ"),
    "population": _l("Nhân khẩu"),
    "ethnic_groups": _l("Dân tộc chính"),
    "languages": _l("Ngôn ngữ"),
    "cultural_house_name": _l("Nhà văn hóa"),
    "cultural_house_address": _l("Địa chỉ nhà văn hóa"),
    "cultural_house_lat": _l("Vĩ độ"),
    "cultural_house_lon": _l("Kinh độ"),
    "papi_years": _l("Năm được khảo sát PAPI"),
    "notes": _l("Ghi chú"),
    "active": _l("Đang hoạt động"),
}


def shown_value(value, field):
    """A stored field value as a person reads it: names rather than codes, "—" for nothing."""
    from flask_babel import gettext as _

    from ..reference import LANGUAGES, ethnic_groups

    if value in (None, "", []):
        return "—"
    if field == "kind":
        return KIND_LABELS.get(value, value)
    if field == "active":
        return _("Đang hoạt động") if value else _("Ngừng hoạt động")
    if field == "ethnic_groups":
        names = dict(ethnic_groups())
        return ", ".join(names.get(code, code) for code in value)
    if field == "languages":
        names = dict(LANGUAGES)
        return ", ".join(str(names.get(code, code)) for code in value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value
