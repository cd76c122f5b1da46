"""Explainer: versioned Markdown content about PAPI and residents' rights, public pages, static export."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..nav import add_nav
    from ..sync.registry import travels
    from .cli import explainer_cli
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(explainer_cli)
    # Recordings go both ways: a site's up (with its commune), Sở Nội vụ's down; the file goes with each.
    travels(app, "recordings", up=True, down=True, media="sha256", order=40)
    add_nav(app, "explainer.manage", _l("Nội dung giới thiệu PAPI"), roles=("central_admin",), order=70)
