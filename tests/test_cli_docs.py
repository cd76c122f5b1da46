"""The README's command table and the CLI agree, like sqlite-utils' `cog --check README.md`.

Every command the table shows exists with the options and arguments shown; every command of the CLI
is in the table; every group's help says what it is in Vietnamese first, then English.
"""

import re
from pathlib import Path

import click
import pytest

import fieldkit
from fieldkit.cli import main

README = Path(fieldkit.__file__).parent.parent / "README.md"


def table_commands():
    """(text, tokens) of each command written in the first column of the README's "## Commands" table."""
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    found = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first_column = re.split(r"(?<!\\)\|", line)[1]
        for text in re.findall(r"`([^`]+)`", first_column):
            tokens = [t.strip("[]").rstrip("…") for t in text.replace("\\|", "|").split()]
            found.append((text, [t for t in tokens if t]))
    return found


def option_of(command, token):
    return next((p for p in command.params if isinstance(p, click.Option) and token in p.opts), None)


def resolve(app, tokens):
    """The command the tokens name, and the tokens after its name (options of the root group skipped)."""
    tokens = list(tokens)
    if tokens and tokens[0] == "fieldkit":
        tokens.pop(0)
    while tokens and tokens[0].startswith("-"):
        option = option_of(main, tokens.pop(0))
        assert option is not None, "an option of `fieldkit` itself that it does not have"
        if not option.is_flag:
            tokens.pop(0)
    command, path = app.cli, []
    while tokens and isinstance(command, click.Group) and tokens[0] in command.commands:
        path.append(tokens[0])
        command = command.commands[tokens.pop(0)]
    return " ".join(path), command, tokens


def check_usage(command, rest):
    """Every option shown exists (its value skipped); as many arguments shown as the command takes."""
    arguments = 0
    while rest:
        token = rest.pop(0)
        if token.startswith("-"):
            option = option_of(command, token)
            assert option is not None, f"{token} is not an option"
            if not option.is_flag and rest:
                rest.pop(0)
        else:
            arguments += 1
    wanted = [p for p in command.params if isinstance(p, click.Argument)]
    least = sum(1 for p in wanted if p.required)
    most = float("inf") if any(p.nargs == -1 for p in wanted) else len(wanted)
    assert least <= arguments <= most, f"{arguments} argument(s) shown; the command takes {[p.name for p in wanted]}"


def cli_commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            if command.invoke_without_command:
                yield " ".join((*path, name))
            yield from cli_commands(command, (*path, name))
        else:
            yield " ".join((*path, name))


def test_the_table_is_read():
    assert len(table_commands()) >= 30


@pytest.mark.parametrize("text, tokens", table_commands(), ids=[text for text, _ in table_commands()])
def test_every_command_in_the_table_exists_as_shown(app, text, tokens):
    path, command, rest = resolve(app, tokens)
    assert path, f"`{text}`: no such command"
    assert not isinstance(command, click.Group) or command.invoke_without_command, f"`{text}` names a group"
    check_usage(command, rest)


def test_every_command_of_the_cli_is_in_the_table(app):
    documented = {resolve(app, tokens)[0] for _, tokens in table_commands()}
    missing = sorted(set(cli_commands(app.cli)) - documented)
    assert not missing, f"commands missing from the README's command table: {missing}"


def test_every_group_says_what_it_is_in_vietnamese_first_then_english(app):
    def groups(group, path=()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield " ".join((*path, name)), command
                yield from groups(command, (*path, name))

    for path, group in groups(app.cli):
        first = (group.help or "").strip().splitlines()[0]
        vietnamese, _, english = first.partition(" / ")
        assert english, f"`fieldkit {path}`: help is not “Tiếng Việt. / English.”: {first!r}"
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", vietnamese.lower()), (
            f"`fieldkit {path}`: the help's first half is not Vietnamese: {first!r}"
        )
