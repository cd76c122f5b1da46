"""The real server under many writers, dropped connections, a roster import, SIGKILL and a backup.

Each test runs `fieldkit serve` in its own process on a copy of an initialised instance.
"""

import http.client
import random
import sqlite3
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fieldkit.testing import BAO_HA, HEADERS, build_record, record_for

from .hostile_files import csv_rows
from .servers import FIELDKIT, Client, Server, integrity, run_fieldkit

FORM = "broadcast"


def _officer(server):
    client = Client(server.port)
    client.login("officer")
    return client


def _record_maker(client):
    """A function making a new valid record (a fresh uuid) of the broadcast form."""
    definition = client.get(f"/api/v1/forms/{FORM}", headers=HEADERS).json()
    data = build_record(definition)
    return lambda: record_for(definition, data=data)


def _rows_per_uuid(database, uuids):
    conn = sqlite3.connect(database, timeout=30)
    try:
        conn.execute("CREATE TEMP TABLE wanted (uuid TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO wanted VALUES (?)", [(u,) for u in uuids])
        rows = conn.execute(
            "SELECT wanted.uuid, COUNT(submissions.uuid) FROM wanted "
            "LEFT JOIN submissions ON submissions.uuid = wanted.uuid GROUP BY wanted.uuid"
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


def test_each_record_sent_three_times_over_dropped_connections_is_stored_once(server):
    officer = _officer(server)
    make = _record_maker(officer)
    records = [make() for _ in range(1000)]
    sends = [record for record in records for _ in range(3)]
    random.Random(12).shuffle(sends)
    statuses, acknowledged, lock = [], set(), threading.Lock()

    def send(record, may_drop=True):
        client = Client(server.port, cookies=officer.cookies)
        drop = may_drop and random.random() < 0.3
        try:
            response = client.post_json("/api/v1/submissions", record, drop=drop)
        except ConnectionError:
            response = None  # dropped by the other side: the phone sees the same as when it hangs up
        if response is not None:
            with lock:
                statuses.append(response.status)
                if response.status in (200, 201):
                    acknowledged.add(record["uuid"])

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(send, sends))
    # A phone keeps sending what it never saw acknowledged.
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda r: send(r, may_drop=False), [r for r in records if r["uuid"] not in acknowledged]))
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert set(statuses) <= {200, 201}, sorted(set(statuses))
    counts = _rows_per_uuid(server.instance / "fieldkit.sqlite3", [r["uuid"] for r in records])
    assert sum(counts.values()) == 1000 and set(counts.values()) == {1}
    assert "database is locked" not in server.output()


def test_32_writers_and_a_roster_import_see_no_lock_errors(server, tmp_path):
    officer = _officer(server)
    make = _record_maker(officer)
    rosters = _two_rosters(tmp_path)
    statuses, lock = [], threading.Lock()
    stop = threading.Event()

    def writer():
        client = Client(server.port, cookies=officer.cookies)
        while not stop.is_set():
            status = client.post_json("/api/v1/submissions", make()).status
            with lock:
                statuses.append(status)

    imports = []
    with ThreadPoolExecutor(32) as pool:
        futures = [pool.submit(writer) for _ in range(32)]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline or len(imports) < 2:
            imports.append(
                run_fieldkit(server.instance, "roster", "import", str(rosters[len(imports) % 2]), "--commune", BAO_HA)
            )
        stop.set()
        for future in futures:
            future.result()
    assert all(result.returncode == 0 for result in imports), [r.stderr for r in imports]
    assert statuses and not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert set(statuses) == {201}
    assert "database is locked" not in server.output()


def test_sigkill_in_a_burst_of_posts_loses_no_acknowledged_record(server):
    officer = _officer(server)
    make = _record_maker(officer)
    acknowledged, lock = [], threading.Lock()
    stop = threading.Event()

    def writer():
        client = Client(server.port, cookies=officer.cookies, timeout=10)
        while not stop.is_set():
            record = make()
            try:
                response = client.post_json("/api/v1/submissions", record)
            except (OSError, http.client.HTTPException):
                return  # the server died under this request (before or while it answered)
            if response.status == 201:
                with lock:
                    acknowledged.append(record["uuid"])

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(writer) for _ in range(8)]
        deadline = time.monotonic() + 120
        while len(acknowledged) < 150:  # waiting for the burst to be well under way
            assert time.monotonic() < deadline and not all(f.done() for f in futures), "the writers stopped early"
            time.sleep(0.01)
        server.kill()
        stop.set()
        for future in futures:
            future.result()
    database = server.instance / "fieldkit.sqlite3"
    assert integrity(database) == "ok"
    counts = _rows_per_uuid(database, acknowledged)
    assert set(counts.values()) == {1}, "an acknowledged record is missing or stored twice"


