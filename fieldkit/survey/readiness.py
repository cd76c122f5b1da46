"""Readiness of a sampled group before the survey team's visit, computed from what was logged.

The list of items and their settings (N days, how many consecutive days) are data: readiness.toml,
copied onto each survey year. Each kind of check is one function here; each answers whether the
item is ready, which records show it (with links) and, when it is not, what is missing.
"""

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..formspec.definition import text_in
from ..submissions.records import CURRENT
from .years import SurveyError

SETTINGS_FILE = Path(__file__).with_name("readiness.toml")
# A poster check counts when the poster was found in one of these conditions (register, form).
GOOD_CONDITIONS = ("ok", "good")


@dataclass
class Context:
    """What a check looks at: the sample, its roster group and visit, the days the records must fall in."""

    db: object
    scope: object
    sample: dict
    group: dict | None
    visit: dict | None
    # The day readiness is judged for: the visit's first day, or today when no visit is planned.
    reference: date


@dataclass
class Result:
    ready: bool
    records: list = field(default_factory=list)
    values: dict = field(default_factory=dict)


def load_settings(path=SETTINGS_FILE):
    """Readiness settings from a TOML file, checked; SurveyError when they cannot be used."""
    try:
        with open(path, "rb") as f:
            settings = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SurveyError(_l("Không đọc được tệp cài đặt mức sẵn sàng: %(error)s", error=str(error))) from None
    return check_settings(settings)


def check_settings(settings):
    """Return the settings if every item names a known check, a unique key and its numbers."""
    items = settings.get("items") if isinstance(settings, dict) else None
    if not items or not isinstance(items, list):
        raise SurveyError(_l("Tệp cài đặt mức sẵn sàng phải có ít nhất một mục [[items]]."))
    keys = set()
    for item in items:
        key = item.get("key") if isinstance(item, dict) else None
        if not key or key in keys:
            raise SurveyError(_l("Mỗi mục sẵn sàng cần một khóa (key) riêng."))
        keys.add(key)
        if item.get("check") not in CHECKS:
            raise SurveyError(
                _l("Mục “%(key)s”: kiểu kiểm tra phải là một trong %(checks)s.", key=key, checks=", ".join(CHECKS))
            )
        for number in ("days", "min_days"):
            if number in item and not (isinstance(item[number], int) and 0 < item[number] <= 366):
                raise SurveyError(_l("Mục “%(key)s”: %(name)s phải là số ngày từ 1 đến 366.", key=key, name=number))
        if not isinstance(item.get("label"), dict) or not item["label"].get("vi"):
            raise SurveyError(_l("Mục “%(key)s” cần nhãn tiếng Việt (label.vi).", key=key))
    return {"items": items}


def settings_of(year_row):
    """The readiness settings a survey year was created with (the shipped ones if it has none)."""
    if year_row and year_row.get("readiness"):
        return check_settings(json.loads(year_row["readiness"]))
    return load_settings()


def window(context, days):
    """The ISO first and last day records must fall in: the `days` days before the visit, and its first day.

    The visit's own day counts: a broadcast that morning still reaches residents before the team does.
    """
    last = context.reference
    return (last - timedelta(days=days)).isoformat(), last.isoformat()


def _submissions(context, form_id, days, whole_commune=False):
    """Current, undeleted records of a form for the group (or for no group of its commune) in the window."""
    group = context.group
    if group is None:
        return []
    first, last = window(context, days)
    where = f"{CURRENT} AND deleted = 0 AND form_id = ? AND event_date BETWEEN ? AND ?"
    params = [form_id, first, last]
    if whole_commune:
        where += " AND (group_uuid = ? OR (coalesce(group_uuid, '') = '' AND commune_code = ?))"
        params += [group["uuid"], group["commune_code"]]
    else:
        where += " AND group_uuid = ?"
        params.append(group["uuid"])
    return list(context.scope.rows(context.db["submissions"], where, params, order_by="event_date, id"))


def _record_link(row):
    return {
        "kind": "submission",
        "form": row["form_id"],
        "uuid": row["root_uuid"],
        "date": row["event_date"],
        "url": url_for("submissions.record_detail", root_uuid=row["root_uuid"]),
    }


def record_within_days(context, item):
    """At least one record of the item's form for the group in the N days before the visit."""
    rows = _submissions(context, item["form"], item["days"])
    return Result(bool(rows), [_record_link(r) for r in rows], {"days": item["days"]})


