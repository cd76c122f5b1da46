"""`fieldkit units list`."""

import click
from flask.cli import with_appcontext

from ..db import get_db
from .units import ERAS, list_communes


@click.group("units", help="Đơn vị hành chính. / Administrative units.")
def units_cli():
    pass


@units_cli.command("list")
@click.option(
    "--era",
    type=click.Choice(ERAS),
    default="2023",
    show_default=True,
    help="Before (2023) or after (2025) the 1/7/2025 reform.",
)
@click.option(
    "--district", help='District name, with or without prefix, any case or diacritics: "Bảo Yên", "huyen bao yen".'
)
@with_appcontext
def list_command(era, district):
    """Print code and name of each commune, one per line.

    Example: fieldkit units list --era 2023 --district "Bảo Yên"
    """
    communes = list_communes(get_db(), era, district)
    if not communes:
        raise click.ClickException(
            f"Không tìm thấy huyện {district!r} trong thời kỳ {era}. / No such district in era {era}."
            if district
            else "Chưa có dữ liệu đơn vị hành chính. / No units loaded."
        )
    for commune in communes:
        click.echo(f"{commune['code']} {commune['name']}")
