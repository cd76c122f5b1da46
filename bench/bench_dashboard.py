"""The central dashboard over a national-scale simulation, beside a bare COUNT(*) in the same run.

1,000,000 submissions (sessions, broadcasts, poster checks) spread over the 3,321 communes of
Vietnam (units since 1/7/2025, from `vietnamadminunits`), dated over the 2023 campaign
(22/3/2023, plan 166/KH-UBND, to 30/11/2023). They are loaded with the rollup's triggers
suspended and the rollup rebuilt once (`rollup.bulk_load`), as a bulk import would.

Figures (median ms of GET /dashboard as a central admin, the whole request: scope, queries,
template): `dashboard_1m_ms` with no filters (what /home shows), and beside it (`range_ms`) with a
date range whose ends fall inside months; the baseline is `SELECT COUNT(*) FROM submissions`
on the same database, timed in alternation with each.
"""

import json
import random
import sqlite3
import statistics
import time
import uuid
from datetime import date, timedelta
from importlib import resources

from fieldkit.auth.users import create_user
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


def simulated_rows(communes, groups, rng):
    codes = [c for _p, _pn, c, _n in communes]
    for _ in range(SUBMISSIONS):
        code = rng.choice(codes)
        day = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
        kind = rng.random()
        group = rng.choice(groups[code])
        if kind < 0.45:
            form, total = "session", rng.randrange(10, 90)
            data = {
                "date": day,
                "residential_group": group,
                "topics": rng.sample(TOPICS, 2),
                "attendees_total": total,
                "attendees_women": total // 2,
                "attendees_ethnic_minority": total // 3,
            }
            channel = rng.choice(CHANNELS)
        elif kind < 0.75:
            form, data, channel, group = "broadcast", {"date": day, "topic": rng.choice(TOPICS)}, "loudspeaker", None
        else:
            form, data, channel = "poster", {"date": day, "residential_group": group}, "cultural_house_posting"
        version = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        yield (version, "sim", form, "1", code, json.dumps(data), f"{day}T09:00:00Z", version, day, group, channel)


def build(app):
    rng = random.Random(2023)
    communes = national_communes()
    with app.app_context():
        db = get_db()
        # Building the database is not what is measured: a page cache that holds the random-keyed
        # indexes (uuid) saves most of the load's disk reads and writes (SQLite's default is 2 MiB).
        db.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
        load_units(db, communes)
        groups = {}
        group_rows = []
        for _p, _pn, code, _n in communes:
            groups[code] = []
            for n in range(GROUPS_PER_COMMUNE):
                group_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                groups[code].append(group_uuid)
                group_rows.append((group_uuid, "sim", code, f"Thôn {n + 1}", f"thon {n + 1}", "thon", 1, "[]"))
        started = time.perf_counter()
        # The change-sequence triggers matter to sync, not to reading: off while loading, then back.
        seq_triggers = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'submissions'"
            " AND name LIKE 'submissions_seq_%'"
        ).fetchall()
        for name, _sql in seq_triggers:
            db.execute(f"DROP TRIGGER [{name}]")
        with rollup.bulk_load(db), db.atomic():
            db.conn.executemany(
                "INSERT INTO residential_groups (uuid, origin_site, commune_code, name, name_key, kind, active,"
                " papi_years) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                group_rows,
            )
            db.conn.executemany(
                "INSERT INTO submissions (uuid, origin_site, form_id, form_version, commune_code, data, received_at,"
                " root_uuid, event_date, group_uuid, channel, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                simulated_rows(communes, groups, rng),
            )
        for _name, sql in seq_triggers:
            db.execute(sql)
        load_seconds = time.perf_counter() - started
        create_user(db, app.extensions["fieldkit.hasher"], "so", "benchmark-password", "central_admin", [])
        db.execute("ANALYZE")
    return load_seconds


def paired_ms(work, baseline, rounds=ROUNDS):
    ours, theirs = [], []
    for _ in range(rounds):
        for fn, out in ((work, ours), (baseline, theirs)):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return statistics.median(ours), statistics.median(theirs)


def run():
    app = bench_app(ROLE="central", WTF_CSRF_ENABLED=False, FAST_PASSWORD_HASH=True)
    load_seconds = build(app)
    print(f"  loaded {SUBMISSIONS:,} submissions and rebuilt the rollup in {load_seconds:.1f} s", flush=True)
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
