"""The rollup the dashboard and reports read: counts per commune and period, kept by triggers.

Scanning a million submissions' JSON per request is too slow, so every insert or update of a
submission adds the contribution of the record's current version to small tables and takes away
the one of the version it replaces. Triggers do it, so records arriving by sync, by the API or
by a page all count, and nobody can forget to.

A record counts when it is current (no version replaces it) and not deleted. A version is
replaced by at most one other (unique index on replaces_uuid), so when a version arrives, the
version it replaces was counted just before and is now taken away, even when versions arrive
out of order: a version that arrives after its replacement is never added.

Tables (each row's figures are sums over current records):
- report_days (day, commune_code, group_uuid): the finest grain, for groups and range ends.
- report_periods (grain, period, commune_code): grain 'w' (period = Monday), 'm' (YYYY-MM) or
  'a' (all time, period ''). Each record also counts under the commune '*', the whole
  installation, so the central's unfiltered figures are a few rows, not one per commune.
- report_tags (grain, commune_code, period, tag): grains 'd', 'm', 'a', commune '*' too; tag
  "channel:<id>" or "topic:<id>".
Each activity row holds records (any form), sessions, broadcasts, poster_records,
household_visits and the sessions' attendance (attendees, women, ethnic_minority).
A date range reads whole months (or weeks) and the days at its ends; no range reads grain 'a'.
"""

from contextlib import contextmanager

ALL = "*"
# The day a record is about: its event date, else the day it arrived.
DAY = "COALESCE(r.event_date, substr(r.received_at, 1, 10))"
WEEK = f"date({DAY}, 'weekday 0', '-6 days')"  # Monday ('weekday 0' is the next Sunday, or the day itself)
MONTH = f"substr({DAY}, 1, 7)"
METRICS = {
    "records": "1",
    "sessions": "r.form_id = 'session'",
    "broadcasts": "r.form_id = 'broadcast'",
    "poster_records": "r.form_id = 'poster'",
    "household_visits": "r.form_id = 'household_visit'",
    "attendees": "COALESCE(json_extract(r.data, '$.attendees_total'), 0)",
    "women": "COALESCE(json_extract(r.data, '$.attendees_women'), 0)",
    "ethnic_minority": "COALESCE(json_extract(r.data, '$.attendees_ethnic_minority'), 0)",
}
TABLES = ("report_days", "report_periods", "report_tags")
TRIGGERS = ("report_rollup_insert", "report_rollup_replace", "report_rollup_update", "report_rollup_delete")
# The columns a record's contribution depends on; an UPDATE of any other (seq) changes nothing.
WATCHED = ("data", "deleted", "commune_code", "event_date", "received_at", "group_uuid", "form_id", "channel")
COLUMNS = ("uuid", "replaces_uuid", *WATCHED)


def create_tables(db):
    """Create the rollup tables (empty) and their indexes."""
    sums = ", ".join(f"[{m}] INTEGER NOT NULL DEFAULT 0" for m in METRICS)
    db.execute(
        "CREATE TABLE report_days (day TEXT NOT NULL, commune_code TEXT NOT NULL, group_uuid TEXT NOT NULL,"
        f" {sums}, PRIMARY KEY (day, commune_code, group_uuid)) WITHOUT ROWID"
    )
    # Covers the per-commune questions (last session, broadcast days) without reading the rows.
    db.execute("CREATE INDEX report_days_commune ON report_days (commune_code, day, sessions, broadcasts)")
    db.execute(
        "CREATE TABLE report_periods (grain TEXT NOT NULL, period TEXT NOT NULL, commune_code TEXT NOT NULL,"
        f" {sums}, PRIMARY KEY (grain, period, commune_code)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE report_tags (grain TEXT NOT NULL, period TEXT NOT NULL, commune_code TEXT NOT NULL,"
        " tag TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (grain, commune_code, period, tag)) WITHOUT ROWID"
    )


