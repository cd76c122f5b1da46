"""The rollup equals a recount from scratch after any mix of new records, edits, deletions,
versions arriving out of order (as sync may bring them) and in-place updates."""

import json
import random
import uuid
from datetime import date, timedelta

import pytest

from fieldkit.auth.scope import Scope
from fieldkit.db import get_db
from fieldkit.formspec import registry
from fieldkit.reports import queries, rollup
from fieldkit.submissions import records
from fieldkit.testing import BAO_HA, PHO_LU, session_data

TABLES = rollup.TABLES


def snapshot(db):
    """Every rollup row that counts something, per table."""
    result = {}
    for table in TABLES:
        columns = [c.name for c in db[table].columns]
        numbers = [c for c in columns if c in rollup.METRICS]
        rows = db.execute(f"SELECT * FROM [{table}]").fetchall()
        result[table] = sorted(tuple(row) for row in rows if any(row[columns.index(n)] for n in numbers))
    return result


def recount(db):
    rollup.rebuild(db)
    return snapshot(db)


@pytest.mark.parametrize("seed", range(4))
def test_rollup_matches_a_recount_after_random_edits_and_deletions(app, create_group, seed):
    rng = random.Random(seed)
    groups = {BAO_HA: create_group("Thôn Bảo Vinh"), PHO_LU: create_group("Tổ dân phố 1", commune=PHO_LU)}
    with app.app_context():
        db = get_db()
        forms = registry(app)
        live = []
        for step in range(40):
            commune = rng.choice([BAO_HA, PHO_LU])
            scope = Scope(None, "canbo", "officer", frozenset({commune}))
            action = rng.random()
            day = f"2026-{rng.choice(['10', '11'])}-{rng.randrange(1, 29):02d}"
            mine = [r for r in live if r["commune_code"] == commune]
            if action < 0.5 or not mine:
                payload = {
                    "uuid": str(uuid.uuid4()),
                    "form_id": "session",
                    "form_version": 1,
                    "commune": commune,
                    "data": session_data(rng, groups[commune]["uuid"], day),
                }
                live.append(records.receive(db, scope, "test", forms, payload).row)
            elif action < 0.8:
                old = rng.choice(mine)
                payload = {
                    "uuid": str(uuid.uuid4()),
                    "form_id": "session",
                    "form_version": 1,
                    "commune": commune,
                    "replaces": old["uuid"],
                    "data": session_data(rng, groups[commune]["uuid"], day),
                }
                outcome = records.receive(db, scope, "test", forms, payload)
                live.remove(old)
                live.append(outcome.row)
            else:
                old = rng.choice(mine)
                records.delete(db, scope, "test", forms, old["root_uuid"])
                live.remove(old)
            assert snapshot(db) == recount(db), f"step {step}"
        board = queries.dashboard(db, Scope(None, "so", "central_admin", None), queries.Filters(), today="2026-11-30")
        assert board.total.sessions == len(live)
        assert board.total.attendees == sum(json.loads(r["data"])["attendees_total"] for r in live)


def _row(commune, data, replaces=None, deleted=0):
    version = str(uuid.uuid4())
    return {
        "uuid": version,
        "origin_site": "other-site",
        "form_id": "session",
        "form_version": "1",
        "commune_code": commune,
        "data": json.dumps(data),
        "received_at": "2026-11-20T08:00:00Z",
        "replaces_uuid": replaces,
        "root_uuid": version,
        "deleted": deleted,
        "event_date": data.get("date"),
        "channel": data.get("channel"),
    }


def test_versions_arriving_out_of_order_count_once(app):
    """Sync may bring an edit before the version it replaces: only the latest counts."""
    rng = random.Random(7)
    with app.app_context():
        db = get_db()
        first = _row(BAO_HA, session_data(rng, "", "2026-11-02"))
        second = _row(BAO_HA, session_data(rng, "", "2026-11-03"), replaces=first["uuid"])
        third = _row(BAO_HA, {}, replaces=second["uuid"], deleted=1)
        for row in (third, first, second):
            db["submissions"].insert(row)
            assert snapshot(db) == recount(db)
        assert db.execute("SELECT COALESCE(SUM(records), 0) FROM report_periods").fetchone()[0] == 0


