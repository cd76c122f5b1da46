"""Sync to Sở Nội vụ: enrolment, signed bundles (HTTP or .fkb file), import, pull, status."""

from .registry import travels


def register_core_tables(app):
    """What the first-wave areas send: their tables, up or down (see `registry` for the rules)."""
    travels(
        app,
        "residential_groups",
        up=True,
        mutable=True,
        exclude_unless={"head_phone": "SYNC_HEAD_PHONE"},
        order=10,
    )
    travels(app, "commune_contacts", up=True, mutable=True, order=11)
    travels(app, "group_meeting_schedules", up=True, mutable=True, order=12)
    travels(app, "posters", up=True, mutable=True, order=20)
    travels(app, "poster_events", up=True, order=21)
    travels(app, "poster_scans", up=True, order=22)
    travels(app, "submissions", up=True, order=30)
    travels(app, "media", up=True, media="sha256", order=31)
    # Versions change status in place (draft → checked → published, see explainer.content.review).
    travels(app, "explainer_pages", down=True, commune_column=None, mutable=True, local=("created_at",), order=10)
    travels(
        app,
        "form_versions",
        down=True,
        key=("form_id", "version"),
        commune_column=None,
        snapshot=True,
        local=("published_at", "source"),
    )
    travels(app, "units", down=True, key=("era", "code"), commune_column=None, snapshot=True, order=5)
    travels(app, "unit_successors", down=True, key=("old_code", "new_code"), commune_column=None, snapshot=True)


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from ..nav import add_nav
    from .cli import sites_cli, sync_cli
    from .views import api_bundles, api_enroll, api_pull, bp

    register_core_tables(app)
    app.register_blueprint(bp)
    csrf = app.extensions["csrf"]
    for view in (api_enroll, api_bundles, api_pull):
        csrf.exempt(view)  # signed by the site's key, not by a session
    # No attempt limit on enrolment: a code is 60 random bits, works once and expires in 7 days.
    app.cli.add_command(sites_cli)
    app.cli.add_command(sync_cli)
    add_nav(app, "sync.status_page", _l("Đồng bộ với Sở Nội vụ"), roles=("commune_admin", "central_admin"), order=80)
