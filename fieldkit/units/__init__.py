"""Administrative units of Lào Cai before and after the 2025 reform."""


def init_app(app):
    from .cli import units_cli

    app.cli.add_command(units_cli)
