"""Dashboards for communes and the province, coverage reports (xlsx, csv, pdf), implementation documents."""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..demo import add_demo_loader
    from ..nav import add_nav, set_home
    from .cli import report_command
    from .demo import demo_documents
    from .views import init_views

    init_views(app)
    app.cli.add_command(report_command)
    add_nav(app, "reports.dashboard", _l("Tổng hợp, báo cáo"), order=10)
    add_nav(app, "reports.documents_page", _l("Văn bản triển khai"), roles=("central_admin",), order=11)
    set_home(app, "reports.dashboard", ("commune_admin", "central_admin"))
    add_demo_loader(app, demo_documents, order=95)