def _two_rosters(folder):
    """Two files of the same 3,000 groups; their household counts differ, so each import writes every row."""
    paths = [folder / "roster-a.csv", folder / "roster-b.csv"]
    for extra, path in enumerate(paths):
        path.write_bytes(csv_rows(3000, extra_households=extra))
    return paths


def test_a_roster_import_killed_at_random_points_leaves_all_or_nothing(site_instance, tmp_path):
    rosters = _two_rosters(tmp_path)
    database = site_instance / "fieldkit.sqlite3"
    rng = random.Random(7)
    command = [FIELDKIT, "--instance", str(site_instance), "roster", "import"]
    # How long a whole import takes here (it depends on the machine and its load): kills are spread
    # over that life, from start-up to after the commit, so some land before and some after.
    started = time.monotonic()
    subprocess.run([*command, str(rosters[0]), "--commune", BAO_HA], check=True, capture_output=True)
    life = time.monotonic() - started
    outcomes = set()
    for attempt in range(10):
        roster = rosters[(attempt + 1) % 2]
        process = subprocess.Popen(
            [*command, str(roster), "--commune", BAO_HA],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.3) * life)  # killing at a random point in the import's life is the test
        process.kill()
        process.wait(10)
        assert integrity(database) == "ok"
        conn = sqlite3.connect(database)
        groups = conn.execute("SELECT COUNT(*) FROM residential_groups").fetchone()[0]
        # Which file each group's count came from: all from one file, never a mixture.
        files = conn.execute(
            "SELECT DISTINCT households - CAST(substr(name, 6) AS INTEGER) FROM residential_groups"
        ).fetchall()
        conn.close()
        assert groups == 3000 and len(files) == 1, (groups, files)
        outcomes.add(files[0][0] == (attempt + 1) % 2)  # did this import commit before its kill?
    assert outcomes == {True, False}, "every kill landed on the same side of the commit; the test proved nothing"


def test_backup_during_writes_restores_the_same_data(server, tmp_path):
    officer = _officer(server)
    make = _record_maker(officer)
    stop = threading.Event()

    written = []

    def writer():
        client = Client(server.port, cookies=officer.cookies)
        while not stop.is_set():
            assert client.post_json("/api/v1/submissions", make()).status == 201
            written.append(1)

    backup = tmp_path / "backup" / "fieldkit.zip"
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(writer) for _ in range(4)]
        deadline = time.monotonic() + 60
        while len(written) < 20 and not any(f.done() for f in futures):  # the writers under way
            assert time.monotonic() < deadline, "the writers did not get going"
            time.sleep(0.01)
        result = run_fieldkit(server.instance, "backup", "-o", str(backup))
        stop.set()
        for future in futures:
            future.result()
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_mode & 0o777 == 0o600
    restored = tmp_path / "restored"
    result = run_fieldkit(restored, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert integrity(restored / "fieldkit.sqlite3") == "ok"
    for name in ("config.toml", "keys/site_ed25519.pem"):
        assert (restored / name).read_bytes() == (server.instance / name).read_bytes()
    assert (restored / "fieldkit.sqlite3").stat().st_mode & 0o777 == 0o600
    # The restored instance serves, and its users log in.
    with Server(restored) as again:
        client = Client(again.port)
        client.login("officer")
        listed = client.get("/api/v1/submissions?form=broadcast", headers={"X-Requested-With": "fieldkit"}).json()
    restored_uuids, live_uuids = (
        _column(folder / "fieldkit.sqlite3", "SELECT uuid FROM submissions") for folder in (restored, server.instance)
    )
    assert listed["total"] == len(restored_uuids) > 0
    assert restored_uuids <= live_uuids, "the backup holds records the instance never had"
    for sql in ("SELECT username, password_hash, active FROM users", "SELECT uuid, name FROM residential_groups"):
        assert _column(restored / "fieldkit.sqlite3", sql) == _column(server.instance / "fieldkit.sqlite3", sql)


def _column(database, sql):
    conn = sqlite3.connect(database)
    try:
        return set(conn.execute(sql).fetchall())
    finally:
        conn.close()
