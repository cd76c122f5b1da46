"""`fieldkit posters`: print-ready posters or leaflets for a commune's residential groups."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option, output_option
from ..db import get_db
from ..instance import site_id
from ..rosters.groups import decode, list_groups
from .register import print_sheets
from .render import SIZES, poster_pdf


def find_group(db, scope, commune_code, group_id):
    """A group of the commune by uuid or by integer id, or None."""
    column = "id" if str(group_id).isdigit() else "uuid"
    rows = list(
        scope.rows(db["residential_groups"], f"commune_code = ? AND {column} = ?", [commune_code, group_id], limit=1)
    )
    return decode(rows[0]) if rows else None


@click.command("posters")
@commune_option(held=True)
@click.option("--group", "group_id", metavar="ID", help="Only this residential group (its uuid or integer id).")
@click.option(
    "--size",
    type=click.Choice(SIZES, case_sensitive=False),
    default="A4",
    show_default=True,
    help="A4 or A3 poster, or A5 leaflets two to an A4 sheet.",
)
@click.option(
    "--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Language of the printed text."
)
@output_option("PDF file to write.")
@click.option(
    "--lan-only",
    is_flag=True,
    help="Allow a QR code to a LAN-only address (loopback, private range, .local): posters for the LAN.",
)
@with_appcontext
def posters_command(commune_code, group_id, size, lang, output, lan_only):
    """Print posters (one page per residential group), each sheet with its own QR code.

    Every printed sheet is entered in the poster register.

    Example: fieldkit posters --commune 02989 --size A3 -o posters.pdf
    """
    db = get_db()
    size = size.upper()
    if group_id:
        group = find_group(db, SYSTEM, commune_code, group_id)
        if group is None:
            raise click.ClickException(
                f"Xã {commune_code} không có thôn, tổ dân phố {group_id}. / No group {group_id} in commune "
                f"{commune_code}."
            )
        groups = [group]
    else:
        groups = list_groups(db, SYSTEM, commune_code)
        if not groups:
            raise click.ClickException(
                f"Xã {commune_code} chưa có thôn, tổ dân phố nào. / Commune {commune_code} has no residential groups."
            )
    sheets = print_sheets(
        db,
        SYSTEM,
        site_id(current_app),
        commune_code,
        groups,
        size,
        current_app.config["PUBLIC_BASE_URL"],
        lang,
        lan_only=lan_only,
    )
    output.write_bytes(poster_pdf(sheets, size))
    click.echo(f"Đã ghi {len(groups)} trang ({len(sheets)} tờ) vào {output}. / Wrote {len(groups)} page(s).")
