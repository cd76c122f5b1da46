"""`fieldkit roster import` and `fieldkit roster export`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option, output_option
from ..db import get_db
from ..instance import site_id
from ..units.units import commune_by_code
from .groups import FIELD_LABELS, find_by_name, list_groups, shown_value
from .households import export_households, import_households, list_households
from .roster_file import export_roster
from .roster_import import import_roster


@click.group("roster", help="Danh sách thôn, tổ dân phố. / Residential group rosters.")
def roster_cli():
    pass


def _refuse_if_problems(plan):
    """Print each problem by its row and stop with a non-zero status when there is any."""
    for problem in plan.problems:
        click.echo(str(problem), err=True)
    if not plan.ok:
        raise click.ClickException(
            f"Tệp có {len(plan.problems)} lỗi, chưa nhập dòng nào. / {len(plan.problems)} problem(s); nothing imported."
        )


def _echo_summary(plan, dry_run, unit=""):
    counts = plan.summary()
    unit = f" {unit}" if unit else ""
    click.echo(
        f"{'Sẽ' if dry_run else 'Đã'} thêm {counts['added']}, cập nhật {counts['updated']}, giữ nguyên "
        f"{counts['unchanged']}{unit}."
        f" / added {counts['added']}, updated {counts['updated']}, unchanged {counts['unchanged']}"
        + (" (dry run, nothing saved)" if dry_run else "")
    )


def row_changes(plan):
    """One line per row of the file that adds or changes a group: "Dòng 7: Thôn Bảo Vinh: Số hộ: 180 → 182"."""
    lines = []
    for record in plan.added:
        lines.append(f"Dòng {record['row']}: thêm mới “{record['name']}” / row {record['row']}: new")
    for group, changes, record in plan.updated:
        said = "; ".join(
            f"{FIELD_LABELS.get(key, key)}: {shown_value(old, key)} → {shown_value(new, key)}"
            for key, (old, new) in changes.items()
        )
        lines.append(f"Dòng {record['row']}: {group['name']}: {said}")
    return sorted(lines, key=lambda line: int(line.split(":")[0].split()[1]))


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@commune_option(held=True)
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; save nothing.")
@with_appcontext
def import_command(file, commune_code, dry_run):
    """Import residential groups from an .xlsx or .csv file; any bad row means nothing is imported.

    Groups are matched by name, ignoring case and diacritics: importing again updates them in place.

    Example: fieldkit roster import thon.xlsx --commune 02989 --dry-run
    """
    db = get_db()
    plan = import_roster(db, SYSTEM, site_id(current_app), commune_code, file.read_bytes(), file.name, dry_run)
    if plan.sheet:
        click.echo(f"Đọc trang tính “{plan.sheet}”. / Reading sheet {plan.sheet!r}.")
    _refuse_if_problems(plan)
    if plan.ignored_headers:
        click.echo("Bỏ qua các cột / Ignored columns: " + ", ".join(plan.ignored_headers))
    for line in row_changes(plan):
        click.echo(line)
    _echo_summary(plan, dry_run)
    if plan.not_in_file:
        names = ", ".join(group["name"] for group in plan.not_in_file)
        click.echo(f"Có trong hệ thống nhưng không có trong tệp (giữ nguyên) / Not in the file (kept): {names}")


@roster_cli.command("export")
@commune_option()
@output_option("File to write: .xlsx or .csv.")
@with_appcontext
def export_command(commune_code, output):
    """Write a commune's residential groups to .xlsx or .csv (UTF-8 with BOM), ready to import back.

    Example: fieldkit roster export --commune 02989 -o danh-sach-thon.xlsx
    """
    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.ClickException("Tên tệp phải kết thúc bằng .xlsx hoặc .csv. / Output must end in .xlsx or .csv.")
    db = get_db()
    commune = commune_by_code(db, commune_code)
    groups = list_groups(db, SYSTEM, commune_code, active_only=False)
    output.write_bytes(
        export_roster(groups, output.name, title=f"DANH SÁCH THÔN, TỔ DÂN PHỐ - {commune['name'].upper()}")
    )
    click.echo(f"Đã ghi {len(groups)} thôn, tổ dân phố vào {output}. / Wrote {len(groups)} groups.")


def _group(db, commune_code, name):
    group = find_by_name(db, commune_code, name)
    if group is None:
        raise click.ClickException(f"Xã {commune_code} không có thôn “{name}”. / No such group in {commune_code}.")
    return group


@roster_cli.command("households-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@commune_option(held=True)
@click.option(
    "--group", "group_name", required=True, help="Village or residential group name (case and diacritics ignored)."
)
@click.option("--dry-run", is_flag=True, help="Check the file; save nothing.")
@with_appcontext
def households_import_command(file, commune_code, group_name, dry_run):
    """Import one group's household list (stays on this computer); any bad row means nothing is imported.

    Example: fieldkit roster households-import ho-bao-vinh.xlsx --commune 02989 --group "Thôn Bảo Vinh"
    """
    db = get_db()
    plan = import_households(db, SYSTEM, _group(db, commune_code, group_name), file.read_bytes(), file.name, dry_run)
    _refuse_if_problems(plan)
    _echo_summary(plan, dry_run, "hộ")


@roster_cli.command("households-export")
@commune_option()
@click.option("--group", "group_name", required=True, help="Village or residential group name.")
@output_option("File to write: .xlsx or .csv.")
@with_appcontext
def households_export_command(commune_code, group_name, output):
    """Write one group's household list to .xlsx or .csv, ready to import back.

    Example: fieldkit roster households-export --commune 02989 --group "Thôn Bảo Vinh" -o ho.xlsx
    """
    if output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.ClickException("Tên tệp phải kết thúc bằng .xlsx hoặc .csv. / Output must end in .xlsx or .csv.")
    db = get_db()
    households = list_households(db, SYSTEM, _group(db, commune_code, group_name))
    output.write_bytes(export_households(households, output.name))
    click.echo(f"Đã ghi {len(households)} hộ vào {output}. / Wrote {len(households)} households.")
