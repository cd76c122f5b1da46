"""Users, their communes and the audit log. Append-only: add a new function, never edit one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("fieldkit.auth")


@migrations()
def m001_users_and_audit(db):
    db["users"].create(
        {
            "id": int,
            "username": str,
            "display_name": str,
            "password_hash": str,
            "role": str,
            "active": int,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "password_hash", "role"},
        defaults={"active": 1},
    )
    db["users"].create_index(["username"], unique=True)
    db["user_communes"].create(
        {"user_id": int, "commune_code": str},
        pk=("user_id", "commune_code"),
        foreign_keys=[("user_id", "users", "id")],
    )
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "user_id": int,
            "username": str,
            "action": str,
            "entity": str,
            "entity_id": str,
            "commune_code": str,
            "detail": str,
        },
        pk="id",
        not_null={"at", "action"},
    )
    db["audit_log"].create_index(["entity", "entity_id"])
    db["audit_log"].create_index(["at"])


@migrations()
def m002_auth_user_sessions(db):
    """Sessions kept on the server, so that logging out or a new password ends every copy of a cookie."""
    db["user_sessions"].create(
        {"id": str, "user_id": int, "created_at": str},
        pk="id",
        not_null={"user_id", "created_at"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["user_sessions"].create_index(["user_id"])


@migrations()
def m003_field_login_failures(db):
    """Wrong passwords of the last minutes, per user name and client address (never synced)."""
    db["login_failures"].create({"id": int, "username": str, "address": str, "at": str}, pk="id")
    db["login_failures"].create_index(["address", "username", "at"])
