"""Users, roles, commune scoping and the audit log."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .access import load_current_user
from .passwords import Passwords
from .views import bp, rate_limited


def _person(username):
    """Jinja filter `person`: a login name shown as the person's display name (looked up once per request)."""
    from flask import g

    from ..db import get_db
    from .users import display_names, person_label

    if "display_names" not in g:
        g.display_names = display_names(get_db())
    return person_label(username, g.display_names)


def init_app(app):
    app.add_template_filter(_person, "person")
    app.extensions["fieldkit.hasher"] = Passwords(fast=app.config.get("FAST_PASSWORD_HASH", False))
    app.before_request(load_current_user)
    app.register_blueprint(bp)
    # Built here, not at import, so each app (and each test) has its own counters.
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    app.extensions["fieldkit.limiter"] = limiter
    app.view_functions["auth.login"] = limiter.limit(
        app.config["LOGIN_RATE_LIMIT"],
        methods=["POST"],
        # Only failed attempts count: a busy commune office signing in is not an attack.
        deduct_when=lambda response: response.status_code == 401,
    )(app.view_functions["auth.login"])
    app.register_error_handler(429, rate_limited)
    from .cli import user_cli

    app.cli.add_command(user_cli)
