"""`fieldkit forms`: list and check the form definitions."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import get_db
from . import registry
from .definition import FormDefinitionError
from .labels import text_in


@click.group("forms", help="Biểu mẫu (tệp forms/*.toml). / Form definitions.")
def forms_cli():
    pass


@forms_cli.command("list")
@with_appcontext
def list_command():
    """List the forms: id, version, title.

    Example: fieldkit forms list
    """
    for definition in registry().all_current():
        click.echo(f"{definition.id}\t{definition.version}\t{text_in(definition.data['title'], 'vi')}")


@forms_cli.command("check")
@with_appcontext
def check_command():
    """Check every definition and that no published version has changed.

    Example: fieldkit forms check
    """
    forms = registry()
    try:
        if not current_app.config.get("UNINITIALISED"):
            forms.publish(get_db())
    except FormDefinitionError as error:
        raise click.ClickException(str(error)) from None
    count = sum(len(v) for v in forms.forms.values())
    click.echo(f"Các biểu mẫu hợp lệ: {count}. / All {count} form definitions are valid.")
