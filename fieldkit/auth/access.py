"""Who may see a page: the current user's Scope on `g`, and decorators for views."""

import functools

from flask import current_app, g, redirect, request, session, url_for
from werkzeug.exceptions import Forbidden

from ..db import get_db
from .scope import scope_for
from .sessions import session_user
from .users import communes_of


def load_current_user():
    """before_request: put the signed-in user's Scope (or None) on g.scope.

    The cookie only names a session; the session must still exist on the server (see sessions.py).
    """
    token = session.get("sid")
    user = session_user(get_db(), token, current_app.permanent_session_lifetime) if token else None
    g.scope = scope_for(user, communes_of(get_db(), user["id"])) if user else None
    if user is None and (token is not None or "user_id" in session):
        session.clear()


def current_scope():
    """The signed-in user's Scope; views behind login_required can rely on it."""
    return g.scope


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("scope") is None:
            if request.path.startswith("/api/"):
                from ..errors import json_error

                return json_error(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles):
    """Only users whose role is one of `roles`; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if g.scope.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def password_hasher():
    return current_app.extensions["fieldkit.hasher"]
