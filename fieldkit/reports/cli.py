"""`fieldkit report`: the coverage report as a file, with the dashboard's filters."""

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option, output_option
from ..db import get_db
from ..values import parse_date
from . import exports
from .queries import Filters
from .units_map import ERAS


def _date(ctx, param, value):
    if not value:
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"“{value}” không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).") from None


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True, help="xlsx, csv or pdf.")
@output_option()
@click.option("--from", "date_from", callback=_date, help="First day (dd/mm/yyyy or yyyy-mm-dd).")
@click.option("--to", "date_to", callback=_date, help="Last day (dd/mm/yyyy or yyyy-mm-dd).")
@click.option("--era", type=click.Choice(ERAS), default="2023", show_default=True, help="Units to report by.")
@commune_option(required=False, multiple=True, help="Only these communes (repeatable).")
@click.option("--district", metavar="CODE", help="Only this district (2023 code).")
@click.option("--number", default="", help="The report's number, e.g. 125 (left blank for the records office).")
@with_appcontext
def report_command(fmt, output, date_from, date_to, era, communes, district, number):
    """Write the coverage report (sessions, attendance, broadcasts, posters per commune and group).

    Example: fieldkit report --format xlsx -o bao-cao.xlsx --from 01/03/2023 --to 30/09/2023
    """
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter("Ngày bắt đầu phải trước ngày kết thúc.", param_hint="--from")
    filters = Filters(date_from, date_to, era, district, tuple(communes))
    report = exports.build_report(
        get_db(),
        SYSTEM,
        filters,
        number=number,
        today=date.today().isoformat(),
        sheet_builders=current_app.extensions.get("fieldkit.report_sheets", ()),
        **report_heading(current_app.config),
    )
    content = exports.render(report, fmt)
    with open(output, "wb") as f:
        f.write(content)
    click.echo(f"Đã ghi {output} ({len(report.board.communes)} xã, {len(content)} byte).")


def report_heading(config):
    """Issuing body, its governing body, place and number symbol for this installation."""
    central = config.get("ROLE") == "central"
    return {
        "issuer": config["REPORT_ISSUER"] or config.get("SITE_NAME") or "fieldkit",
        "parent_body": config["REPORT_PARENT_BODY"] or ("UBND tỉnh Lào Cai" if central else ""),
        "place": config["REPORT_PLACE"],
        "symbol": config["REPORT_SYMBOL"] or ("BC-SNV" if central else "BC-UBND"),
    }
