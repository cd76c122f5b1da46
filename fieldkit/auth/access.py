"""Who may see a page: the current user's Scope on `g`, and decorators for views."""

import functools

from flask import current_app, g, redirect, request, session, url_for
from werkzeug.exceptions import Forbidden

from ..db import get_db
from .users import load_scope


def load_current_user():
    """before_request: put the signed-in user's Scope (or None) on g.scope."""
    user_id = session.get("user_id")
    g.scope = load_scope(get_db(), user_id) if user_id is not None else None
    if user_id is not None and g.scope is None:
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
