"""`fieldkit posters`: print-ready posters or leaflets for a commune's residential groups; `posters register`.

`posters` is a group like the others, and still prints when called alone, exactly as the README's
command table says (`fieldkit posters --commune CODE [--group ID] [--size A4|A3|A5] -o FILE.pdf`):
a click group with `invoke_without_command`, whose printing options are checked only when no
subcommand follows.
"""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option, output_option
from ..db import get_db
from ..instance import site_id
from ..rosters.groups import decode, list_groups
from .register import print_sheets, register
from .render import SIZES, poster_pdf


def find_group(db, scope, commune_code, group_id):
    """A group of the commune by uuid or by integer id, or None."""
    column = "id" if str(group_id).isdigit() else "uuid"
    rows = list(
        scope.rows(db["residential_groups"], f"commune_code = ? AND {column} = ?", [commune_code, group_id], limit=1)
    )
    return decode(rows[0]) if rows else None


@click.group("posters", invoke_without_command=True)
@commune_option(required=False, held=True)
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
@output_option("PDF file to write (required to print).", required=False)
@click.option(
    "--lan-only",
    is_flag=True,
    help="Allow a QR code to a LAN-only address (loopback, private range, .local): posters for the LAN.",
)
@click.pass_context
@with_appcontext
def posters_cli(ctx, commune_code, group_id, size, lang, output, lan_only):
    """In áp phích, tờ rơi có mã QR; sổ theo dõi áp phích. / QR posters and leaflets; the poster register.

    Called alone, prints posters (one page per residential group), each sheet with its own QR code,
    and enters every printed sheet in the poster register.

    Example: fieldkit posters --commune 02989 --size A3 -o posters.pdf
    """
    if ctx.invoked_subcommand is not None:
        return
    if commune_code is None:
        raise click.UsageError("Thiếu --commune MÃ_XÃ. / Missing option '--commune'.", ctx)
    if output is None:
        raise click.UsageError("Thiếu -o TỆP.pdf. / Missing option '-o' / '--output'.", ctx)
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


@posters_cli.command("register")
@commune_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per printed sheet.")
@with_appcontext
def register_command(commune_code, as_json):
    """List the commune's printed sheets, newest first: code, group, state, scans.

    Example: fieldkit posters register --commune 02989
    """
    sheets = [
        {key: row[key] for key in ("code", "group_name", "size", "status", "printed_at", "scans")}
        for row in register(get_db(), SYSTEM, commune_code)
    ]
    if as_json:
        click.echo(json.dumps(sheets, ensure_ascii=False))
        return
    for sheet in sheets:
        click.echo("\t".join(str(sheet[key] or "") for key in ("code", "group_name", "size", "status", "scans")))
