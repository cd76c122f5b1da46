"""The PAPI survey year: sampled groups, the survey team's visits, each group's readiness from its records.

fieldkit never records who was interviewed or how anyone answered, and never helps choose
respondents: the random draw belongs to the survey team.
"""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from ..demo import add_demo_loader
    from ..nav import add_nav
    from ..reports.exports import add_report_sheet
    from ..sync.registry import travels
    from .cli import survey_cli
    from .demo import demo_survey
    from .report import report_sheet
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(survey_cli)
    add_nav(app, "survey.index", _l("Khảo sát PAPI"), order=30)
    add_demo_loader(app, demo_survey, order=95)
    add_report_sheet(app, report_sheet)
    # The year and its sample are made at Sở Nội vụ and go down; visits are edited on both sides.
    travels(app, "survey_years", down=True, commune_column=None, mutable=True, order=40)
    travels(app, "survey_samples", down=True, commune_column=None, mutable=True, order=41)
    travels(app, "survey_visits", up=True, down=True, mutable=True, order=42)
