"""Importing a site's bundle on Sở Nội vụ, beside raw sqlite3.executemany of the same rows.

`sync_import`: a 100,000-record bundle (submissions) imported into a fresh central database:
open the zip, check hashes and signature, parse and check every row's shape and commune, find
which exist, insert the new ones, all in one transaction. The baseline inserts the same rows,
already as tuples, with one `executemany` in one transaction into a fresh copy of the same
database (same table, indexes and triggers). `sync_reimport`: the same bundle imported again
(every record "unchanged"), beside the same baseline.
"""

import hashlib
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from fieldkit.auth import audit
from fieldkit.db import connect, get_db
from fieldkit.instance import generate_site_keys, load_private_key
from fieldkit.sync.bundle import write_bundle
from fieldkit.sync.exchange import receive_up

from .apps import bench_app
from .harness import result

RECORDS = 100_000
ROUNDS = 3
COMMUNE = "02989"


def _records(site_id):
    rows = []
    for i in range(RECORDS):
        data = json.dumps({"attendees": 20 + i % 60, "topic": f"Giới thiệu PAPI lần {i}", "women": i % 20})
        record_uuid = str(uuid.uuid4())
        rows.append(
            {
                "uuid": record_uuid,
                "origin_site": site_id,
                "seq": i + 1,
                "form_id": "awareness_session",
                "form_version": "1",
                "commune_code": COMMUNE,
                "data": data,
                "content_sha256": hashlib.sha256(data.encode()).hexdigest(),
                "client_created_at": "2026-05-04T08:30:00+07:00",
                "received_at": "2026-05-04T01:31:00+00:00",
                "submitted_by": "canbo.baoha",
                "submitted_by_id": 1,
                "replaces_uuid": None,
                "root_uuid": record_uuid,
                "deleted": 0,
                "event_date": "2026-05-04",
                "group_uuid": None,
                "channel": "meeting",
            }
        )
    return rows


def run():
    # Nobody logs in here: the test users' real password hashes cost a second of set-up for nothing.
    with (
        bench_app(ROLE="central", SITE_ID="bench-central", FAST_PASSWORD_HASH=True) as app,
        tempfile.TemporaryDirectory(prefix="fieldkit-bench-sync-", ignore_cleanup_errors=True) as folder,
    ):
        return measure(app, Path(folder))


def measure(app, folder):
    """Import the bundle into fresh copies of `app`'s database, beside raw inserts into other copies."""
    started = time.perf_counter()
    site_keys = folder / "site"
    public_key = generate_site_keys(site_keys).decode()
    site_id = "bench-site-baoha"
    with app.app_context():
        db = get_db()
        db["sites"].insert(
            {
                "name": "UBND xã Bảo Hà",
                "communes": json.dumps([COMMUNE]),
                "created_at": audit.utc_now(),
                "site_id": site_id,
                "public_key": public_key,
                "enrolled_at": audit.utc_now(),
            }
        )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    template = Path(app.config["DATABASE"])
    records = _records(site_id)
    columns = [c for c in records[0] if c != "seq"]
    tuples = [tuple(r[c] for c in columns) for r in records]
    bundle = write_bundle(
        load_private_key(site_keys), "up", site_id, "UBND xã Bảo Hà", audit.utc_now(), 0, RECORDS,
        {"submissions": records}, {"household_counts": []},
    )  # fmt: skip
    insert_sql = f"INSERT INTO submissions ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    # Where the minutes go: this is a few seconds; the rest is the rounds, all of it measured.
    print(f"  set-up (instance, {RECORDS:,} records, signed bundle) {time.perf_counter() - started:.1f} s", flush=True)

    def fresh(name):
        path = folder / f"{name}.sqlite3"
        shutil.copy(template, path)
        return path

    imports, reimports, raws = [], [], []
    with app.app_context():
        for round_number in range(ROUNDS):
            path = fresh(f"ours-{round_number}")
            db = connect(str(path))
            start = time.perf_counter()
            answer = receive_up(db, app, bundle)
            imports.append(RECORDS / (time.perf_counter() - start))
            assert answer["counts"]["created"] == RECORDS, answer["counts"]
            start = time.perf_counter()
            answer = receive_up(db, app, bundle)
            reimports.append(RECORDS / (time.perf_counter() - start))
            assert answer["counts"]["unchanged"] == RECORDS, answer["counts"]
            db.close()

            conn = sqlite3.connect(fresh(f"raw-{round_number}"))
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            start = time.perf_counter()
            with conn:
                conn.executemany(insert_sql, tuples)
            raws.append(RECORDS / (time.perf_counter() - start))
            conn.close()
    baseline = statistics.median(raws)
    return [
        result("sync_import", statistics.median(imports), baseline, "rows/s"),
        result("sync_reimport", statistics.median(reimports), baseline, "rows/s"),
    ]
