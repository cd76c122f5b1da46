"""`fieldkit explainer export DIR` (the public pages as a static site) and `explainer audio add` (a recording)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option
from ..db import get_db
from ..instance import site_id
from ..submissions.media import Rejected
from . import audio, content
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


@explainer_cli.group("audio")
def audio_cli():
    """Bản ghi âm của trang giới thiệu và bài phát thanh. / Recordings of pages and loudspeaker scripts."""


@audio_cli.command("add")
@click.argument("slug")
@click.argument("file", type=click.File("rb"))
@click.option("--lang", required=True, help="Language of the recording (vi, hmn, dao, tay, nung, giay…).")
@click.option("--speaker", default="", help="Whose voice it is.")
@click.option("--script", is_flag=True, help="A loudspeaker script, not an explainer page.")
@commune_option(
    required=False,
    held=True,
    dest="commune",
    help="On a site: the commune the recording is filed under (it travels up).",
)
@with_appcontext
def audio_add_command(slug, file, lang, speaker, script, commune):
    """Add FILE (WebM, Ogg, MP3, M4A or WAV, checked by content) as the next recording of SLUG in LANG.

    Example: fieldkit explainer audio add what-is-papi --lang hmn doc-hmoob.ogg --speaker "Giàng A Páo"
    """
    config = current_app.config
    db = get_db()
    if config["ROLE"] == "site" and not commune:
        raise click.ClickException("Trên máy của xã, hãy ghi --commune MÃ_XÃ. / On a site, give --commune CODE.")
    try:
        row = audio.add_recording(
            db,
            SYSTEM,
            site_id(current_app),
            audio.store_dir(current_app),
            "script" if script else "page",
            slug,
            lang,
            file.read(),
            speaker,
            (config["AUDIO_MAX_BYTES"], config["AUDIO_MAX_SECONDS"]),
            commune or None,
        )
    except Rejected as error:
        raise click.ClickException(" ".join(str(message) for message in error.errors.values())) from None
    click.echo(f"{audio.code(row)}\t{audio.minutes_seconds(row['seconds'])}\t{row['mime']}\t{row['sha256']}")
