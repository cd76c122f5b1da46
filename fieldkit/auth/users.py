"""User accounts: create, look up, check a password."""

import unicodedata

from ..errors import UserFacingError
from . import audit
from .passwords import password_problem
from .scope import ROLES, scope_for
from .sessions import end_all_sessions


class UserError(UserFacingError, ValueError):
    """A user cannot be created as asked; the message is for the person who asked."""


def normalise_username(username):
    return unicodedata.normalize("NFC", username).strip().lower()


def create_user(db, hasher, username, password, role, communes=(), display_name=None, actor=None):
    """Create a user scoped to `communes`; return its id."""
    from flask_babel import gettext as _

    username = normalise_username(username)
    if not username:
        raise UserError(_("Tên đăng nhập không được để trống."))
    if role not in ROLES:
        raise UserError(_("Vai trò không hợp lệ: %(role)s.", role=role))
    problem = password_problem(password, username, display_name)
    if problem:
        raise UserError(problem)
    if role != "central_admin" and not communes:
        raise UserError(_("Cán bộ xã phải gắn với ít nhất một xã (--commune)."))
    if db["users"].count_where("username = ?", [username]):
        raise UserError(_("Tên đăng nhập %(name)s đã có.", name=username))
    with db.atomic():
        user_id = (
            db["users"]
            .insert(
                {
                    "username": username,
                    "display_name": display_name or username,
                    "password_hash": hasher.hash(password),
                    "role": role,
                    "active": 1,
                    "created_at": audit.utc_now(),
                }
            )
            .last_pk
        )
        db["user_communes"].insert_all({"user_id": user_id, "commune_code": code} for code in communes)
        audit.record(db, actor, "user.create", "users", user_id, detail={"username": username, "role": role})
    return user_id


def communes_of(db, user_id):
    """The codes of the communes a user holds (read on every request: one plain statement)."""
    return [row[0] for row in db.execute("SELECT commune_code FROM user_communes WHERE user_id = ?", [user_id])]


def load_scope(db, user_id):
    """Return the Scope of an active user, or None."""
    rows = list(db["users"].rows_where("id = ? AND active = 1", [user_id]))
    if not rows:
        return None
    return scope_for(rows[0], communes_of(db, user_id))


def authenticate(db, hasher, username, password):
    """Return the user row when the password is right, else None."""
    rows = list(db["users"].rows_where("username = ? AND active = 1", [normalise_username(username)]))
    if not rows:
        hasher.spend_time(password)
        return None
    user = rows[0]
    return user if hasher.verify(user["password_hash"], password) else None


def username_exists(db, username):
    """True when an account (active or not) has this name."""
    return bool(db["users"].count_where("username = ?", [normalise_username(username or "")]))


def _user_named(db, username):
    rows = list(db["users"].rows_where("username = ?", [normalise_username(username)]))
    if not rows:
        from flask_babel import gettext as _

        raise UserError(_("Không có tài khoản %(name)s.", name=normalise_username(username)))
    return rows[0]


def set_password(db, hasher, username, password, actor=None):
    """Give a user a new password (checked like a new one); every session of the user ends."""
    user = _user_named(db, username)
    problem = password_problem(password, user["username"], user.get("display_name"))
    if problem:
        raise UserError(problem)
    with db.atomic():
        db["users"].update(user["id"], {"password_hash": hasher.hash(password)})
        end_all_sessions(db, user["id"])
        audit.record(db, actor, "user.password", "users", user["id"], detail={"username": user["username"]})
    return user["id"]


def disable_user(db, username, actor=None):
    """End an account's access: it cannot log in, and every session of it ends now."""
    user = _user_named(db, username)
    with db.atomic():
        db["users"].update(user["id"], {"active": 0})
        end_all_sessions(db, user["id"])
        audit.record(db, actor, "user.disable", "users", user["id"], detail={"username": user["username"]})
    return user["id"]


def display_names(db):
    """Every user's display name by login name, for pages that list who did what."""
    return {row[0]: row[1] or row[0] for row in db.execute("SELECT username, display_name FROM users")}


def person_label(username, names):
    """How a page names whoever a row records: their display name; work done on the laptop's command line
    (user "system") as such."""
    from flask_babel import gettext as _

    if not username or username == "system":
        return _("Quản trị viên (dòng lệnh trên máy tính của xã)")
    return names.get(username, username)
