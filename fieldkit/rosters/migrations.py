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
            # JSON lists: ethnic group codes (domain/ethnic-groups.csv), language names, PAPI years.
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
