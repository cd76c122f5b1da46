"""The README's commune steps work as written: activation comes first, and every command runs."""

import re
import shlex
from pathlib import Path

from fieldkit.cli import main

README = Path(__file__).parent.parent / "README.md"


def commune_steps():
    text = README.read_text(encoding="utf-8")
    return text.split("## Cài đặt cho xã")[1].split("\n## ")[0]


def test_the_virtual_environment_is_activated_before_fieldkit_is_called():
    steps = commune_steps()
    first_call = re.search(r"`fieldkit ", steps).start()
    assert "source .venv/bin/activate" in steps[:first_call] and ".venv\\Scripts\\activate" in steps[:first_call]
    assert ".venv/bin/fieldkit" in steps  # and how to do without


def test_every_fieldkit_command_of_the_steps_runs(tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setenv("FIELDKIT_INSTANCE", str(tmp_path / "instance"))
    commands = [shlex.split(c) for c in re.findall(r"`(fieldkit [^`…]+)`", commune_steps())]
    runnable = [c for c in commands if c[1] != "serve"]  # serve runs until stopped; test_serve covers it
    assert [c[1] for c in runnable] == ["init", "user", "units"]
    for command in runnable:
        result = CliRunner().invoke(main, command[1:], input="mat-khau-rat-dai-2026\nmat-khau-rat-dai-2026\n")
        assert result.exit_code == 0, (command, result.output)
