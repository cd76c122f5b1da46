"""Offline field use on phones; here so far: HTTPS on the LAN with a local certificate authority."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from ..nav import add_nav
    from .ca_views import bp as ca_bp
    from .tls_cli import tls_cli

    app.register_blueprint(ca_bp)
    app.cli.add_command(tls_cli)
    add_nav(app, "ca.install_page", _l("Cài chứng chỉ cho điện thoại"), roles=("officer", "commune_admin"), order=90)
