"""Residential groups (thôn, bản, tổ dân phố) and their cultural houses. Append-only."""

from sqlite_utils.migrations import Migrations

from ..changes import synced_table

migrations = Migrations("fieldkit.rosters")


@migrations()
def m001_residential_groups(db):
    synced_table(
        db,
        "residential_groups",
        {
            "commune_code": str,
            "name": str,
            # fold(name): the key that makes "Thôn Bảo Vinh" and "thon bao vinh" the same group.
            "name_key": str,
            # thon, ban, lang, to_dan_pho
            "kind": str,
            "head_name": str,
            "head_phone": str,
            "households": int,
            "population": int,
            # JSON lists: ethnic group codes (fieldkit/reference/ethnic-groups.csv), language names, PAPI years.
            "ethnic_groups": str,
            "languages": str,
            "papi_years": str,
            "cultural_house_name": str,
            "cultural_house_address": str,
            "cultural_house_lat": float,
            "cultural_house_lon": float,
            "notes": str,
            "active": int,
            "created_at": str,
            "updated_at": str,
        },
        defaults={"active": 1},
    )
    db["residential_groups"].create_index(["commune_code", "name_key"], unique=True)


@migrations()
def m002_households(db):
    # Personal data: stays on the commune laptop, so not a synced_table (no seq, no origin).
    # Only counts per group leave it (households.household_counts).
    db["households"].create(
        {
            "id": int,
            "uuid": str,
            "group_id": int,
            "commune_code": str,
            "head_name": str,
            # fold(head name) | fold(address): two heads of the same name are told apart by address.
            "match_key": str,
            "address": str,
            "members": int,
            "ethnic_group": str,
            "phone": str,
            "reached_on": str,
            "reached_channel": str,
            "notes": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"uuid", "group_id", "commune_code", "head_name", "match_key"},
        foreign_keys=[("group_id", "residential_groups", "id")],
    )
    db["households"].create_index(["uuid"], unique=True)
    db["households"].create_index(["group_id", "match_key"], unique=True)
    db["households"].create_index(["commune_code"])
