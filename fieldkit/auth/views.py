"""Login and logout."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from ..db import get_db
from ..i18n import format_datetime
from . import audit, throttle
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
        limits = throttle.limits_of(current_app.config) if current_app.config["LOGIN_LIMITS_ENABLED"] else None
        address = request.remote_addr or "?"
        if limits:
            verdict = throttle.check(db, limits, form.username.data, address)
            if verdict.locked_until:
                return _locked(form, verdict.locked_until)
        user = authenticate(db, password_hasher(), form.username.data, form.password.data)
        if user is None:
            # A name that is no account is often a password typed in the wrong box: never keep it.
            typed = form.username.data if username_exists(db, form.username.data) else None
            audit.record(db, None, "login.failed", "users", detail={"username": typed})
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
            if limits:
                throttle.record_failure(db, limits, form.username.data, address)
                verdict = throttle.check(db, limits, form.username.data, address)
                if verdict.locked_until:
                    return _locked(form, verdict.locked_until)
                if verdict.left < limits.warn_below:
                    flash(
                        _(
                            "Còn %(left)s lần thử: sai thêm %(left)s lần nữa thì phải đợi %(minutes)s phút mới "
                            "đăng nhập lại được bằng tên này từ máy này.",
                            left=verdict.left,
                            minutes=int(limits.window.total_seconds() // 60),
                        ),
                        "error",
                    )
            return render_template("auth/login.html", form=form), 401
        if limits:
            throttle.clear(db, form.username.data, address)
        session.clear()
        session.permanent = True
        session["sid"] = start_session(db, user["id"], current_app.permanent_session_lifetime)
        # The form token is made now, once: pages fetched at the same moment after login (the service
        # worker's precache) would otherwise each put a token of their own in the cookie, and the last
        # cookie set would make the forms the others rendered fail their CSRF check.
        g.pop("csrf_token", None)
        generate_csrf()
        audit.record(db, load_scope(db, user["id"]), "login", "users", user["id"])
        return redirect(_safe_next(request.args.get("next")) or url_for("shell.home"))
    return render_template("auth/login.html", form=form)


def _locked(form, until):
    """429 on the login form: how long to wait, and until when, in Vietnamese."""
    from datetime import UTC, datetime

    minutes = max(1, -(-int((until - datetime.now(UTC)).total_seconds()) // 60))
    flash(
        _(
            "Đã nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau %(minutes)s phút (lúc %(time)s).",
            minutes=minutes,
            time=format_datetime(until.isoformat())[-5:],
        ),
        "error",
    )
    return render_template("auth/login.html", form=form), 429


@bp.route("/logout", methods=["POST"])
def logout():
    if g.get("scope") is not None:
        audit.record(get_db(), g.scope, "logout", "users", g.scope.user_id)
    end_session(get_db(), session.get("sid"))
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))