GRAIN_PERIODS = {"d": DAY, "w": WEEK, "m": MONTH, "a": "''"}
# Channels and topics of a record as one JSON object whose leaves json_tree walks.
TAG_TREE = (
    "json_object('channel', r.channel, 'topics', json(COALESCE(json_extract(r.data, '$.topics'), '[]')),"
    " 'topic', json_extract(r.data, '$.topic'))"
)
TAG = "CASE WHEN j.key = 'channel' THEN 'channel:' ELSE 'topic:' END || j.atom"


def _grains(names):
    """A constant table of (grain, star): each grain for the record's commune (0) and for '*' (1)."""
    rows = [f"SELECT '{g}' AS grain, {star} AS star" for star in (0, 1) for g in names]
    return "(" + " UNION ALL ".join(rows) + ")"


def _period(grains):
    return "CASE k.grain " + " ".join(f"WHEN '{g}' THEN {GRAIN_PERIODS[g]}" for g in grains) + " END"


def _apply(source, one_row=False):
    """Three statements adding what the records of `source` count for, times their `sign` (1 or -1).

    `one_row`: the source is a single record, so nothing needs grouping (each row a statement adds has
    a key of its own, and the upsert adds a repeated tag to the first); about a quarter of the cost.
    """
    names = ", ".join(f"[{m}]" for m in METRICS)
    total = "{}" if one_row else "SUM({})"
    sums = ", ".join(total.format(f"r.sign * ({expr})") for expr in METRICS.values())
    adds = ", ".join(f"[{m}] = [{m}] + excluded.[{m}]" for m in METRICS)
    commune = f"CASE k.star WHEN 1 THEN '{ALL}' ELSE r.commune_code END"
    # Without GROUP BY, "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
    grouped = "WHERE true" if one_row else "GROUP BY 1, 2, 3"
    return [
        f"INSERT INTO report_days (day, commune_code, group_uuid, {names})"
        f" SELECT {DAY}, r.commune_code, COALESCE(r.group_uuid, ''), {sums} FROM {source} AS r"
        f" {grouped} ON CONFLICT DO UPDATE SET {adds}",
        f"INSERT INTO report_periods (grain, period, commune_code, {names})"
        f" SELECT k.grain, {_period('wma')}, {commune}, {sums} FROM {source} AS r, {_grains('wma')} AS k"
        f" {grouped} ON CONFLICT DO UPDATE SET {adds}",
        "INSERT INTO report_tags (grain, period, commune_code, tag, records)"
        f" SELECT k.grain, {_period('dma')}, {commune}, {TAG}, {total.format('r.sign')}"
        f" FROM {source} AS r, json_tree({TAG_TREE}) AS j, {_grains('dma')} AS k"
        " WHERE j.atom IS NOT NULL AND j.atom != ''"
        f"{'' if one_row else ' GROUP BY 1, 2, 3, 4'} ON CONFLICT DO UPDATE SET records = records + excluded.records",
    ]


def _row_of(alias, sign, condition):
    """A subquery of a trigger's NEW or OLD row under the submissions' names, with its sign, when `condition`."""
    values = ", ".join(f"{alias}.[{c}] AS [{c}]" for c in COLUMNS)
    return f"SELECT {values}, {sign} AS sign WHERE {condition}"


def _stored(sign, condition):
    """A subquery of stored versions with a sign, when `condition` (on alias s)."""
    return f"SELECT {', '.join(f's.[{c}]' for c in COLUMNS)}, {sign} AS sign FROM submissions AS s WHERE {condition}"


def _current(alias):
    return f"{alias}.deleted = 0 AND NOT EXISTS (SELECT 1 FROM submissions AS l WHERE l.replaces_uuid = {alias}.uuid)"


