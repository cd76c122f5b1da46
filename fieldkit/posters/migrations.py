"""Posters register, scans, and the contact details printed on them. Append-only."""

from sqlite_utils.migrations import Migrations

from ..changes import synced_table

migrations = Migrations("fieldkit.posters")


@migrations()
def m001_posters(db):
    # One row per printed sheet (an A5 leaflet counts as a sheet): its code is in its QR.
    synced_table(
        db,
        "posters",
        {
            "code": str,
            "group_uuid": str,
            "commune_code": str,
            # A4, A3, A5
            "size": str,
            "lang": str,
            "printed_at": str,
            "printed_by": str,
            # printed, posted, damaged, replaced, removed: the state after the latest event.
            "status": str,
        },
    )
    db["posters"].create_index(["code"], unique=True)
    db["posters"].create_index(["commune_code", "group_uuid"])
    synced_table(
        db,
        "poster_events",
        {
            "poster_code": str,
            "commune_code": str,
            # printed, posted, checked, replaced, removed
            "event": str,
            # for checked: ok or damaged
            "condition": str,
            "place": str,
            "photo": str,
            "note": str,
            "at": str,
            "username": str,
        },
    )
    db["poster_events"].create_index(["poster_code"])
    # A scan keeps the time and the poster only: nothing about the person who scanned.
    synced_table(db, "poster_scans", {"poster_code": str, "commune_code": str, "scanned_at": str})
    db["poster_scans"].create_index(["poster_code"])
    synced_table(
        db,
        "commune_contacts",
        {"commune_code": str, "officer_name": str, "officer_phone": str, "updated_at": str},
    )
    db["commune_contacts"].create_index(["commune_code"], unique=True)
    synced_table(
        db,
        "group_meeting_schedules",
        {"group_uuid": str, "commune_code": str, "meeting_schedule": str, "updated_at": str},
    )
    db["group_meeting_schedules"].create_index(["group_uuid"], unique=True)


@migrations()
def m002_field_poster_event_record(db):
    # An event written by the poster form names its record, so the sheet's history links to it.
    db["poster_events"].add_column("submission_uuid", str)
