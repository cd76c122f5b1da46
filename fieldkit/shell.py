"""The shell around every page: home, language switch, error pages, security headers."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from .auth.access import login_required
from .errors import UserFacingError, json_error, user_error_response

bp = Blueprint("shell", __name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@bp.route("/")
def index():
    if g.get("scope") is None:
        return redirect(url_for("auth.login"))
    return redirect(url_for("shell.home"))


@bp.route("/home")
@login_required
def home():
    # An area may give a role its own home page (the dashboard for admins): shown here, at /home.
    endpoint = current_app.extensions.get("fieldkit.home", {}).get(g.scope.role)
    if endpoint:
        return current_app.view_functions[endpoint]()
    return render_template("shell/home.html")


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language and go back to the page the user was on."""
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    back = urlsplit(request.referrer or "")
    same_site = back.netloc == request.host
    return redirect(back.path if same_site and back.path else url_for("shell.index"))


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


ERROR_TITLES = {
    400: _l("Yêu cầu không hợp lệ"),
    403: _l("Bạn không có quyền xem trang này"),
    404: _l("Không tìm thấy trang"),
    405: _l("Thao tác không được phép"),
    413: _l("Tệp gửi lên quá lớn"),
    500: _l("Hệ thống gặp lỗi"),
}


def http_error(error):
    """Vietnamese error pages; JSON for the API."""
    code = error.code if isinstance(error, HTTPException) else 500
    title = str(ERROR_TITLES.get(code, _l("Có lỗi xảy ra")))
    if request.path.startswith("/api/"):
        return json_error(code)
    return render_template("errors/error.html", code=code, title=title), code


def user_facing_error(error):
    """A domain error nobody caught: its sentence on the error page, or the one JSON shape for the API."""
    if request.path.startswith("/api/"):
        return user_error_response(error)
    title = str(ERROR_TITLES.get(error.status, _l("Có lỗi xảy ra")))
    return render_template("errors/error.html", code=error.status, title=title, message=error.message), error.status


def init_app(app):
    app.register_blueprint(bp)
    app.after_request(security_headers)
    for code in ERROR_TITLES:
        app.register_error_handler(code, http_error)
    app.register_error_handler(UserFacingError, user_facing_error)
