"""Login and logout."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..db import get_db
from . import audit
from .access import password_hasher
from .forms import LoginForm
from .sessions import end_session, start_session
from .users import authenticate, load_scope, username_exists

bp = Blueprint("auth", __name__)


def _safe_next(target):
    """Only follow a `next` that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if g.get("scope") is not None and request.method == "GET":
        return redirect(url_for("shell.home"))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        user = authenticate(db, password_hasher(), form.username.data, form.password.data)
        if user is None:
            # A name that is no account is often a password typed in the wrong box: never keep it.
            typed = form.username.data if username_exists(db, form.username.data) else None
            audit.record(db, None, "login.failed", "users", detail={"username": typed})
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()
        session.permanent = True
        session["sid"] = start_session(db, user["id"], current_app.permanent_session_lifetime)
        audit.record(db, load_scope(db, user["id"]), "login", "users", user["id"])
        return redirect(_safe_next(request.args.get("next")) or url_for("shell.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if g.get("scope") is not None:
        audit.record(get_db(), g.scope, "logout", "users", g.scope.user_id)
    end_session(get_db(), session.get("sid"))
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


def rate_limited(error):
    """429 on the login form: say so in Vietnamese, keep the form."""
    flash(_("Bạn đã thử đăng nhập quá nhiều lần. Hãy đợi vài phút rồi thử lại."), "error")
    return render_template("auth/login.html", form=LoginForm()), 429
