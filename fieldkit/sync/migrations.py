"""Sync: enrolled sites (central), the link to Sở Nội vụ (site), imports, conflicts. Append-only."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("fieldkit.sync")


@migrations()
def m001_sync_sites_and_link(db):
    # Central: one row per enrolment; site_id and public_key arrive when the site uses its code.
    db["sites"].create(
        {
            "id": int,
            "name": str,
            "communes": str,  # JSON list of commune codes the site may send records for
            "code_sha256": str,
            "code_expires_at": str,
            "created_at": str,
            "created_by": str,
            "site_id": str,
            "public_key": str,
            "enrolled_at": str,
            # Every row with seq up to last_ack has arrived, with no gap.
            "last_ack": int,
            "last_sync_at": str,
            "rows_received": int,
            "conflicts": int,
        },
        pk="id",
        not_null={"name", "communes", "created_at"},
        defaults={"last_ack": 0, "rows_received": 0, "conflicts": 0},
    )
    db["sites"].create_index(["site_id"], unique=True)
    db["sites"].create_index(["code_sha256"], unique=True)
    # Site: the one link to Sở Nội vụ, made at enrolment.
    db["sync_link"].create(
        {
            "id": int,
            "central_url": str,
            "central_id": str,
            "central_name": str,
            "central_public_key": str,
            "communes": str,
            "enrolled_at": str,
            "last_ack": int,
            "last_success": str,
            "last_pulled": int,
            "last_error": str,
        },
        pk="id",
        defaults={"last_ack": 0, "last_pulled": 0},
    )
    # Both: every bundle imported, with its result counts; the sha256 makes a replay recognisable.
    db["sync_imports"].create(
        {
            "id": int,
            "bundle_sha256": str,
            "from_site": str,
            "direction": str,
            "seq_after": int,
            "seq_upto": int,
            "created": int,
            "unchanged": int,
            "updated": int,
            "conflicts": int,
            "imported_at": str,
            "imported_by": str,
        },
        pk="id",
    )
    db["sync_imports"].create_index(["from_site", "imported_at"])
    # A different copy of a row already held: kept for review, never written over the row.
    db["sync_conflicts"].create(
        {
            "id": int,
            "from_site": str,
            "table_name": str,
            "row_key": str,
            "content_sha256": str,
            "row": str,
            "received_at": str,
            "resolved_at": str,
            "resolved_by": str,
        },
        pk="id",
    )
    db["sync_conflicts"].create_index(["table_name", "row_key", "content_sha256"], unique=True)
    # Mutable rows: the origin's sequence of the version held, so an older replay never wins.
    db["sync_row_versions"].create({"table_name": str, "row_key": str, "origin_seq": int}, pk=("table_name", "row_key"))
    # Central: households per group as counted on the site (the lists themselves never travel).
    db["sync_household_counts"].create(
        {"group_uuid": str, "from_site": str, "commune_code": str, "households": int, "reached": int, "at": str},
        pk="group_uuid",
    )
    # Site: scans of its posters as counted by Sở Nội vụ (phones reach the central, not the LAN).
    db["sync_scan_counts"].create({"poster_code": str, "scans": int, "at": str}, pk="poster_code")
