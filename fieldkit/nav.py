"""Navigation per role: each area adds its entries when it registers."""

from dataclasses import dataclass

from flask import g


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    roles: tuple
    order: int = 50


def add_nav(app, endpoint, label, roles=("officer", "commune_admin", "central_admin"), order=50):
    """Show a link to `endpoint` in the menu of users with one of `roles`."""
    app.extensions.setdefault("fieldkit.nav", []).append(NavItem(endpoint, label, tuple(roles), order))


def set_home(app, endpoint, roles):
    """Show the view `endpoint` as the home page (/home) of users with one of `roles`."""
    for role in roles:
        app.extensions.setdefault("fieldkit.home", {})[role] = endpoint


def init_app(app):
    @app.context_processor
    def navigation():
        scope = g.get("scope")
        items = app.extensions.get("fieldkit.nav", [])
        visible = [] if scope is None else [i for i in items if scope.role in i.roles]
        return {"nav_items": sorted(visible, key=lambda i: i.order)}
