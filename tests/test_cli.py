import json

import click

from fieldkit.cli import main


def _commands(group, ctx, prefix=()):
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, (*prefix, name))


def test_every_command_has_help_with_an_example(app):
    ctx = click.Context(app.cli)
    for path, command in _commands(app.cli, ctx):
        if isinstance(command, click.Group):
            assert command.help, path
        else:
            assert command.help and "Example:" in command.help, f"{' '.join(path)} lacks help with an example"


def test_stats_json(runner):
    result = runner.invoke(args=["stats", "--json"])
    counts = json.loads(result.output)
    for kind in ("groups", "submissions", "posters", "sites", "conflicts"):
        assert counts[kind] == 0
    assert counts["users"] == 4


def test_main_group_lists_contract_commands(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["--instance", str(tmp_path / "i"), "--help"])
    assert result.exit_code == 0
    for name in ("init", "serve", "stats", "units", "user"):
        assert name in result.output


def test_init_demo_prints_logins_and_marks_demo(tmp_path):
    from click.testing import CliRunner

    instance = tmp_path / "demo"
    result = CliRunner().invoke(main, ["--instance", str(instance), "init", "--demo"])
    assert result.exit_code == 0, result.output
    assert "canbo.baoha" in result.output and "DỮ LIỆU MẪU" in result.output
    assert "demo = true" in (instance / "config.toml").read_text(encoding="utf-8")
    again = CliRunner().invoke(main, ["--instance", str(instance), "init", "--demo"])
    assert "đã có sẵn" in again.output


def test_central_demo_holds_several_communes_bao_ha_among_them(tmp_path):
    import sqlite3

    from click.testing import CliRunner

    instance = tmp_path / "central"
    result = CliRunner().invoke(main, ["--instance", str(instance), "init", "--role", "central", "--demo"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(instance / "fieldkit.sqlite3")
    communes = {row[0] for row in conn.execute("select distinct commune_code from submissions")}
    assert "02989" in communes and len(communes) >= 3
    sites = {row[0] for row in conn.execute("select distinct origin_site from submissions")}
    assert len(sites) == len(communes)
