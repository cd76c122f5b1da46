"""Submissions (every version of every record), conflicts kept for review, and photos. Append-only."""

from sqlite_utils.migrations import Migrations

from ..changes import synced_table

migrations = Migrations("fieldkit.submissions")


@migrations()
def m001_submissions(db):
    # `uuid` is the record version's uuid, made by the phone (or the server for a plain HTML post).
    synced_table(
        db,
        "submissions",
        {
            "form_id": str,
            "form_version": str,
            "commune_code": str,
            # Canonical JSON (sorted keys) of the validated data.
            "data": str,
            # SHA-256 of the canonical {form_id, form_version, commune, data}.
            "content_sha256": str,
            "client_created_at": str,
            "received_at": str,
            "submitted_by": str,
            "submitted_by_id": int,
            # An edit or a deletion is a new row naming the version it replaces.
            "replaces_uuid": str,
            # The uuid of the record's first version: the record's identity across versions.
            "root_uuid": str,
            # 1 on a tombstone: the version that deletes the record.
            "deleted": int,
            # Copied out of the data for the list filters.
            "event_date": str,
            "group_uuid": str,
            "channel": str,
        },
        defaults={"deleted": 0},
    )
    table = db["submissions"]
    # At most one version replaces a given version: a second edit of the same one is a conflict.
    table.create_index(["replaces_uuid"], unique=True)
    table.create_index(["root_uuid"])
    table.create_index(["commune_code", "form_id", "event_date"])
    synced_table(
        db,
        "conflicts",
        {
            # The submission uuid the other copy came with.
            "submission_uuid": str,
            "form_id": str,
            "form_version": str,
            "commune_code": str,
            "data": str,
            "content_sha256": str,
            "client_created_at": str,
            "received_at": str,
            "submitted_by": str,
            # same_uuid_other_content, or stale_edit (an edit of a version already replaced)
            "reason": str,
            "resolved_at": str,
            "resolved_by": str,
            # kept_existing or used_copy
            "resolution": str,
        },
    )
    db["conflicts"].create_index(["commune_code", "resolved_at"])
    db["conflicts"].create_index(["submission_uuid", "content_sha256"], unique=True)
    synced_table(
        db,
        "media",
        {
            "sha256": str,
            "submission_uuid": str,
            "field": str,
            "commune_code": str,
            "mime": str,
            "width": int,
            "height": int,
            "bytes": int,
            "uploaded_at": str,
            "uploaded_by": str,
        },
    )
    db["media"].create_index(["submission_uuid", "sha256"], unique=True)
    db["media"].create_index(["sha256"])
