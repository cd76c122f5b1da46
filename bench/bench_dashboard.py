"""The central dashboard over a national-scale simulation, beside a bare COUNT(*) in the same run.

1,000,000 submissions (sessions, broadcasts, poster checks) spread over the 3,321 communes of
Vietnam (units since 1/7/2025, from `vietnamadminunits`), dated over the 2023 campaign
(22/3/2023, plan 166/KH-UBND, to 30/11/2023). They are loaded as a bulk import would be: the
rollup's triggers suspended and the rollup rebuilt once (`rollup.bulk_load`), the submissions'
indexes built after the rows, with pragmas for this throwaway database that are put back before
anything is timed. The database ends as the product would have it (the same schema, `seq` numbered,
the rollup checked against a count of the records).

Figures (median ms of GET /dashboard as a central admin, the whole request: scope, queries,
template): `dashboard_1m_ms` with no filters (what /home shows), and beside it (`range_ms`) with a
date range whose ends fall inside months; the baseline is `SELECT COUNT(*) FROM submissions`
on the same database, timed in alternation with each.
"""

import random
import sqlite3
import statistics
import time
from contextlib import contextmanager
from datetime import date, timedelta
from importlib import resources

from fieldkit.auth.users import create_user
from fieldkit.changes import current_seq
from fieldkit.db import get_db
from fieldkit.reports import rollup

from .apps import bench_app
from .harness import result

SUBMISSIONS = 1_000_000
GROUPS_PER_COMMUNE = 8
FIRST_DAY = date(2023, 3, 22)
DAYS = (date(2023, 11, 30) - FIRST_DAY).days + 1
ROUNDS = 15
BUILD_CACHE_KIB = 512 * 1024
TOPICS = ("participation", "transparency", "accountability", "corruption", "procedures", "services")
CHANNELS = ("village_meeting", "party_cell", "cultural_house_posting", "commune_conference")


def national_communes():
    """(province code, province name, commune code, commune name) of the 3,321 communes since 2025."""
    path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute("SELECT provinceCode, province, wardCode, ward FROM admin_units ORDER BY wardCode").fetchall()
    conn.close()
    return rows


def load_units(db, communes):
    provinces = {(p, name) for p, name, _c, _n in communes}
    db["units"].upsert_all(
        [
            *({"era": "2025", "code": p, "name": n, "level": "province", "parent_code": None} for p, n in provinces),
            *({"era": "2025", "code": c, "name": n, "level": "commune", "parent_code": p} for p, _pn, c, n in communes),
        ],
        pk=("era", "code"),
    )


DATES = [(FIRST_DAY + timedelta(days=n)).isoformat() for n in range(DAYS)]
# str(uuid.UUID(int=bits, version=4)) without building the object: the version and variant bits.
UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
UUID4_SET = (0x8000 << 48) | (4 << 76)


def uuid4_text(bits):
    digits = f"{bits & UUID4_CLEAR | UUID4_SET:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def simulated_rows(communes, groups, rng, first_seq, count):
    """The submissions as tuples, each the same as `json.dumps` and `uuid.UUID` would write them, built
    as text because they were half of the load's time; `seq` numbered on from `first_seq`."""
    codes = [c for _p, _pn, c, _n in communes]
    choice, randrange, random, sample, getrandbits = rng.choice, rng.randrange, rng.random, rng.sample, rng.getrandbits
    for seq in range(first_seq, first_seq + count):
        code = choice(codes)
        day = DATES[randrange(DAYS)]
        kind = random()
        group = choice(groups[code])
        if kind < 0.45:
            form, total = "session", randrange(10, 90)
            first, second = sample(TOPICS, 2)
            data = (
                f'{{"date": "{day}", "residential_group": "{group}", "topics": ["{first}", "{second}"],'
                f' "attendees_total": {total}, "attendees_women": {total // 2},'
                f' "attendees_ethnic_minority": {total // 3}}}'
            )
            channel = choice(CHANNELS)
        elif kind < 0.75:
            form, channel, group = "broadcast", "loudspeaker", None
            data = f'{{"date": "{day}", "topic": "{choice(TOPICS)}"}}'
        else:
            form, channel = "poster", "cultural_house_posting"
            data = f'{{"date": "{day}", "residential_group": "{group}"}}'
        version = uuid4_text(getrandbits(128))
        yield (version, "sim", seq, form, "1", code, data, f"{day}T09:00:00Z", version, day, group, channel)


def schema(db):
    """Every table, index and trigger as SQL: the build must leave the product's schema as it found it."""
    return db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()


@contextmanager
def throwaway_build(db):
    """Build pragmas for this database only, which nobody would miss if the machine died mid-build: no
    journal, no syncing, a page cache that holds the indexes. The product's come back
    (`fieldkit.db.connect`'s WAL and synchronous=NORMAL, SQLite's defaults) before anything is measured."""
    assert db.execute("PRAGMA journal_mode = OFF").fetchone()[0] == "off", "another connection holds the database"
    for pragma in ("synchronous = OFF", f"cache_size = -{BUILD_CACHE_KIB}"):
        db.execute(f"PRAGMA {pragma}")
    try:
        yield
    finally:
        assert db.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
        for pragma in ("synchronous = NORMAL", "cache_size = -2000"):
            db.execute(f"PRAGMA {pragma}")


