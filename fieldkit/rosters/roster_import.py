"""Import a commune's roster file: plan what would change, then apply all of it or none of it."""

import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..text import fold
from ..units.units import commune_by_code
from .groups import add_group, changes_to, list_groups, update_group
from .roster_file import parse_roster
from .spreadsheet import PlanOutcome, Problem


@dataclass
class ImportPlan(PlanOutcome):
    """What importing a file would do to a commune's roster."""

    commune_code: str
    added: list = field(default_factory=list)  # records
    updated: list = field(default_factory=list)  # (group, {field: (old, new)}, record)
    unchanged: list = field(default_factory=list)  # groups
    not_in_file: list = field(default_factory=list)  # active groups the file does not name
    problems: list = field(default_factory=list)
    ignored_headers: list = field(default_factory=list)
    sheet: str | None = None
    applied: bool = False


def default_kind(commune):
    """Wards and towns have tổ dân phố; rural communes have thôn."""
    return "to_dan_pho" if fold(commune["name"]).startswith(("phuong", "thi tran")) else "thon"


def has_diacritics(text):
    """True when the text carries Vietnamese marks (or đ): "Thôn Bảo Vinh", not "Thon Bao Vinh"."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D") != unicodedata.normalize("NFD", text)


def better_text(stored, incoming):
    """What to keep when a file's text matches the stored one folded (a name, a head's name…): the stored
    one when the file lost its diacritics ("Thon Bao Vinh" for "Thôn Bảo Vinh"), else the file's."""
    if fold(stored) == fold(incoming) and has_diacritics(stored) and not has_diacritics(incoming):
        return stored
    return incoming


def plan_import(db, scope, commune_code, parsed):
    """Compare a parsed file with the commune's groups, matched by their folded names."""
    scope.require(commune_code)
    plan = ImportPlan(
        commune_code, problems=list(parsed.problems), ignored_headers=parsed.ignored_headers, sheet=parsed.sheet
    )
    commune = commune_by_code(db, commune_code)
    if commune is None:
        plan.problems.insert(0, Problem(None, _l("Không có xã mã %(code)s.", code=commune_code)))
        return plan
    existing = {group["name_key"]: group for group in list_groups(db, scope, commune_code, active_only=False)}
    named = set()
    for record in parsed.records:
        fields = {key: value for key, value in record.items() if key != "row"}
        group = existing.get(fold(record["name"]))
        if group is None:
            fields.setdefault("kind", default_kind(commune))
            plan.added.append(fields | {"row": record["row"]})
            continue
        named.add(group["name_key"])
        for key, value in fields.items():
            if isinstance(value, str) and isinstance(group.get(key), str):
                fields[key] = better_text(group[key], value)
        if "kind" not in parsed.fields:
            fields.pop("kind", None)  # guessed from the name: never overrides what was set by hand
        changes = changes_to(group, fields)
        if changes:
            plan.updated.append((group, changes, record))
        else:
            plan.unchanged.append(group)
    plan.not_in_file = [g for key, g in existing.items() if key not in named and g["active"]]
    return plan


def import_roster(db, scope, site_id, commune_code, data, filename, dry_run=False):
    """Read a roster file and, unless `dry_run` or it has any problem, apply it in one transaction."""
    parsed = parse_roster(data, filename)
    with db.atomic():
        plan = plan_import(db, scope, commune_code, parsed)
        if dry_run or not plan.ok:
            return plan
        for fields in plan.added:
            add_group(db, scope, site_id, commune_code, {k: v for k, v in fields.items() if k != "row"})
        for group, changes, _record in plan.updated:
            update_group(db, scope, group, {key: new for key, (_, new) in changes.items()}, action="group.import")
        audit.record(
            db, scope, "roster.import", "residential_groups", None, commune_code, {"file": filename, **plan.summary()}
        )
        plan.applied = True
    return plan