def test_an_update_in_place_moves_the_counts(app):
    rng = random.Random(3)
    with app.app_context():
        db = get_db()
        row = _row(BAO_HA, session_data(rng, "", "2026-11-02"))
        db["submissions"].insert(row)
        db.execute(
            "UPDATE submissions SET commune_code = ?, event_date = ? WHERE uuid = ?",
            [PHO_LU, "2026-10-05", row["uuid"]],
        )
        assert snapshot(db) == recount(db)
        assert db.execute(
            "SELECT commune_code, period FROM report_periods WHERE grain = 'm' AND records > 0"
        ).fetchall() == [("*", "2026-10"), (PHO_LU, "2026-10")]


def test_deleting_a_version_brings_back_the_one_it_replaced(app):
    rng = random.Random(11)
    with app.app_context():
        db = get_db()
        first = _row(BAO_HA, session_data(rng, "", "2026-11-02"))
        second = _row(BAO_HA, session_data(rng, "", "2026-11-09"), replaces=first["uuid"])
        db["submissions"].insert_all([first, second])
        db.execute("DELETE FROM submissions WHERE uuid = ?", [second["uuid"]])
        assert snapshot(db) == recount(db)
        assert db.execute("SELECT day FROM report_days WHERE records > 0").fetchall() == [("2026-11-02",)]


def test_bulk_load_suspends_the_triggers_and_rebuilds(app):
    rng = random.Random(5)
    with app.app_context():
        db = get_db()
        with rollup.bulk_load(db):
            for n in range(20):
                db["submissions"].insert(_row(BAO_HA, session_data(rng, "", f"2026-11-{n + 1:02d}")))
            assert db.execute("SELECT COUNT(*) FROM report_days").fetchone()[0] == 0
        assert db.execute("SELECT SUM(sessions) FROM report_periods WHERE grain = 'a'").fetchone()[0] == 40
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(rollup.TRIGGERS) <= names


@pytest.mark.parametrize(
    ("date_from", "date_to", "grain", "expected"),
    [
        (None, None, "month", ((None, None), [])),
        ("2023-03-22", "2023-11-30", "month", (("2023-04", "2023-11"), [("2023-03-22", "2023-03-31")])),
        ("2023-03-01", "2023-03-31", "month", (("2023-03", "2023-03"), [])),
        ("2023-03-05", "2023-03-09", "month", (None, [("2023-03-05", "2023-03-09")])),
        (None, "2023-05-09", "month", ((None, "2023-04"), [("2023-05-01", "2023-05-09")])),
        ("2023-12-15", None, "month", (("2024-01", None), [("2023-12-15", "2023-12-31")])),
        ("2023-03-06", "2023-04-02", "week", (("2023-03-06", "2023-03-27"), [])),
        (
            "2023-03-08",
            "2023-03-21",
            "week",
            (("2023-03-13", "2023-03-13"), [("2023-03-08", "2023-03-12"), ("2023-03-20", "2023-03-21")]),
        ),
    ],
)
def test_a_range_is_whole_periods_plus_its_ends(date_from, date_to, grain, expected):
    assert queries.split_range(date_from, date_to, grain) == expected


@pytest.mark.parametrize(
    ("days", "runs"),
    [
        ([], 0),
        (["2026-11-01", "2026-11-02"], 0),
        (["2026-11-01", "2026-11-02", "2026-11-03"], 1),
        (["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-06", "2026-11-07", "2026-11-08"], 2),
        (["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-02"], 1),
    ],
)
def test_consecutive_broadcast_days(days, runs):
    assert queries.count_runs(days) == runs


def test_any_range_sums_what_its_days_hold(app):
    """Months, weeks and days at the ends add up to the days of the range, for any range."""
    rng = random.Random(21)
    with app.app_context():
        db = get_db()
        for _ in range(150):
            day = (date(2026, 1, 1) + timedelta(days=rng.randrange(400))).isoformat()
            db["submissions"].insert(_row(rng.choice([BAO_HA, PHO_LU]), session_data(rng, "", day)))
        central = Scope(None, "so", "central_admin", None)
        for _ in range(25):
            lo = date(2026, 1, 1) + timedelta(days=rng.randrange(400))
            hi = lo + timedelta(days=rng.randrange(120))
            filters = queries.Filters(lo.isoformat(), hi.isoformat())
            where, params, _whole = queries._code_filter(central, None, filters, db)
            expected = {
                code: attendees
                for code, attendees in db.execute(
                    "SELECT commune_code, SUM(attendees) FROM report_days WHERE day BETWEEN ? AND ?"
                    " GROUP BY commune_code HAVING SUM(records) > 0",
                    [lo.isoformat(), hi.isoformat()],
                )
            }
            got = {code: sums["attendees"] for code, sums in queries.commune_sums(db, where, params, filters).items()}
            assert got == expected, (lo, hi)
