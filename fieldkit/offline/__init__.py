"""Offline field use on phones: the service worker, the outbox and offline pages, compression,
and HTTPS on the LAN with a local certificate authority.
"""

from flask_babel import lazy_gettext as _l

from ..nav import add_nav
from . import compress, scripts, sw, views


def init_app(app):
    from .ca_views import bp as ca_bp
    from .cli import tls_cli

    app.register_blueprint(sw.bp)
    app.register_blueprint(views.bp)
    compress.init_app(app)
    # Every page's scripts read these (templates/offline/_shell.html): URLs and settings from the server.
    app.add_template_global(scripts.page_urls)
    app.add_template_global(scripts.script_settings)
    add_nav(app, "offline.outbox", _l("Hộp thư đi"), order=80)
    app.register_blueprint(ca_bp)
    app.cli.add_command(tls_cli)
    add_nav(app, "ca.install_page", _l("Cài chứng chỉ cho điện thoại"), roles=("officer", "commune_admin"), order=90)
