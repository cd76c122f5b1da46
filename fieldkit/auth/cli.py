"""`fieldkit user add`."""

import click
from flask.cli import with_appcontext

from ..db import get_db
from ..units.units import commune_by_code
from .access import password_hasher
from .scope import ROLES
from .users import UserError, create_user


@click.group("user", help="Tài khoản người dùng. / User accounts.")
def user_cli():
    pass


@user_cli.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="officer, commune_admin or central_admin.")
@click.option("--commune", "communes", multiple=True, help="Commune code the user works for (repeatable).")
@click.option("--display-name", help="Full name shown in the interface.")
@click.option(
    "--password-file",
    type=click.File("r", encoding="utf-8"),
    help="Read the password from the first line of this file instead of prompting.",
)
@with_appcontext
def add_user(name, role, communes, display_name, password_file):
    """Create a user.

    Example: fieldkit user add lan --role officer --commune 02989
    """
    db = get_db()
    for code in communes:
        if commune_by_code(db, code) is None:
            raise click.ClickException(f"Không có xã/phường mã {code}. / No commune with code {code}.")
    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu / Password", hide_input=True, confirmation_prompt=True)
    try:
        create_user(db, password_hasher(), name, password, role, communes, display_name)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã tạo tài khoản {name} ({role}). / User {name} created.")