def consecutive_days(context, item):
    """Records of the item's form on at least `min_days` consecutive days in the N days before the visit."""
    rows = _submissions(context, item["form"], item["days"], item.get("whole_commune", False))
    days = sorted({date.fromisoformat(r["event_date"]) for r in rows})
    best_run, run = [], []
    for day in days:
        run = run + [day] if run and day - run[-1] == timedelta(days=1) else [day]
        # The latest run of the longest length is the one shown.
        if len(run) >= len(best_run):
            best_run = list(run)
    wanted = item.get("min_days", 3)
    in_run = {d.isoformat() for d in best_run}
    shown = [r for r in rows if r["event_date"] in in_run] if len(best_run) >= wanted else rows
    values = {"days": item["days"], "min_days": wanted, "best": len(best_run)}
    return Result(len(best_run) >= wanted, [_record_link(r) for r in shown], values)


def poster_checked(context, item):
    """A poster of the group up at its cultural house, checked in good condition in the N days before the visit."""
    group = context.group
    values = {"days": item.get("days", 30)}
    if group is None:
        return Result(False, [], values)
    first, last = window(context, values["days"])
    good = ", ".join("?" for _ in GOOD_CONDITIONS)
    # A check logged with the poster form is dated by the form's date; one made on the sheet page, by when.
    day = "coalesce((SELECT s.event_date FROM submissions s WHERE s.uuid = c.submission_uuid), substr(c.at, 1, 10))"
    rows = context.db.query(
        f"SELECT p.code, max({day}) AS checked_on FROM posters p"
        " JOIN poster_events c ON c.poster_code = p.code AND c.event = 'checked'"
        f" AND c.condition IN ({good}) AND {day} BETWEEN ? AND ?"
        " WHERE p.group_uuid = ? AND p.status = 'posted'"
        " AND EXISTS (SELECT 1 FROM poster_events e WHERE e.poster_code = p.code AND e.event = 'posted'"
        " AND e.at <= c.at)"
        " GROUP BY p.code ORDER BY checked_on",
        [*GOOD_CONDITIONS, first, last, group["uuid"]],
    )
    records = [
        {
            "kind": "poster",
            "code": row["code"],
            "date": row["checked_on"],
            "url": url_for("posters.sheet", code=row["code"]),
        }
        for row in rows
        if context.scope.allows(group["commune_code"])
    ]
    return Result(bool(records), records, values)


def group_field(context, item):
    """The roster has the item's field filled in for the group."""
    group = context.group
    if group is None or not str(group.get(item["field"]) or "").strip():
        return Result(False)
    link = {"kind": "group", "uuid": group["uuid"], "url": url_for("rosters.detail", group_uuid=group["uuid"])}
    return Result(True, [link])


def visit_status(context, item):
    """The visit's status is one of the item's statuses (confirmed or done by default)."""
    visit = context.visit
    if visit is None or visit["status"] not in item.get("statuses", ["confirmed", "done"]):
        return Result(False)
    link = {
        "kind": "visit",
        "uuid": visit["uuid"],
        "date": visit["start_date"],
        "url": url_for("survey.visit", sample_uuid=visit["sample_uuid"]),
    }
    return Result(True, [link])


CHECKS = {
    "record_within_days": record_within_days,
    "consecutive_days": consecutive_days,
    "poster_checked": poster_checked,
    "group_field": group_field,
    "visit_status": visit_status,
}


def _fill(template, values):
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def group_items(context, settings, lang="vi"):
    """Each readiness item of a sampled group: key, label, ready, records, missing."""
    items = []
    for item in settings["items"]:
        result = CHECKS[item["check"]](context, item)
        values = {"days": item.get("days", ""), "min_days": item.get("min_days", ""), "best": 0, **result.values}
        missing = ""
        if not result.ready:
            missing = _fill(text_in(item.get("missing") or item["label"], lang), values)
            if context.group is None and item["check"] != "visit_status":
                missing = str(_l("Thôn này chưa có trong danh sách thôn của xã."))
        items.append(
            {
                "key": item["key"],
                "label": _fill(text_in(item["label"], lang), values),
                "ready": result.ready,
                "records": result.records,
                "missing": missing,
            }
        )
    return items
