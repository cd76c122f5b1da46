"""Users, roles, commune scoping and the audit log."""

from .access import PickCommune, load_current_user, pick_commune_page, picker_choices
from .passwords import Passwords
from .sessions import SignedCookie
from .views import bp


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
    app.extensions["fieldkit.hasher"] = Passwords(fast=app.config["FAST_PASSWORD_HASH"])
    app.add_template_global(picker_choices, "commune_choices")
    app.session_interface = SignedCookie()
    app.before_request(load_current_user)
    app.register_error_handler(PickCommune, pick_commune_page)
    app.register_blueprint(bp)
    from ..demo import add_demo_loader
    from .cli import user_cli
    from .demo import demo_users

    app.cli.add_command(user_cli)
    add_demo_loader(app, demo_users, order=0)
