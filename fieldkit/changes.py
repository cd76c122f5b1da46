"""What every row that travels to Sở Nội vụ carries: a uuid, its origin site and a change sequence.

A table made with `synced_table` gets its `seq` from one counter per installation, bumped by
triggers on every insert and update, so a sync push is "every row with seq above the last one
acknowledged" and nobody can forget to bump it.
"""

import uuid as uuid_module

from sqlite_utils.migrations import Migrations

migrations = Migrations("fieldkit.changes")

SYNC_COLUMNS = {"uuid": str, "origin_site": str, "seq": int}


@migrations()
def m001_change_counter(db):
    db["change_counter"].create({"id": int, "value": int}, pk="id")
    db["change_counter"].insert({"id": 1, "value": 0})


def synced_table(db, name, columns, pk="id", **kwargs):
    """Create a table that travels in sync: its columns plus uuid, origin_site and seq."""
    table = db[name].create(
        {pk: int, **SYNC_COLUMNS, **columns},
        pk=pk,
        not_null={"uuid", "origin_site"},
        **kwargs,
    )
    table.create_index(["uuid"], unique=True)
    table.create_index(["seq"])
    bump = (
        "UPDATE change_counter SET value = value + 1 WHERE id = 1;"
        f" UPDATE [{name}] SET seq = (SELECT value FROM change_counter WHERE id = 1)"
        " WHERE rowid = NEW.rowid;"
    )
    db.execute(f"CREATE TRIGGER [{name}_seq_insert] AFTER INSERT ON [{name}] BEGIN {bump} END")
    # The guard stops the trigger's own update of seq from counting as a change.
    db.execute(f"CREATE TRIGGER [{name}_seq_update] AFTER UPDATE ON [{name}] WHEN NEW.seq IS OLD.seq BEGIN {bump} END")
    return table


def new_uuid():
    """Return a fresh random uuid as text."""
    return str(uuid_module.uuid4())


def current_seq(db):
    """Return the installation's latest change sequence number."""
    return db.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()[0]
