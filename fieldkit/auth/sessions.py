"""Sessions kept on the server: the signed cookie names one, and only a row here makes it valid.

A signed cookie alone stays valid until it expires, however often its owner logs out: anyone who
copied it keeps the account for 14 days. Here logout deletes its row, and a new password or a
disabled account deletes every row of the user, so every copy of the cookie stops working at once.
The table holds SHA-256 digests of the tokens, not the tokens, so a copy of the database opens nothing.
"""

import hashlib
import secrets
from datetime import UTC, datetime

from flask.sessions import SecureCookieSessionInterface

from . import audit


class SignedCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signing serializer built once per key, not on every request."""

    def __init__(self):
        self._serializer = (None, None)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built_for, serializer = self._serializer
        if built_for != keys:
            serializer = super().get_signing_serializer(app)
            self._serializer = (keys, serializer)
        return serializer


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db, user_id, lifetime):
    """A new session for the user; return the token the cookie carries. Expired rows are swept here."""
    token = secrets.token_urlsafe(32)
    with db.atomic():
        db.execute("DELETE FROM user_sessions WHERE created_at < ?", [_oldest(lifetime)])
        db["user_sessions"].insert({"id": _digest(token), "user_id": user_id, "created_at": audit.utc_now()})
    return token


def session_user(db, token, lifetime):
    """The active user a live session belongs to, or None."""
    if not isinstance(token, str):
        return None
    rows = db.execute(
        "SELECT users.* FROM user_sessions JOIN users ON users.id = user_sessions.user_id "
        "WHERE user_sessions.id = ? AND user_sessions.created_at >= ? AND users.active = 1",
        [_digest(token), _oldest(lifetime)],
    )
    columns = [column[0] for column in rows.description]
    row = rows.fetchone()
    return dict(zip(columns, row, strict=True)) if row else None


def end_session(db, token):
    """Logout: this session, every copy of its cookie, stops working."""
    if isinstance(token, str):
        db.execute("DELETE FROM user_sessions WHERE id = ?", [_digest(token)])


def end_all_sessions(db, user_id):
    """A new password or a disabled account: every session of the user ends, on every device."""
    db.execute("DELETE FROM user_sessions WHERE user_id = ?", [user_id])


def _oldest(lifetime):
    return (datetime.now(UTC) - lifetime).isoformat(timespec="seconds")
