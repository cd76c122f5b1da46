"""fieldkit: PAPI awareness fieldwork for communes in Lào Cai."""

import os

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from .config import CONFIG_FILE, DATABASE_FILE, DEFAULTS, load_instance_config
from .paths import default_instance_dir, resource_dir


def create_app(test_config=None, instance_path=None):
    """Build the app: configuration, extensions, blueprints; nothing else."""
    instance_path = str(instance_path or default_instance_dir())
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        static_folder=str(resource_dir("static")),
    )
    app.config.from_mapping(DEFAULTS)
    app.config["DATABASE"] = os.path.join(instance_path, DATABASE_FILE)
    app.config["FORMS_DIR"] = str(resource_dir("forms"))
    if test_config is None:
        app.config.update(load_instance_config(os.path.join(instance_path, CONFIG_FILE)))
    else:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        # Not initialised yet: `fieldkit init` writes the key. Pages need it; the CLI does not.
        app.config["SECRET_KEY"] = os.urandom(32)
        app.config["UNINITIALISED"] = True

    CSRFProtect(app)

    from . import (
        auth,
        cli,
        db,
        explainer,
        formspec,
        i18n,
        nav,
        offline,
        posters,
        reports,
        rosters,
        shell,
        submissions,
        survey,
        sync,
        units,
    )

    db.init_app(app)
    i18n.init_app(app)
    nav.init_app(app)
    shell.init_app(app)
    auth.init_app(app)
    units.init_app(app)
    rosters.init_app(app)
    offline.init_app(app)
    explainer.init_app(app)
    posters.init_app(app)
    formspec.init_app(app)
    submissions.init_app(app)
    survey.init_app(app)
    sync.init_app(app)
    reports.init_app(app)
    cli.init_app(app)
    if os.path.exists(app.config["DATABASE"]):
        with app.app_context():
            upgrade_database(db.get_db())
    return app


def upgrade_database(database):
    """Apply pending migrations, unit data and form definitions; run by init and at start."""
    from .db import migrate
    from .formspec import publish_forms
    from .units.units import sync_units

    applied = migrate(database)
    sync_units(database)
    publish_forms(database)
    return applied
