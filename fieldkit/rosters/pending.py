"""Roster files waiting between their preview and the admin's "confirm": kept on the server.

A pending import is a file in the instance folder under a random token, beside a small JSON note
of who uploaded it, for which commune, and when. Not in the session cookie: a request the page
makes in the background (started before the upload, answered after it) would set the cookie back to
a copy without the pending import, and the confirm would find nothing. The files hold personal data,
so they last minutes, and only the user who uploaded one can confirm it.
"""

import json
import re
import secrets
import time
from pathlib import Path

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _paths(folder, token):
    return Path(folder) / f"{token}.upload", Path(folder) / f"{token}.json"


def keep(folder, user_id, commune, filename, data, now=None):
    """Keep an uploaded file for its confirm; return the token that names it."""
    token = secrets.token_urlsafe(16)
    upload, note = _paths(folder, token)
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(data)
    created = time.time() if now is None else now
    note.write_text(json.dumps({"user_id": user_id, "commune": commune, "filename": filename, "created": created}))
    return token


def take(folder, token, user_id, max_age_seconds, now=None):
    """The pending import `token` names, if this user uploaded it and it has not expired; else None.

    Returns {"commune", "filename", "data"} and forgets the files: a confirm is used once."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    upload, note = _paths(folder, token)
    try:
        pending = json.loads(note.read_text())
        data = upload.read_bytes()
    except (OSError, ValueError):
        return None
    if pending.get("user_id") != user_id:
        return None  # another user's file stays for its owner
    forget(folder, token)
    if (time.time() if now is None else now) - pending.get("created", 0) > max_age_seconds:
        return None
    return {"commune": pending["commune"], "filename": pending["filename"], "data": data}


def forget(folder, token):
    """Remove one pending import."""
    for path in _paths(folder, token):
        path.unlink(missing_ok=True)


def forget_users(folder, user_id):
    """Remove every pending import of this user (a new upload replaces them; "cancel" abandons them)."""
    for note in Path(folder).glob("*.json"):
        try:
            owner = json.loads(note.read_text()).get("user_id")
        except (OSError, ValueError):
            continue
        if owner == user_id:
            forget(folder, note.stem)


def forget_stale(folder, max_age_seconds, now=None):
    """Remove every file older than `max_age_seconds`, whoever uploaded it."""
    now = time.time() if now is None else now
    for path in Path(folder).glob("*"):
        try:
            if now - path.stat().st_mtime > max_age_seconds:
                path.unlink(missing_ok=True)
        except OSError:
            continue
