"""Writing rows that travel (uuid, origin, change-sequence triggers) beside raw sqlite3.executemany."""

import sqlite3
import tempfile
import uuid
from pathlib import Path

from sqlite_utils import Database

from fieldkit.changes import migrations as change_migrations
from fieldkit.changes import synced_table

from .harness import paired_rates, result

ROWS = 5000


def _rows(n):
    return [
        {"uuid": str(uuid.uuid4()), "origin_site": "bench", "name": f"Thôn Bảo Vinh {i}", "households": i % 300}
        for i in range(n)
    ]


def run():
    folder = Path(tempfile.mkdtemp(prefix="fieldkit-bench-db-"))
    counter = iter(range(10**6))
    # Built once: each round writes a fresh database, so the same uuids can be reused.
    rows = _rows(ROWS)

    def ours(n):
        db = Database(folder / f"ours-{next(counter)}.db")
        change_migrations.apply(db)
        synced_table(db, "groups", {"name": str, "households": int})
        with db.atomic():
            db["groups"].insert_all(rows, batch_size=500)
        assert db["groups"].count == n
        db.close()

    def raw(n):
        conn = sqlite3.connect(folder / f"raw-{next(counter)}.db")
        conn.execute(
            "CREATE TABLE groups (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, origin_site TEXT, name TEXT, "
            "households INTEGER)"
        )
        with conn:
            conn.executemany(
                "INSERT INTO groups (uuid, origin_site, name, households) VALUES (:uuid, :origin_site, "
                ":name, :households)",
                rows,
            )
        conn.close()

    mine, baseline = paired_rates(ours, raw, ROWS)
    return [result("synced rows inserted per second (sqlite-utils + seq triggers)", mine, baseline, "rows/s")]
