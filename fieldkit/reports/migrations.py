"""The dashboard's rollup (kept by triggers on submissions) and the implementation documents. Append-only."""

from sqlite_utils.migrations import Migrations

from . import rollup

migrations = Migrations("fieldkit.reports")


@migrations()
def m001_reports_rollup(db):
    rollup.create_tables(db)
    rollup.create_triggers(db)
    rollup.rebuild(db)
    # Scans per commune for the dashboard without reading every scan's poster.
    db["poster_scans"].create_index(["commune_code"], if_not_exists=True)


@migrations()
def m002_reports_documents(db):
    # Central only and kept there: not a synced table. One row per body expected to issue an
    # implementing document; a body that issued one has its number, date and title filled.
    db["implementation_bodies"].create(
        {
            "id": int,
            "name": str,
            "name_key": str,
            # department, district, commune
            "kind": str,
            # the commune or district code when the body is one, for the link to its dashboard row
            "unit_code": str,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "name_key", "kind"},
    )
    db["implementation_bodies"].create_index(["name_key"])
    # A unit is one body however its name folds (two communes can differ by a tone mark only).
    db["implementation_bodies"].create_index(["unit_code"], unique=True)
    db["implementation_documents"].create(
        {
            "id": int,
            "uuid": str,
            "body_id": int,
            "number": str,
            "issued_on": str,
            "title": str,
            # which instrument it implements: plan_166 or directive_10
            "implements": str,
            "file_name": str,
            "file_sha256": str,
            "created_at": str,
            "created_by": str,
        },
        pk="id",
        not_null={"uuid", "body_id", "number", "issued_on", "implements"},
        foreign_keys=[("body_id", "implementation_bodies", "id")],
    )
    db["implementation_documents"].create_index(["uuid"], unique=True)
    db["implementation_documents"].create_index(["body_id", "issued_on"])


@migrations()
def m003_reports_rollup_new_record_trigger(db):
    # A new record's own trigger, on its row alone: the rollup was a third of a record's write.
    rollup.drop_triggers(db)
    rollup.create_triggers(db)
