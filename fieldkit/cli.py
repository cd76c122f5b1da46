"""The `fieldkit` command: one group, with each area's subgroup defined beside its area.

What every command shares lives here: `commune_option` (the one `--commune`, typed `CommuneCode`),
and the rule that a `UserFacingError` raised by an operation ends the command with its message and a
non-zero status, whichever command ran it (so commands do not catch domain errors one by one).

Words: a group's help starts "Tiếng Việt. / English."; a command's help is English with an example
(for whoever installs fieldkit from the README); what a command prints for a commune officer is
Vietnamese first, then " / " and English, on one line. tests/test_cli_docs.py holds the README's
command table and the CLI to each other.
"""

import json
import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, ScriptInfo, with_appcontext

from .db import get_db
from .errors import UserFacingError

# What `fieldkit stats` counts, per kind; a table an area has not created yet counts 0.
STAT_TABLES = {
    "groups": "residential_groups",
    "households": "households",
    "submissions": "submissions",
    # Submissions kept aside by the API, and rows kept aside by sync imports.
    "conflicts": ("conflicts", "sync_conflicts"),
    "media": "media",
    "posters": "posters",
    "poster_scans": "poster_scans",
    "sites": "sites",
    "users": "users",
    "audit_entries": "audit_log",
    "units": "units",
}


def _set_instance(ctx, param, value):
    if value:
        os.environ["FIELDKIT_INSTANCE"] = str(Path(value).resolve())
    return value


class _UserErrorsEndTheCommand:
    """Mixed into the root group and the app's group: a UserFacingError becomes a one-line error, exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserFacingError as error:
            raise click.ClickException(str(error)) from None


class RootGroup(_UserErrorsEndTheCommand, FlaskGroup):
    """`fieldkit`: the areas' commands, found on the app."""


class AppCommands(_UserErrorsEndTheCommand, AppGroup):
    """`app.cli`, which `flask --app fieldkit` and the tests' runner invoke directly."""


class CommuneCode(click.ParamType):
    """A commune code found in the administrative units (either era).

    With `held=True`, a site enrolled with Sở Nội vụ also refuses a commune it was not enrolled for:
    Sở Nội vụ would refuse what the command makes for it.
    """

    name = "commune"

    def __init__(self, held=False):
        self.held = held

    def convert(self, value, param, ctx):
        from .units.units import commune_by_code

        code = str(value).strip()
        with _app_context(ctx):
            db = get_db()
            if not code.isdigit() or commune_by_code(db, code) is None:
                self.fail(
                    f"Không có xã, phường mã “{code}” (xem mã bằng `fieldkit units list`). / No commune {code}.",
                    param,
                    ctx,
                )
            enrolled = _enrolled_communes(db) if self.held else None
            if enrolled and code not in enrolled:
                self.fail(
                    f"Máy này được đăng ký với Sở Nội vụ cho xã {', '.join(enrolled)}, không cho xã {code}."
                    f" / This site is enrolled for {', '.join(enrolled)} only.",
                    param,
                    ctx,
                )
        return code


def _app_context(ctx):
    """The app context the commune type reads units in (click converts options before the command runs)."""
    import contextlib

    if current_app:
        return contextlib.nullcontext()
    return ctx.ensure_object(ScriptInfo).load_app().app_context()


def _enrolled_communes(db):
    if current_app.config["ROLE"] != "site" or not db["sync_link"].exists():
        return []
    from .sync.link import get_link

    found = get_link(db)
    return sorted(found["communes"]) if found else []


def commune_option(required=True, multiple=False, held=False, dest=None, help=None):
    """The one `--commune CODE` option: checked against the units (and, `held`, the site's enrolment).

    The value reaches the command as `commune_code` (`communes`, a tuple, when `multiple`).
    """
    default_help = "Commune codes (repeatable), e.g. 02989." if multiple else "Commune code, e.g. 02989 (Xã Bảo Hà)."
    return click.option(
        "--commune",
        dest or ("communes" if multiple else "commune_code"),
        type=CommuneCode(held=held),
        required=required,
        multiple=multiple,
        metavar="CODE",
        help=help or default_help,
    )


def output_option(help="File to write.", required=True):
    """The one `-o/--output FILE` option of commands that write a file; the value is a Path."""
    return click.option("-o", "--output", required=required, type=click.Path(dir_okay=False, path_type=Path), help=help)


def _create_app():
    from . import create_app
    from .formspec.definition import FormDefinitionError

    try:
        return create_app()
    except FormDefinitionError as error:
        # A bad or changed form definition: say which file, without a traceback.
        raise click.ClickException(str(error)) from None


@click.group(
    cls=RootGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="fieldkit: công cụ tuyên truyền PAPI cho xã. / PAPI awareness toolkit for communes.",
)
@click.option(
    "--instance",
    metavar="PATH",
    callback=_set_instance,
    is_eager=True,
    expose_value=False,
    help="Instance folder (data, settings, keys). Default: $FIELDKIT_INSTANCE or ./instance.",
)
def main():
    pass


