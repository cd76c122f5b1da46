"""One SQLite connection per request, through sqlite-utils; migrations applied in area order."""

import importlib
import sqlite3

from flask import current_app, g
from sqlite_utils import Database

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
    "fieldkit.reports.migrations",
)


def connect(path, busy_timeout_ms=5000):
    """Open the database with the pragmas fieldkit relies on."""
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if path != ":memory:" and db.journal_mode != "wal":
        db.enable_wal()
    register_sql_functions(db)
    return db


def get_db():
    """Return this request's database, opening it on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"], current_app.config["BUSY_TIMEOUT_MS"])
    return g.db


def close_db(exception=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


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
    app.teardown_appcontext(close_db)
