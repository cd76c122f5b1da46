"""Forms as data: forms/*.toml read and checked at start, turned into JSON, WTForms and HTML."""

from flask import current_app

from ..reference import choice_lists
from .registry import FormRegistry
from .types import field_type

EXTENSION = "fieldkit.formspec"


def registry(app=None):
    """The app's FormRegistry."""
    return (app or current_app).extensions[EXTENSION]


def publish_forms(db, app=None):
    """Store the hash of every form version found; refuse a changed published version."""
    registry(app).publish(db)


def init_app(app):
    # Reading here means a broken definition stops the app at start, naming file and field.
    app.extensions[EXTENSION] = FormRegistry(app.config["FORMS_DIR"], choice_lists())
    app.jinja_env.globals["field_type"] = field_type
    from .cli import forms_cli

    app.cli.add_command(forms_cli)
