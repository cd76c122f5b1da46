"""Submissions: records of the forms, their versions, conflicts and photos; the JSON API and pages."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..demo import add_demo_loader
    from ..nav import add_nav
    from .api import bp as api_bp
    from .demo import demo_records
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    # The API's writes are guarded by session + custom header + Origin instead of a form token,
    # because a record made offline may be sent hours after its page was loaded.
    app.extensions["csrf"].exempt(api_bp)
    add_nav(app, "submissions.forms_index", _l("Ghi chép mới"), order=20)
    add_nav(app, "submissions.record_list", _l("Bản ghi"), order=21)
    add_nav(
        app,
        "submissions.conflict_list",
        _l("Bản ghi trùng cần xem xét"),
        roles=("commune_admin", "central_admin"),
        order=22,
    )
    # Late, so the rosters demo has added its groups first (else a few marked groups are made).
    add_demo_loader(app, demo_records, order=90)
