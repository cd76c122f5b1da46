"""`fieldkit survey`: the survey year, the team's visits, readiness, the calendar and the notice."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option, output_option
from ..db import get_db
from ..i18n import format_date
from ..instance import site_id
from .documents import commune_calendar, commune_notices
from .readiness import SETTINGS_FILE, load_settings
from .status import survey_status
from .visits import STATUSES, save_visit
from .years import SurveyError, add_samples, find_sample, parse_group_spec, require_year, save_year


@click.group("survey", help="Năm khảo sát PAPI, lịch đoàn khảo sát, mức sẵn sàng. / The PAPI survey year and visits.")
def survey_cli():
    pass


@survey_cli.command("year")
@click.argument("year", type=int)
@click.argument("more_groups", nargs=-1, metavar="[CODE:NAME]...")
@click.option("--from", "date_from", required=True, metavar="D", help="First day of fieldwork (dd/mm/yyyy or ISO).")
@click.option("--to", "date_to", required=True, metavar="D", help="Last day of fieldwork (dd/mm/yyyy or ISO).")
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="CODE:NAME",
    help="A sampled residential group: commune code and group name. Repeat for each group.",
)
@click.option(
    "--readiness",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Readiness settings (TOML) for this year; the shipped readiness.toml by default.",
)
@with_appcontext
def year_command(year, more_groups, date_from, date_to, groups, readiness):
    """Create or change a survey year, its fieldwork window and its sampled groups (at Sở Nội vụ).

    Groups are added to the year's sample; the year and its sample travel to the sites on pull.

    Example: fieldkit survey year 2026 --from 01/08/2026 --to 30/11/2026 --group "02989:Thôn Bảo Vinh"
    """
    db = get_db()
    specs = [parse_group_spec(spec) for spec in (*groups, *more_groups)]
    settings = load_settings(readiness or SETTINGS_FILE)
    with db.atomic():
        row = save_year(db, SYSTEM, site_id(current_app), year, date_from, date_to, settings)
        added = add_samples(db, SYSTEM, site_id(current_app), year, specs)
    total = db["survey_samples"].count_where("year = ? AND removed = 0", [year])
    click.echo(
        f"Năm khảo sát {year}: {format_date(row['fieldwork_from'])} – {format_date(row['fieldwork_to'])},"
        f" {total} thôn được chọn ({added} mới). / Survey year {year}: {total} sampled group(s), {added} new."
    )


@survey_cli.command("visit")
@commune_option(held=True)
@click.option("--group", "group_name", required=True, metavar="NAME", help="The sampled group's name.")
@click.option("--date", "start", required=True, metavar="D", help="Day the team comes (dd/mm/yyyy or ISO).")
@click.option("--to", "end", metavar="D", help="Last day, when the team stays more than one day.")
@click.option("--status", type=click.Choice(STATUSES), help="planned (new visits), confirmed, done or moved.")
@click.option("--place", help="Meeting place; the group's cultural house by default.")
@click.option("--team-contact", help="The survey team's contact (name, phone).")
@click.option("--guide", help="The commune officer who guides the team (name, phone).")
@click.option("--note", help="A note.")
@click.option("--year", type=int, help="Survey year; the latest by default.")
@with_appcontext
def visit_command(commune_code, group_name, start, end, status, place, team_contact, guide, note, year):
    """Schedule (or change) the survey team's visit to a sampled group.

    Example: fieldkit survey visit --commune 02989 --group "Thôn Bảo Vinh" --date 15/09/2026 --status confirmed
    """
    db = get_db()
    year_row = require_year(db, year)
    sample = find_sample(db, SYSTEM, year_row["year"], commune_code, group_name)
    if sample is None:
        raise SurveyError(
            f"Thôn “{group_name}” của xã {commune_code} không được chọn khảo sát năm {year_row['year']}."
            f" / {group_name} is not sampled in {year_row['year']}."
        )
    visit = save_visit(
        db,
        SYSTEM,
        site_id(current_app),
        sample,
        start,
        end,
        status,
        place=place,
        team_contact=team_contact,
        guide=guide,
        note=note,
    )
    click.echo(
        f"Đã lưu lịch khảo sát {sample['group_name']}: {format_date(visit['start_date'])} ({visit['status']})."
        f" / Visit saved: {format_date(visit['start_date'])} ({visit['status']})."
    )


@survey_cli.command("status")
@commune_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one entry per sampled group.")
@click.option("--year", type=int, help="Survey year; the latest by default.")
@with_appcontext
def status_command(commune_code, as_json, year):
    """Readiness of each sampled group of a commune, computed from the records logged.

    Example: fieldkit survey status --commune 02989 --json
    """
    db = get_db()
    # Links to records are built as on the pages.
    with current_app.test_request_context():
        year_row, entries = survey_status(db, SYSTEM, commune_code, year)
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    click.echo(f"Khảo sát PAPI {year_row['year']} / PAPI survey {year_row['year']}")
    for entry in entries:
        visit = entry["visit"]
        when = f"{format_date(visit['date'])} ({visit['status']})" if visit else "chưa có lịch / no visit"
        click.echo(f"{entry['group']}: {when}, sẵn sàng / ready {entry['ready_count']}/{entry['item_count']}")
        for item in entry["items"]:
            click.echo(
                f"  [{'x' if item['ready'] else ' '}] {item['label']}"
                + ("" if item["ready"] else f" — {item['missing']}")
            )


@survey_cli.command("ics")
@commune_option()
@output_option(".ics file to write.")
@click.option("--year", type=int, help="Survey year; the latest by default.")
@with_appcontext
def ics_command(commune_code, output, year):
    """Write the commune's survey visits as an iCalendar file for phones' calendars.

    Example: fieldkit survey ics --commune 02989 -o khao-sat.ics
    """
    with current_app.test_request_context():
        data = commune_calendar(get_db(), SYSTEM, commune_code, year)
    output.write_bytes(data)
    click.echo(f"Đã ghi {output}. / Wrote {output}.")


@survey_cli.command("notice")
@commune_option()
@output_option("PDF file to write.")
@click.option("--group", "group_name", metavar="NAME", help="Only this sampled group.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Language.")
@click.option("--year", type=int, help="Survey year; the latest by default.")
@click.option("--lan-only", is_flag=True, help="Allow a QR code to a LAN-only address (loopback, private range).")
@with_appcontext
def notice_command(commune_code, output, group_name, lang, year, lan_only):
    """Write the A4 notice for the cultural house of each group the team will visit.

    Example: fieldkit survey notice --commune 02989 -o thong-bao.pdf
    """
    with current_app.test_request_context():
        data = commune_notices(
            get_db(), SYSTEM, commune_code, current_app.config["PUBLIC_BASE_URL"], year, group_name, lang, lan_only
        )
    output.write_bytes(data)
    click.echo(f"Đã ghi {output}. / Wrote {output}.")
