"""`fieldkit user add`, `user password`, `user disable`."""

import click
from flask.cli import with_appcontext

from ..cli import commune_option
from ..db import get_db
from .access import password_hasher
from .scope import ROLES
from .users import create_user, disable_user, set_password


@click.group("user", help="Tài khoản người dùng. / User accounts.")
def user_cli():
    pass


def _read_password(password_file):
    """The first line of --password-file, or a password typed twice at a hidden prompt."""
    if password_file is not None:
        return password_file.readline().rstrip("\r\n")
    return click.prompt("Mật khẩu / Password", hide_input=True, confirmation_prompt=True)


_PASSWORD_FILE = click.option(
    "--password-file",
    type=click.File("r", encoding="utf-8"),
    help="Read the password from the first line of this file instead of prompting.",
)


@user_cli.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="officer, commune_admin or central_admin.")
@commune_option(required=False, multiple=True, help="Commune code the user works for (repeatable).")
@click.option("--display-name", help="Full name shown in the interface.")
@_PASSWORD_FILE
@with_appcontext
def add_user(name, role, communes, display_name, password_file):
    """Create a user.

    Example: fieldkit user add lan --role officer --commune 02989
    """
    db = get_db()
    password = _read_password(password_file)
    create_user(db, password_hasher(), name, password, role, communes, display_name)
    click.echo(f"Đã tạo tài khoản {name} ({role}). / User {name} created.")


@user_cli.command("password")
@click.argument("name")
@_PASSWORD_FILE
@with_appcontext
def change_password(name, password_file):
    """Set a new password for a user; every session of the user ends at once.

    Example: fieldkit user password lan --password-file matkhau.txt
    """
    set_password(get_db(), password_hasher(), name, _read_password(password_file))
    click.echo(f"Đã đặt mật khẩu mới cho {name}; các phiên đăng nhập cũ đã kết thúc. / Password of {name} changed.")


@user_cli.command("disable")
@click.argument("name")
@with_appcontext
def disable(name):
    """End an account's access: it can no longer log in, and its open sessions end now.

    Example: fieldkit user disable lan
    """
    disable_user(get_db(), name)
    click.echo(f"Đã khóa tài khoản {name}. / User {name} disabled.")
