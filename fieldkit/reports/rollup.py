"""The rollup the dashboard and reports read: counts per commune and period, kept by triggers.

Scanning a million submissions' JSON per request is too slow, so every insert or update of a
submission adds the contribution of the record's current version to small tables and takes away
the one of the version it replaces. Triggers do it, so records arriving by sync, by the API or
by a page all count, and nobody can forget to.

A record counts when it is current (no version replaces it) and not deleted. A version is
replaced by at most one other (unique index on replaces_uuid), so when a version arrives, the
version it replaces was counted just before and is now taken away, even when versions arrive
out of order: a version that arrives after its replacement is never added.

Tables (each row's counts are sums of current records):
- report_days: (day, commune_code, group_uuid): the finest grain, for groups and range ends.
- report_weeks / report_months: (period, commune_code): what a whole week or month holds.
Each holds records (any form), sessions, broadcasts, poster_records, household_visits and the
attendance of sessions (attendees, women, ethnic_minority).
- report_tags_days / report_tags_months: (period, commune_code, tag): channels and topics,
  tag "channel:<id>" or "topic:<id>".
A date range reads whole months from the month table and the days at its ends from the day table.
"""

from contextlib import contextmanager

# The day a record is about: its event date, else the day it arrived.
DAY = "COALESCE(r.event_date, substr(r.received_at, 1, 10))"
PERIODS = {
    "day": DAY,
    # Monday of the record's week ('weekday 0' is the next Sunday, or the day itself).
    "week": f"date({DAY}, 'weekday 0', '-6 days')",
    "month": f"substr({DAY}, 1, 7)",
}
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
ACTIVITY_TABLES = {
    "report_days": ("day", ["day", "commune_code", "group_uuid"]),
    "report_weeks": ("week", ["period", "commune_code"]),
    "report_months": ("month", ["period", "commune_code"]),
}
TAG_TABLES = {"report_tags_days": "day", "report_tags_months": "month"}
# Where a record's tags come from: (prefix, FROM addition, value expression).
TAG_SOURCES = (
    ("channel:", "", "r.channel"),
    ("topic:", ", json_each(r.data, '$.topics') AS j", "j.value"),
    ("topic:", "", "json_extract(r.data, '$.topic')"),
)
TRIGGERS = ("report_rollup_insert", "report_rollup_update", "report_rollup_delete")
# The columns a record's contribution depends on; an UPDATE of any other (seq) changes nothing.
WATCHED = ("data", "deleted", "commune_code", "event_date", "received_at", "group_uuid", "form_id", "channel")
COLUMNS = ("uuid", "replaces_uuid", *WATCHED)


def create_tables(db):
    """Create the rollup tables (empty) and their indexes."""
    for table, (_, keys) in ACTIVITY_TABLES.items():
        columns = ", ".join(f"[{k}] TEXT NOT NULL" for k in keys)
        sums = ", ".join(f"[{m}] INTEGER NOT NULL DEFAULT 0" for m in METRICS)
        db.execute(f"CREATE TABLE [{table}] ({columns}, {sums}, PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID")
        db.execute(f"CREATE INDEX [{table}_commune] ON [{table}] (commune_code, [{keys[0]}])")
    for table in TAG_TABLES:
        db.execute(
            f"CREATE TABLE [{table}] (period TEXT NOT NULL, commune_code TEXT NOT NULL, tag TEXT NOT NULL,"
            " records INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (period, commune_code, tag)) WITHOUT ROWID"
        )
        db.execute(f"CREATE INDEX [{table}_commune] ON [{table}] (commune_code, period)")


def _apply(source, condition, sign):
    """SQL statements adding (sign 1) or taking away (-1) what the records `source` yields count for."""
    statements = []
    for table, (grain, keys) in ACTIVITY_TABLES.items():
        key_exprs = [PERIODS[grain] if k in ("day", "period") else f"COALESCE(r.[{k}], '')" for k in keys]
        metric_names = ", ".join(METRICS)
        sums = ", ".join(f"SUM({sign} * ({expr}))" for expr in METRICS.values())
        updates = ", ".join(f"[{m}] = [{m}] + excluded.[{m}]" for m in METRICS)
        statements.append(
            f"INSERT INTO [{table}] ({', '.join(keys)}, {metric_names})"
            f" SELECT {', '.join(key_exprs)}, {sums} FROM {source} AS r WHERE {condition}"
            f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}"
            f" ON CONFLICT DO UPDATE SET {updates}"
        )
    for table, grain in TAG_TABLES.items():
        for prefix, join, value in TAG_SOURCES:
            statements.append(
                f"INSERT INTO [{table}] (period, commune_code, tag, records)"
                f" SELECT {PERIODS[grain]}, r.commune_code, '{prefix}' || {value}, SUM({sign})"
                f" FROM {source} AS r{join} WHERE ({condition}) AND {value} IS NOT NULL AND {value} != ''"
                " GROUP BY 1, 2, 3 ON CONFLICT DO UPDATE SET records = records + excluded.records"
            )
    return statements


def _row_of(alias):
    """A one-row subquery holding a trigger's NEW or OLD values under the submissions' names."""
    return "(SELECT " + ", ".join(f"{alias}.[{c}] AS [{c}]" for c in COLUMNS) + ")"


def _current(alias):
    return f"{alias}.deleted = 0 AND NOT EXISTS (SELECT 1 FROM submissions AS l WHERE l.replaces_uuid = {alias}.uuid)"


def create_triggers(db):
    """Keep the rollup in step with submissions on every insert and update."""
    on_insert = _apply(_row_of("NEW"), _current("NEW"), 1)
    # The version this one replaces was current until now (it has no other replacement).
    on_insert += _apply("submissions", "r.uuid = NEW.replaces_uuid AND r.deleted = 0", -1)
    on_update = _apply(_row_of("OLD"), _current("OLD"), -1) + _apply(_row_of("NEW"), _current("NEW"), 1)
    # Rows are never deleted by fieldkit; if one is, the version it replaced is current again.
    on_delete = _apply(_row_of("OLD"), _current("OLD"), -1)
    on_delete += _apply("submissions", _current("r") + " AND r.uuid = OLD.replaces_uuid", 1)
    body = "; ".join
    db.execute(f"CREATE TRIGGER report_rollup_insert AFTER INSERT ON submissions BEGIN {body(on_insert)}; END")
    db.execute(
        f"CREATE TRIGGER report_rollup_update AFTER UPDATE OF {', '.join(WATCHED)} ON submissions"
        f" BEGIN {body(on_update)}; END"
    )
    db.execute(f"CREATE TRIGGER report_rollup_delete AFTER DELETE ON submissions BEGIN {body(on_delete)}; END")


def drop_triggers(db):
    for name in TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS [{name}]")


def rebuild(db):
    """Recompute every rollup table from the submissions (after a bulk load, or to check)."""
    with db.atomic():
        for table in (*ACTIVITY_TABLES, *TAG_TABLES):
            db.execute(f"DELETE FROM [{table}]")
        for statement in _apply("submissions", _current("r"), 1):
            db.execute(statement)


@contextmanager
def bulk_load(db):
    """Suspend the triggers while many submissions are loaded, then rebuild once: far faster."""
    drop_triggers(db)
    try:
        yield
    finally:
        rebuild(db)
        create_triggers(db)