@click.command("init")
@click.option(
    "--role",
    type=click.Choice(["site", "central"]),
    default="site",
    show_default=True,
    help="site: a commune laptop; central: Sở Nội vụ.",
)
@click.option("--name", default=None, help="Name of this installation, e.g. 'UBND xã Bảo Hà'.")
@click.option("--demo", is_flag=True, help="Add clearly marked demo data (Xã Bảo Hà).")
@with_appcontext
def init_command(role, name, demo):
    """Create the instance: settings, secret key, site keys and database.

    Example: fieldkit init --role site --name "UBND xã Bảo Hà"
    """
    from .auth import audit
    from .config import CONFIG_FILE, load_instance_config
    from .demo import load_demo
    from .instance import generate_site_keys, protect_instance, write_config

    app = current_app
    instance_dir = Path(app.instance_path)
    protect_instance(instance_dir)
    written = write_config(instance_dir, role, name or ("Sở Nội vụ Lào Cai" if role == "central" else "fieldkit"))
    if written is None:
        click.echo(f"Giữ nguyên cấu hình có sẵn: {instance_dir / CONFIG_FILE}")
    app.config.update(load_instance_config(instance_dir / CONFIG_FILE))
    app.config.pop("UNINITIALISED", None)
    generate_site_keys(instance_dir)
    from . import upgrade_database

    db = get_db()
    applied = upgrade_database(db)
    audit.record(db, None, "instance.init", detail={"migrations": applied})
    click.echo(f"Đã khởi tạo {instance_dir} (vai trò {app.config['ROLE']}). / Instance ready.")
    if demo:
        if load_demo(db, app, app.config["ROLE"]):
            _mark_demo(instance_dir / CONFIG_FILE)
            click.echo("Đã thêm DỮ LIỆU MẪU (demo).")
            _print_demo_logins(app.config["ROLE"])
        else:
            click.echo("Dữ liệu mẫu đã có sẵn. / Demo data already loaded.")


def _print_demo_logins(role):
    from .auth.demo import demo_logins

    click.echo("DỮ LIỆU MẪU. Đăng nhập thử / Demo logins:")
    for username, password, user_role in demo_logins(role):
        click.echo(f"  {username} / {password}  ({user_role})")


def _mark_demo(config_path):
    text = config_path.read_text(encoding="utf-8")
    if "demo = true" not in text:
        config_path.write_text(text + "demo = true\n", encoding="utf-8")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; 0.0.0.0 for the whole LAN.")
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--https", "use_https", is_flag=True, help="Serve TLS with the certificate from `fieldkit tls init`.")
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve_command(host, port, use_https, threads):
    """Serve the app with a production server (cheroot), not Flask's development server.

    Example: fieldkit serve --host 0.0.0.0 --port 8080
    """
    from .instance import protect_instance
    from .serve import run_server

    if current_app.config.get("UNINITIALISED"):
        raise click.ClickException("Chưa khởi tạo. Chạy `fieldkit init` trước. / Run `fieldkit init` first.")
    protect_instance(current_app.instance_path)
    if current_app.config.get("DEMO"):
        _print_demo_logins(current_app.config["ROLE"])
    if use_https:
        from .offline.cli import refresh_before_serving

        refresh_before_serving(current_app)
    run_server(current_app._get_current_object(), host, port, use_https, threads)


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def stats_command(as_json):
    """Count the rows this instance holds, per kind.

    Example: fieldkit stats --json
    """
    counts = instance_stats(get_db())
    if as_json:
        click.echo(json.dumps(counts))
    else:
        for kind, count in counts.items():
            click.echo(f"{kind}: {count}")


def instance_stats(db):
    """Rows per kind; submissions counts every stored version."""
    existing = set(db.table_names())
    return {
        kind: sum(db[table].count for table in ((tables,) if isinstance(tables, str) else tables) if table in existing)
        for kind, tables in STAT_TABLES.items()
    }


@click.command("backup")
@output_option("Backup file to write.")
@with_appcontext
def backup_command(output):
    """Back up this instance (database, settings, keys, media) into one file, even while it serves.

    The file holds personal data and the site's keys: it is readable by its owner only; keep it safe.

    Example: fieldkit backup -o /media/usb/fieldkit-2026-06-01.zip
    """
    from .backup import BackupError, make_backup
    from .instance import protect_instance

    if current_app.config.get("UNINITIALISED"):
        raise BackupError("Chưa khởi tạo. Chạy `fieldkit init` trước. / Run `fieldkit init` first.")
    protect_instance(current_app.instance_path)
    count = make_backup(current_app.instance_path, current_app.config["DATABASE"], output)
    click.echo(f"Đã sao lưu {count} tệp vào {output}. / Backed up {count} files.")


@click.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(backup_file):
    """Restore a backup into the instance folder given (which must not hold a database yet).

    Example: fieldkit --instance instance-moi restore /media/usb/fieldkit-2026-06-01.zip
    """
    from .backup import restore_backup
    from .instance import protect_instance

    count = restore_backup(backup_file, current_app.instance_path)
    protect_instance(current_app.instance_path)
    click.echo(f"Đã khôi phục {count} tệp vào {current_app.instance_path}. / Restored {count} files.")


def init_app(app):
    # Areas have added their commands to app.cli; the same commands, in the group that ends a command
    # on a UserFacingError, serve `flask --app fieldkit` and the tests' runner alike.
    commands = AppCommands(app.cli.name)
    commands.commands.update(app.cli.commands)
    app.cli = commands
    for command in (init_command, serve_command, stats_command, backup_command, restore_command):
        app.cli.add_command(command)
