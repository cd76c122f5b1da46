"""SQLite through sqlite-utils: each server thread keeps its connection; migrations applied in area order."""

import contextlib
import importlib
import sqlite3
import threading

import sqlite_utils
from flask import current_app, g, has_request_context

from .text import register_sql_functions

# Each area owns an append-only migration set; a set may refer to tables of the sets before it.
MIGRATION_SETS = (
    "fieldkit.changes",
    "fieldkit.auth.migrations",
    "fieldkit.units.migrations",
    "fieldkit.rosters.migrations",
    "fieldkit.explainer.migrations",
    "fieldkit.posters.migrations",
    "fieldkit.formspec.migrations",
    "fieldkit.submissions.migrations",
    "fieldkit.sync.migrations",
    "fieldkit.survey.migrations",
    "fieldkit.reports.migrations",
)
CONNECTIONS = "fieldkit.connections"


class Database(sqlite_utils.Database):
    """sqlite-utils without the schema look-ups it repeats on every table access.

    `db[name]` asks sqlite_master twice whether the name is a view, and every read or insert asks
    again whether the table exists: three statements per access, most of what a request ran.
    fieldkit's schema has no views (tests/test_db.py holds it), and a table once seen stays (a
    migration adds or rebuilds tables, never drops one while the app serves), so a connection
    remembers the tables it has seen; a name not seen yet is still looked up.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tables_seen = set()
        self.writers = contextlib.nullcontext()

    def __getitem__(self, table_name):
        return self.table(table_name)

    def table(self, table_name, **kwargs):
        kwargs.setdefault("strict", self.strict)
        return Table(self, table_name, **kwargs)


class Table(sqlite_utils.db.Table):
    """A sqlite-utils table that remembers, per connection, that it exists."""

    def exists(self):
        seen = self.db.tables_seen
        if self.name not in seen and super().exists():
            seen.add(self.name)
        return self.name in seen

    def drop(self, ignore=False):
        self.db.tables_seen.discard(self.name)
        super().drop(ignore=ignore)


class WritingDatabase(Database):
    """A sqlite-utils Database whose write transactions take the write lock when they begin.

    sqlite-utils opens `atomic()` with a deferred BEGIN. A deferred transaction that reads before it
    writes cannot wait for the lock: when another connection holds it or committed since the read,
    SQLite answers "database is locked" at once, whatever the busy timeout. BEGIN IMMEDIATE takes
    the lock first, so a writer queues behind the others for up to the busy timeout instead.
    """

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction:  # nested: a savepoint inside the transaction already begun
            with super().atomic():
                yield self
            return
        with self.writers:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def insert_row(db, table, row):
    """Insert one row with one statement; return its rowid.

    sqlite-utils' insert builds its statement anew for every call, checks the table and wraps
    the row in a savepoint: worth it for bulk loads, most of a record's insert for a single row.
    """
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" for _ in row)
    return db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values())).lastrowid


def connect(path, busy_timeout_ms=5000, writers=None):
    """Open the database with the pragmas fieldkit relies on; `writers` is a lock shared by the
    connections of one process, taken around each write transaction."""
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    db = WritingDatabase(conn)
    if writers is not None:
        db.writers = writers
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if path != ":memory:" and db.journal_mode != "wal":
        db.enable_wal()
    register_sql_functions(db)
    return db


class Connections:
    """One long-lived connection per server thread, all closed together at shutdown.

    Opening a connection for each request cost most of the request: the pragmas, and a WAL
    checkpoint whenever the last connection closed. A thread keeps its connection between
    requests instead. Nothing waits in it: every write commits or rolls back in its request,
    and `release` rolls back whatever a failed request left open.
    """

    def __init__(self, path, busy_timeout_ms):
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.Lock()
        self._by_thread = {}
        # Writers of one server queue here and the next one is woken the moment the lock is free;
        # waiting in SQLite's busy handler instead, a writer sleeps between tries (up to 100 ms).
        self.writers = threading.RLock()

    def get(self):
        """This thread's connection, opened on first use."""
        thread = threading.current_thread()
        with self._lock:
            db = self._by_thread.get(thread)
        if db is None:
            db = connect(self.path, self.busy_timeout_ms, self.writers)
            with self._lock:
                # A thread the server let go does not come back: close what it held.
                for gone in [t for t in self._by_thread if not t.is_alive()]:
                    self._by_thread.pop(gone).close()
                self._by_thread[thread] = db
        return db

    def release(self, db):
        """End of a request: leave the connection as a new request expects it."""
        if db.conn.in_transaction:
            db.conn.rollback()

    def open_count(self):
        with self._lock:
            return len(self._by_thread)

    def close_all(self):
        """Close every connection (at shutdown, once the server's threads have stopped)."""
        with self._lock:
            held, self._by_thread = list(self._by_thread.values()), {}
        for db in held:
            db.close()


def get_db():
    """This request's database: the serving thread's own connection; outside a request, a new one."""
    if "db" not in g:
        if has_request_context():
            g.db = current_app.extensions[CONNECTIONS].get()
            g.db_kept = True
        else:
            g.db = connect(current_app.config["DATABASE"], current_app.config["BUSY_TIMEOUT_MS"])
    return g.db


def close_db(exception=None):
    db = g.pop("db", None)
    if db is None:
        return
    if g.pop("db_kept", False):
        current_app.extensions[CONNECTIONS].release(db)
    else:
        db.close()


def close_connections(app):
    """Close the connections the app's server threads kept; call when the server has stopped."""
    app.extensions[CONNECTIONS].close_all()


def migrate(db):
    """Apply every pending migration of every area, in order; return the names applied."""
    applied = []
    for module_name in MIGRATION_SETS:
        migrations = importlib.import_module(module_name).migrations
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
        applied += [f"{migrations.name}:{name}" for name in pending]
    return applied


def init_app(app):
    app.extensions[CONNECTIONS] = Connections(app.config["DATABASE"], app.config["BUSY_TIMEOUT_MS"])
    app.teardown_appcontext(close_db)
