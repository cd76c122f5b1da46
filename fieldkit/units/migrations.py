"""Administrative units of both eras and the old-to-new mapping."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("fieldkit.units")


@migrations()
def m001_units(db):
    db["units"].create(
        {
            "era": str,
            "code": str,
            "name": str,
            "level": str,
            "parent_code": str,
            "name_key": str,
        },
        pk=("era", "code"),
        not_null={"name", "level"},
    )
    db["units"].create_index(["era", "level", "parent_code"])
    db["unit_successors"].create(
        {"old_code": str, "new_code": str, "main": int},
        pk=("old_code", "new_code"),
    )
    db["meta"].create({"key": str, "value": str}, pk="key")
