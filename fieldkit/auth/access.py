"""Who may see a page: the current user's Scope on `g`, and decorators for views."""

import functools

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from ..db import get_db
from ..errors import Forbidden, UserFacingError
from .scope import commune_choices, resolve_commune, scope_for
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
                raise Forbidden(_l("Việc này dành cho người có vai trò khác."))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def password_hasher():
    return current_app.extensions["fieldkit.hasher"]


class PickCommune(Exception):
    """The user holds several communes and the page did not say which: answered with the picker."""


class NoCommuneChosen(UserFacingError):
    """A form was sent without the commune it is for, by a user who holds several."""

    status = 400


def page_commune(requested=None):
    """The commune the page is about, by `resolve_commune`: `?commune=` or the form's `commune` field.

    Raises PickCommune when the user must choose (the picker page answers it), Forbidden for a commune
    the user does not hold, NotFound for a code that is no commune.
    """
    if requested is None:
        requested = request.values.get("commune")
    commune = resolve_commune(get_db(), g.scope, requested)
    if commune is None:
        if request.method != "GET":
            raise NoCommuneChosen(_l("Chưa chọn xã, phường. Hãy mở lại trang và chọn xã."))
        raise PickCommune()
    return commune


def picker_choices():
    """Jinja global `commune_choices()`: what the commune picker offers the signed-in user."""
    return commune_choices(get_db(), g.scope) if g.get("scope") else []


def pick_commune_page(_error):
    """The page shown in place of one whose commune the user must choose first."""
    return render_template("auth/pick_commune.html")
