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
    travels(app, "explainer_pages", down=True, commune_column=None, mutable=True, order=10)
    travels(app, "form_versions", down=True, key=("form_id", "version"), commune_column=None, snapshot=True)
    travels(app, "units", down=True, key=("era", "code"), commune_column=None, snapshot=True, order=5)
    travels(app, "unit_successors", down=True, key=("old_code", "new_code"), commune_column=None, snapshot=True)


def init_app(app):
    register_core_tables(app)
