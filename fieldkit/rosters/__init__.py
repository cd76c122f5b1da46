"""Rosters: residential groups (thôn, bản, tổ dân phố), cultural houses, household lists."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    """Register the roster pages, the `roster` commands, the menu entry and the demo groups."""
    from ..demo import add_demo_loader
    from ..nav import add_nav
    from .cli import roster_cli
    from .demo import demo_groups
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(roster_cli)
    add_nav(app, "rosters.index", _l("Thôn, tổ dân phố"), order=20)
    add_demo_loader(app, demo_groups, order=10)
