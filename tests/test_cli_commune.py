"""One `--commune` for every command: the same option, the same type, the same Vietnamese error.

The commands are found by walking the CLI, so a new command that takes a commune is held to it too.
"""

import json

import click
import pytest

from fieldkit.cli import CommuneCode
from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, PHO_LU, make_app

from .roster_files import commune_roster


def leaf_commands(group, path=()):
    """(path, command) of every command under `group`, the group's own callback included when it runs alone."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            if command.invoke_without_command:
                yield (*path, name), command
            yield from leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


def commune_params(app):
    for path, command in leaf_commands(app.cli):
        for param in command.params:
            if "--commune" in getattr(param, "opts", ()):
                yield " ".join(path), param


def test_every_commune_option_is_the_shared_one(app):
    found = dict(commune_params(app))
    assert {"roster import", "roster export", "posters", "survey visit", "user add", "sites add", "report"} <= set(
        found
    )
    for command, param in found.items():
        assert isinstance(param.type, CommuneCode), f"`fieldkit {command} --commune` is not the shared commune type"
        assert param.metavar == "CODE", command


@pytest.mark.parametrize(
    "args",
    [
        ["roster", "export", "-o", "x.xlsx"],
        ["posters", "-o", "x.pdf"],
        ["survey", "status", "--json"],
        ["survey", "ics", "-o", "x.ics"],
        ["user", "add", "lan", "--role", "officer"],
        ["report", "--format", "csv", "-o", "x.csv"],
    ],
)
@pytest.mark.parametrize("code", ["99999", "bao-ha"])
def test_an_unknown_commune_is_named_in_vietnamese(runner, tmp_path, args, code):
    result = runner.invoke(args=[*args, "--commune", code])
    assert result.exit_code == 2, result.output
    assert f"Không có xã, phường mã “{code}”" in result.output
    assert "Traceback" not in result.output


def enrol_for(app, communes):
    with app.app_context():
        get_db()["sync_link"].insert({"id": 1, "central_url": "https://snv.example", "communes": json.dumps(communes)})


def test_an_enrolled_site_refuses_to_make_rows_for_a_commune_it_was_not_enrolled_for(app, runner, tmp_path):
    enrol_for(app, [BAO_HA])
    sheet = tmp_path / "thon.xlsx"
    sheet.write_bytes(commune_roster())
    refused = runner.invoke(args=["roster", "import", str(sheet), "--commune", PHO_LU])
    assert refused.exit_code == 2
    assert f"đăng ký với Sở Nội vụ cho xã {BAO_HA}, không cho xã {PHO_LU}" in refused.output
    # Reading another commune's (empty) roster makes nothing that travels: allowed.
    assert runner.invoke(args=["roster", "export", "--commune", PHO_LU, "-o", str(tmp_path / "x.csv")]).exit_code == 0
    assert runner.invoke(args=["roster", "import", str(sheet), "--commune", BAO_HA]).exit_code == 0


def test_a_central_is_not_held_to_an_enrolment(tmp_path):

    central = make_app(tmp_path, role="central")
    result = central.test_cli_runner().invoke(args=["sites", "add", "UBND xã Phố Lu", "--commune", PHO_LU])
    assert result.exit_code == 0, result.output


def test_an_operation_s_user_facing_error_ends_the_command_with_its_message(runner, tmp_path):
    password = tmp_path / "p.txt"
    password.write_text("mot-mat-khau-dai\n", encoding="utf-8")
    result = runner.invoke(args=["user", "password", "khong-co-ai", "--password-file", str(password)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "khong-co-ai" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
