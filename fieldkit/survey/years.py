"""Survey years and their sampled residential groups, made at Sở Nội vụ and marked on the groups.

A sample names a commune and a group by name, because the central may not hold the commune's
roster yet: each site finds the group in its own roster by the folded name. The commune is kept
in both unit eras (the 2023 code and its main 2025 successor), so a commune that works under the
new code still finds the groups sampled under the old one.
"""

import json
import uuid as uuid_module

from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..errors import UserFacingError
from ..rosters.groups import decode, update_group
from ..text import fold, nfc
from ..units.units import commune_by_code, successors
from ..values import parse_date

# Derived uuids: the same year, sample or visit made on two installations is the same row.
NAMESPACE = uuid_module.UUID("5b0d7c1e-6a55-4f3e-9a8e-7f2f1c0d5a11")
FIRST_PAPI_YEAR = 2009


class SurveyError(UserFacingError):
    """A survey change that cannot be made; the message is for the person who asked."""


def year_uuid(year):
    return str(uuid_module.uuid5(NAMESPACE, f"year/{int(year)}"))


def sample_uuid(year, commune_code, group_key):
    return str(uuid_module.uuid5(NAMESPACE, f"sample/{int(year)}/{commune_code}/{group_key}"))


def parse_day(text, what):
    """An ISO or dd/mm/yyyy date as ISO text; SurveyError naming `what` otherwise."""
    try:
        return parse_date(text if isinstance(text, str) else "").isoformat()
    except ValueError:
        raise SurveyError(_l("%(what)s không phải là ngày hợp lệ (cần dạng ngày/tháng/năm).", what=what)) from None


def parse_group_spec(spec):
    """'02989:Thôn Bảo Vinh' as (commune code, group name); SurveyError when it is not that."""
    code, sep, name = str(spec).partition(":")
    code, name = code.strip(), nfc(name)
    if not sep or not code.isdigit() or not name:
        raise SurveyError(_l("“%(spec)s” không đúng dạng MÃ_XÃ:TÊN_THÔN (ví dụ 02989:Thôn Bảo Vinh).", spec=spec))
    return code, name


def get_year(db, year=None):
    """The survey year asked for, or the latest one; None when there is none."""
    if year is not None:
        if not str(year).strip().isdigit() or len(str(year).strip()) > 4:
            return None  # "", "abc" or 40 digits from a form: no such year
        rows = list(db["survey_years"].rows_where("year = ?", [int(year)], limit=1))
    else:
        rows = list(db["survey_years"].rows_where(order_by="year desc", limit=1))
    return rows[0] if rows else None


def require_year(db, year=None):
    """The survey year asked for (or the latest), or a SurveyError saying there is none."""
    found = get_year(db, year)
    if found is None:
        if year is None:
            raise SurveyError(_l("Chưa có năm khảo sát PAPI nào. Sở Nội vụ tạo năm khảo sát trước."))
        raise SurveyError(_l("Chưa có năm khảo sát %(year)s.", year=year))
    return found


def save_year(db, scope, site_id, year, date_from, date_to, readiness, note=None):
    """Create or change a survey year and its fieldwork window; return its row."""
    if not scope.is_central:
        raise SurveyError(_l("Chỉ quản trị viên Sở Nội vụ được tạo hoặc sửa năm khảo sát."))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise SurveyError(_l("Năm khảo sát phải là một số, ví dụ 2026.")) from None
    if not FIRST_PAPI_YEAR <= year <= 2100:
        raise SurveyError(_l("Năm khảo sát phải từ %(first)s đến 2100.", first=FIRST_PAPI_YEAR))
    date_from = parse_day(date_from, _l("Ngày bắt đầu khảo sát"))
    date_to = parse_day(date_to, _l("Ngày kết thúc khảo sát"))
    if date_to < date_from:
        raise SurveyError(_l("Ngày kết thúc khảo sát phải sau ngày bắt đầu."))
    now = audit.utc_now()
    row = {
        "uuid": year_uuid(year),
        "year": year,
        "fieldwork_from": date_from,
        "fieldwork_to": date_to,
        "readiness": json.dumps(readiness, ensure_ascii=False, sort_keys=True),
        "note": nfc(note) or None,
        "updated_at": now,
        "updated_by": scope.username,
    }
    with db.atomic():
        existing = get_year(db, year)
        if existing:
            db["survey_years"].update(existing["id"], row)
        else:
            db["survey_years"].insert({**row, "origin_site": site_id, "created_at": now})
        audit.record(db, scope, "survey.year", "survey_years", row["uuid"], None, {"from": date_from, "to": date_to})
    return get_year(db, year)


