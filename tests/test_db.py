"""The database layer: kept connections, few statements per record, nothing acknowledged left unwritten."""

import sqlite3
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

import fieldkit.db
from fieldkit.db import CONNECTIONS, get_db, migrate
from fieldkit.testing import HEADERS, PASSWORD, LiveServer, record_for

# Measured 14 on the second record (triggers count once per statement they run); 43 when each
# table access asked sqlite_master again. The bound leaves room for a check or two, not for that.
# +4 since the dashboard's rollup: one trigger running three statements (fieldkit/reports/rollup.py).
STATEMENTS_PER_RECORD = 20


def session_record(client):
    definition = client.get("/api/v1/forms/session").get_json()
    return record_for(definition)


@pytest.fixture
def officer(client, auth, create_group):
    create_group("Thôn Bảo Vinh")
    auth.login()
    return client


def test_a_record_costs_few_statements(app, officer):
    assert officer.post("/api/v1/submissions", json=session_record(officer), headers=HEADERS).status_code == 201
    statements = []
    # The test client serves requests in this thread, so this is the connection they use.
    app.extensions[CONNECTIONS].get().conn.set_trace_callback(statements.append)
    record = session_record(officer)
    statements.clear()
    assert officer.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 201
    assert 0 < len(statements) <= STATEMENTS_PER_RECORD, "\n".join(statements)


def test_server_threads_keep_their_connections_and_close_them_at_shutdown(app, monkeypatch):
    opened = []

    def counting_connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        opened.append(db)
        return db

    real_connect = fieldkit.db.connect
    monkeypatch.setattr(fieldkit.db, "connect", counting_connect)
    server = LiveServer(app)  # four threads
    try:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        browser.open(server.url("/login"), urlencode({"username": "officer", "password": PASSWORD}).encode())
        for _ in range(40):
            assert browser.open(server.url("/api/v1/submissions")).status == 200
        assert 1 <= len(opened) <= 4
    finally:
        server.stop()
    for db in opened:
        with pytest.raises(sqlite3.ProgrammingError):
            db.execute("SELECT 1")
    # The last connection to close checkpoints the log and removes it: none was left open.
    assert not Path(app.config["DATABASE"] + "-wal").exists()


def test_an_acknowledged_record_is_in_the_file(app, officer):
    record = session_record(officer)
    assert officer.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 201
    other = sqlite3.connect(app.config["DATABASE"])
    try:
        found = other.execute("SELECT count(*) FROM submissions WHERE uuid = ?", [record["uuid"]]).fetchone()
    finally:
        other.close()
    assert found == (1,)
    kept = app.extensions[CONNECTIONS].get()
    assert kept.journal_mode == "wal"
    # 1 is NORMAL: in WAL mode a commit survives the process; 2 (FULL) would survive power loss too.
    assert kept.execute("PRAGMA synchronous").fetchone()[0] >= 1


def test_a_failed_request_leaves_no_transaction_open(app, client):
    @app.get("/__half_written")
    def half_written():
        db = get_db()
        db.begin()
        db.execute("INSERT INTO audit_log (at, username, action) VALUES ('2026-12-02', 'test', 'half')")
        raise RuntimeError("failed after a write")

    with pytest.raises(RuntimeError):
        client.get("/__half_written")
    other = sqlite3.connect(app.config["DATABASE"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")  # "database is locked" if the kept connection still held the write
        assert other.execute("SELECT count(*) FROM audit_log WHERE action = 'half'").fetchone() == (0,)
        other.rollback()
    finally:
        other.close()


def test_the_schema_has_no_views():
    # fieldkit.db.Database skips sqlite-utils' view look-ups on that promise.
    db = fieldkit.db.connect(":memory:")
    migrate(db)
    assert db.view_names() == []
    db.close()


def test_a_table_dropped_and_made_again_is_seen_again():
    db = fieldkit.db.connect(":memory:")
    db["notes"].insert({"text": "một"})
    db["notes"].drop()
    assert not db["notes"].exists()
    db["notes"].insert({"text": "hai"})
    assert [row["text"] for row in db["notes"].rows] == ["hai"]
    db.close()


def test_writers_of_one_server_queue_for_each_other_not_for_sqlite(tmp_path):
    # With no busy timeout, a writer that reached SQLite while another held the lock would fail
    # at once with "database is locked"; the server's writers wait for each other first.
    connections = fieldkit.db.Connections(str(tmp_path / "t.sqlite3"), busy_timeout_ms=0)
    first = connections.get()
    first["t"].insert({"n": 0})
    failures = []

    def second_writer():
        try:
            with connections.get().atomic() as db:
                db["t"].insert({"n": 2})
        except sqlite3.OperationalError as error:
            failures.append(error)

    with first.atomic():
        first["t"].insert({"n": 1})
        other = threading.Thread(target=second_writer)
        other.start()
        other.join(0.3)  # it is waiting, not failing
        assert other.is_alive() and not failures
    other.join(10)
    assert not failures
    assert sorted(row["n"] for row in first["t"].rows) == [0, 1, 2]
    connections.close_all()
