"""Posters and leaflets with QR codes, attendance sheets, loudspeaker scripts, the poster register."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..demo import add_demo_loader
    from ..nav import add_nav
    from .cli import posters_cli
    from .demo import demo_poster_checks, demo_posters
    from .poster_form import init_app as follow_poster_form
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(posters_cli)
    add_nav(app, "posters.index", _l("In áp phích, tờ rơi"), order=40)
    add_nav(app, "posters.register_page", _l("Sổ theo dõi áp phích"), order=41)
    add_nav(app, "posters.scripts_page", _l("Bài phát thanh"), order=42)
    add_nav(
        app, "posters.contacts_page", _l("Liên hệ in trên áp phích"), roles=("commune_admin", "central_admin"), order=43
    )
    add_demo_loader(app, demo_posters, order=60)
    add_demo_loader(app, demo_poster_checks, order=91)  # after the records demo (90)
    follow_poster_form(app)