def create_triggers(db):
    """Keep the rollup in step with submissions on every insert, update and delete.

    Three statements per trigger: a record costs few statements (tests/test_db.py).
    """

    def trigger(name, event, *sources, when="1", one_row=False):
        statements = "; ".join(_apply("(" + " UNION ALL ".join(sources) + ")", one_row))
        db.execute(f"CREATE TRIGGER {name} AFTER {event} ON submissions WHEN {when} BEGIN {statements}; END")

    # A new version counts when current; the version it replaces was current until now (a version
    # has at most one replacement), so it stops counting. Two triggers, so a new record (most of
    # them) runs only the first, on its own row.
    trigger("report_rollup_insert", "INSERT", _row_of("NEW", 1, "1"), when=_current("NEW"), one_row=True)
    trigger(
        "report_rollup_replace",
        "INSERT",
        _stored(-1, "s.uuid = NEW.replaces_uuid AND s.deleted = 0"),
        when="NEW.replaces_uuid IS NOT NULL",
    )
    trigger(
        "report_rollup_update",
        f"UPDATE OF {', '.join(WATCHED)}",
        _row_of("OLD", -1, _current("OLD")),
        _row_of("NEW", 1, _current("NEW")),
    )
    # fieldkit never deletes a version; if one is deleted, the version it replaced is current again.
    trigger(
        "report_rollup_delete",
        "DELETE",
        _row_of("OLD", -1, _current("OLD")),
        _stored(1, "s.uuid = OLD.replaces_uuid AND " + _current("s")),
    )


def drop_triggers(db):
    for name in TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS [{name}]")


def rebuild(db):
    """Recompute every rollup table from the submissions (after a bulk load, or to check).

    Staged for speed: days and daily tags from the submissions, then each coarser grain from
    the finer one, then the '*' rows from the communes' rows.
    """
    names = ", ".join(f"[{m}]" for m in METRICS)
    sums = ", ".join(f"SUM([{m}])" for m in METRICS)
    with db.atomic():
        for table in TABLES:
            db.execute(f"DELETE FROM [{table}]")
        db.execute(_apply(f"({_stored(1, _current('s'))})")[0])
        day_periods = (("w", "date(day, 'weekday 0', '-6 days')"), ("m", "substr(day, 1, 7)"))
        for grain, period in day_periods:
            db.execute(
                f"INSERT INTO report_periods (grain, period, commune_code, {names})"
                f" SELECT '{grain}', {period}, commune_code, {sums} FROM report_days GROUP BY 2, 3"
            )
        db.execute(
            f"INSERT INTO report_periods (grain, period, commune_code, {names})"
            f" SELECT 'a', '', commune_code, {sums} FROM report_periods WHERE grain = 'm' GROUP BY 3"
        )
        db.execute(
            f"INSERT INTO report_periods (grain, period, commune_code, {names})"
            f" SELECT grain, period, '{ALL}', {sums} FROM report_periods GROUP BY 1, 2"
        )
        db.execute(
            "INSERT INTO report_tags (grain, period, commune_code, tag, records)"
            f" SELECT 'd', {DAY}, r.commune_code, {TAG}, COUNT(*) FROM submissions AS r, json_tree({TAG_TREE}) AS j"
            f" WHERE ({_current('r')}) AND j.atom IS NOT NULL AND j.atom != '' GROUP BY 2, 3, 4"
        )
        for grain, source, period in (("m", "d", "substr(period, 1, 7)"), ("a", "m", "''")):
            db.execute(
                "INSERT INTO report_tags (grain, period, commune_code, tag, records)"
                f" SELECT '{grain}', {period}, commune_code, tag, SUM(records) FROM report_tags"
                f" WHERE grain = '{source}' GROUP BY 2, 3, 4"
            )
        db.execute(
            "INSERT INTO report_tags (grain, period, commune_code, tag, records)"
            f" SELECT grain, period, '{ALL}', tag, SUM(records) FROM report_tags GROUP BY 1, 2, 4"
        )


@contextmanager
def bulk_load(db):
    """Suspend the triggers while many submissions are loaded, then rebuild once: far faster."""
    drop_triggers(db)
    try:
        yield
    finally:
        rebuild(db)
        create_triggers(db)
