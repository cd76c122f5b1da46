"""`fieldkit explainer export DIR`: the public explainer pages as a static site."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import get_db
from . import content
from .export import export_site


@click.group("explainer", help="Trang giới thiệu PAPI cho người dân. / Public PAPI explainer pages.")
def explainer_cli():
    pass


@explainer_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", default=content.DEFAULT_LANG, show_default=True, help="Content language (vi, en, …).")
@with_appcontext
def export_command(directory, lang):
    """Write index.html, one page per topic and style.css into DIRECTORY.

    Example: fieldkit explainer export /tmp/papi-site --lang vi
    """
    db = get_db()
    if lang not in content.languages(db):
        raise click.ClickException(f"Chưa có nội dung bằng ngôn ngữ {lang!r}. / No content in {lang!r}.")
    written = export_site(current_app, db, directory, lang)
    click.echo(f"Đã ghi {len(written)} tệp vào {directory}. / Wrote {len(written)} files.")