def drop_for_load(db):
    """Drop the submissions' indexes and change-sequence triggers; return the SQL that makes them again.

    Inserted with the indexes in place, a million rows cost about 15 s of CPU here (two of the indexes
    on random uuids); without them about 3 s, and all five indexes built afterwards, each from its keys
    sorted once, about 7 s. The load numbers `seq` itself, as the triggers would have.
    """
    kept = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'submissions' AND sql IS NOT NULL"
        " AND (type = 'index' OR name LIKE 'submissions_seq_%')"
    ).fetchall()
    for kind, name, _sql in kept:
        db.execute(f"DROP {kind.upper()} [{name}]")
    return [sql for _kind, _name, sql in kept]


def check_rollup(db, count):
    """The rollup's all-time figures for the whole installation equal a count of the current records."""
    assert db.execute("SELECT COUNT(*) FROM submissions WHERE replaces_uuid IS NOT NULL").fetchone()[0] == 0
    counted = db.execute(
        "SELECT COUNT(*), SUM(form_id = 'session'), SUM(form_id = 'broadcast'), SUM(form_id = 'poster')"
        " FROM submissions WHERE deleted = 0"
    ).fetchone()
    rolled = db.execute(
        "SELECT records, sessions, broadcasts, poster_records FROM report_periods"
        " WHERE grain = 'a' AND period = '' AND commune_code = ?",
        [rollup.ALL],
    ).fetchone()
    assert tuple(rolled) == tuple(counted) and counted[0] == count, (rolled, counted)


def build(app, count=SUBMISSIONS):
    """Load `count` simulated submissions as a bulk load would; return the seconds of each step."""
    rng = random.Random(2023)
    communes = national_communes()
    steps, lap = {}, time.perf_counter()

    def step(name):
        nonlocal lap
        steps[name], lap = time.perf_counter() - lap, time.perf_counter()

    with app.app_context():
        db = get_db()
        before = schema(db)
        load_units(db, communes)
        groups = {}
        group_rows = []
        for _p, _pn, code, _n in communes:
            groups[code] = []
            for n in range(GROUPS_PER_COMMUNE):
                group_uuid = uuid4_text(rng.getrandbits(128))
                groups[code].append(group_uuid)
                group_rows.append((group_uuid, "sim", code, f"Thôn {n + 1}", f"thon {n + 1}", "thon", 1, "[]"))
        step("units and groups")
        with throwaway_build(db):
            with rollup.bulk_load(db):
                recreate = drop_for_load(db)
                with db.atomic():
                    db.conn.executemany(
                        "INSERT INTO residential_groups (uuid, origin_site, commune_code, name, name_key, kind,"
                        " active, papi_years) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        group_rows,
                    )
                    first_seq = current_seq(db) + 1
                    db.conn.executemany(
                        "INSERT INTO submissions (uuid, origin_site, seq, form_id, form_version, commune_code, data,"
                        " received_at, root_uuid, event_date, group_uuid, channel, deleted)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                        simulated_rows(communes, groups, rng, first_seq, count),
                    )
                    db.execute("UPDATE change_counter SET value = ? WHERE id = 1", [first_seq + count - 1])
                step("rows")
                for sql in recreate:
                    db.execute(sql)
                step("indexes")
            step("rollup")
        create_user(db, app.extensions["fieldkit.hasher"], "so", "benchmark-password", "central_admin", [])
        db.execute("ANALYZE")
        step("analyze")
        assert schema(db) == before, "the build left the schema otherwise than it found it"
        check_rollup(db, count)
    return steps


def paired_ms(work, baseline, rounds=ROUNDS):
    ours, theirs = [], []
    for _ in range(rounds):
        for fn, out in ((work, ours), (baseline, theirs)):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return statistics.median(ours), statistics.median(theirs)


def run():
    with bench_app(ROLE="central", WTF_CSRF_ENABLED=False, FAST_PASSWORD_HASH=True) as app:
        return measure(app)


def measure(app):
    """Build the database in `app`, then time the dashboard beside a bare count."""
    steps = build(app)
    spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
    print(f"  built {SUBMISSIONS:,} submissions in {sum(steps.values()):.1f} s ({spent})", flush=True)
    client = app.test_client()
    assert client.post("/login", data={"username": "so", "password": "benchmark-password"}).status_code == 302

    def dashboard(path):
        def get():
            response = client.get(path)
            assert response.status_code == 200 and b"<svg" in response.data, response.status_code

        return get

    with app.app_context():
        db = get_db()

        def count():
            db.execute("SELECT COUNT(*) FROM submissions").fetchone()

        dashboard("/dashboard")()  # warm the caches once, as a running server would be
        whole, whole_base = paired_ms(dashboard("/dashboard"), count)
        ranged, ranged_base = paired_ms(dashboard("/dashboard?from=15/04/2023&to=20/09/2023"), count)
    entry = result("dashboard_1m_ms", whole, whole_base, "ms", higher_is_better=False)
    # Beside it, not a figure of its own (issue 17 names the figures): the same with a date range.
    entry["range_ms"], entry["range_baseline_ms"] = round(ranged, 3), round(ranged_base, 3)
    return [entry]