def sample_row(db, year, commune_code, group_name):
    """The row that marks a group as sampled, with its commune in both eras; SurveyError if unknown."""
    commune = commune_by_code(db, commune_code)
    if commune is None:
        raise SurveyError(_l("Không có xã mã %(code)s.", code=commune_code))
    if commune["era"] == "2023":
        district_code = commune["parent_code"]
        new = successors(db, commune_code)
        code_2025 = new[0]["code"] if new else commune_code
    else:
        district_code, code_2025 = None, commune_code
    key = fold(group_name)
    row = {
        "uuid": sample_uuid(year, commune_code, key),
        "year": int(year),
        "commune_code": commune_code,
        "commune_code_2025": code_2025,
        "district_code": district_code,
        "group_name": nfc(group_name),
        "group_key": key,
        "removed": 0,
    }
    # The roster's spelling (with its diacritics) is better than a name typed without them.
    group = group_of(db, row)
    if group:
        row["group_name"] = group["name"]
    return row


def add_samples(db, scope, site_id, year, specs):
    """Mark groups (as (commune code, name) pairs) as sampled in `year`; return how many were new."""
    if not scope.is_central:
        raise SurveyError(_l("Chỉ quản trị viên Sở Nội vụ được chọn thôn khảo sát."))
    require_year(db, year)
    rows = [sample_row(db, year, code, name) for code, name in specs]
    now = audit.utc_now()
    added = 0
    with db.atomic():
        for row in rows:
            found = list(db["survey_samples"].rows_where("uuid = ?", [row["uuid"]], limit=1))
            if found:
                if found[0]["removed"]:
                    db["survey_samples"].update(found[0]["id"], {"removed": 0, "updated_at": now})
                    added += 1
                continue
            db["survey_samples"].insert({**row, "origin_site": site_id, "created_at": now, "updated_at": now})
            added += 1
        if rows:
            audit.record(
                db,
                scope,
                "survey.samples",
                "survey_samples",
                None,
                None,
                {"year": int(year), "groups": [f"{r['commune_code']}:{r['group_name']}" for r in rows]},
            )
        mark_groups(db, scope, int(year))
    return added


def remove_sample(db, scope, sample):
    """Take a group out of its year's sample (the row stays, marked removed, so the change travels)."""
    if not scope.is_central:
        raise SurveyError(_l("Chỉ quản trị viên Sở Nội vụ được chọn thôn khảo sát."))
    with db.atomic():
        db["survey_samples"].update(sample["id"], {"removed": 1, "updated_at": audit.utc_now()})
        audit.record(db, scope, "survey.sample_removed", "survey_samples", sample["uuid"], sample["commune_code"])


def commune_condition(scope, commune_code=None):
    """SQL (and params) for samples or visits the scope holds, of one commune if given, in either era."""
    old_sql, old_params = scope.where("commune_code")
    new_sql, new_params = scope.where("commune_code_2025")
    sql, params = f"(({old_sql}) OR ({new_sql}))", [*old_params, *new_params]
    if commune_code:
        sql += " AND (commune_code = ? OR commune_code_2025 = ?)"
        params += [commune_code, commune_code]
    return sql, params


def list_samples(db, scope, year, commune_code=None):
    """The sampled groups of a year the scope holds (of one commune if given), by commune and name."""
    sql, params = commune_condition(scope, commune_code)
    return list(
        db["survey_samples"].rows_where(
            f"year = ? AND removed = 0 AND {sql}", [int(year), *params], order_by="commune_code, group_key"
        )
    )


def get_sample(db, scope, sample_uuid_text):
    """One sampled group by uuid within the scope, or None."""
    sql, params = commune_condition(scope)
    rows = list(
        db["survey_samples"].rows_where(f"uuid = ? AND removed = 0 AND {sql}", [sample_uuid_text, *params], limit=1)
    )
    return rows[0] if rows else None


def find_sample(db, scope, year, commune_code, group_name):
    """The sampled group of a commune (either era) whose name folds like `group_name`, or None."""
    return next((s for s in list_samples(db, scope, year, commune_code) if s["group_key"] == fold(group_name)), None)


def group_of(db, sample):
    """The roster's group that a sample names (by folded name, in either era's commune), or None."""
    # A group under the sample's own code wins over one under the 2025 successor's.
    rows = list(
        db.query(
            "SELECT * FROM residential_groups WHERE commune_code IN (?, ?) AND name_key = ?"
            " ORDER BY commune_code = ? DESC LIMIT 1",
            [sample["commune_code"], sample["commune_code_2025"], sample["group_key"], sample["commune_code"]],
        )
    )
    return decode(rows[0]) if rows else None


def mark_groups(db, scope, year):
    """Add `year` to the PAPI years of every roster group sampled that year; return how many changed."""
    changed = 0
    for sample in list_samples(db, scope, year):
        group = group_of(db, sample)
        if group and year not in group["papi_years"] and scope.allows(group["commune_code"]):
            update_group(db, scope, group, {"papi_years": sorted({*group["papi_years"], year})}, "group.papi_year")
            changed += 1
    return changed
