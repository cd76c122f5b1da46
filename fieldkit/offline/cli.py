"""`fieldkit tls`: the local certificate authority and the server certificate for HTTPS on the LAN."""

import ipaddress
import socket
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import tls

REASONS = {
    "new": "cấp mới / new",
    "names": "tên hoặc địa chỉ mạng đã đổi / names or addresses changed",
    "expiry": "sắp hết hạn / near expiry",
    "ca": "CA đã đổi / the CA changed",
    "key": "khóa không khớp / the key did not match",
}


def _check_ips(ctx, param, values):
    for value in values:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise click.BadParameter(f"'{value}' không phải địa chỉ IP. / not an IP address.") from None
    return values


def _check_hosts(ctx, param, values):
    for value in values:
        if not tls.is_host_name(value.strip().lower().rstrip(".")):
            raise click.BadParameter(
                f"'{value}' không phải tên máy hợp lệ (chữ không dấu, số, '-', '.'). / not a valid host name."
            )
    return values


@click.group("tls", help="Chứng chỉ HTTPS trong mạng nội bộ. / HTTPS on the LAN: local CA and server certificate.")
def tls_cli():
    pass


@tls_cli.command("init")
@click.option(
    "--host",
    "hosts",
    multiple=True,
    metavar="NAME",
    callback=_check_hosts,
    help="Extra host name for the certificate (repeatable).",
)
@click.option("--ip", "ips", multiple=True, metavar="ADDR", callback=_check_ips, help="Extra IP address (repeatable).")
@click.option("--clear-extra", is_flag=True, help="Forget --host/--ip names given earlier.")
@with_appcontext
def init_command(hosts, ips, clear_extra):
    """Create the local CA (once) and a server certificate for this laptop's names and LAN addresses.

    Re-running keeps the CA and issues a new server certificate only when the names or addresses
    changed or it is near expiry. Phones install the CA once, from the page /ca.

    Example: fieldkit tls init --host fieldkit.local --ip 192.168.1.10
    """
    given = bool(hosts or ips or clear_extra)
    outcome = ensure(current_app, hosts if given else None, ips if given else None)
    report(outcome, Path(current_app.instance_path) / tls.TLS_DIR)


def ensure(app, hosts=None, ips=None):
    """Run the operation for the app's instance; the serve command calls this before HTTPS."""
    site = app.config["SITE_NAME"]
    # The name phones list among their trusted CAs: say which laptop it belongs to.
    ca_name = " ".join(
        part for part in ("fieldkit CA", "" if site == "fieldkit" else site, socket.gethostname()) if part
    )
    return tls.ensure_for_instance(app.instance_path, hosts, ips, ca_name=ca_name)


def report(outcome, folder):
    """Say what happened, in Vietnamese and English."""
    files = tls.TlsFiles(folder)
    if outcome.ca_created:
        click.echo(f"Đã tạo CA mới / Created a new CA: {files.ca_cert}")
        click.echo(
            f"  Khóa CA chỉ để trên máy này, không chép đi đâu / The CA key never leaves this laptop: {files.ca_key}"
        )
    else:
        click.echo(f"Giữ nguyên CA / Kept the CA: {files.ca_cert}")
    if outcome.server_issued:
        click.echo(
            f"Đã cấp chứng chỉ máy chủ ({REASONS[outcome.reason]}) / Issued the server certificate: {files.server_cert}"
        )
    else:
        click.echo(f"Chứng chỉ máy chủ vẫn dùng được / Server certificate still valid: {files.server_cert}")
    click.echo(f"  Tên / Names: {', '.join(outcome.dns_names)}")
    click.echo(f"  Địa chỉ / Addresses: {', '.join(outcome.ip_addresses)}")
    click.echo(f"  Hết hạn / Expires: {outcome.not_after:%d/%m/%Y}")
    click.echo(f"Dấu vân tay SHA-256 của CA / CA SHA-256 fingerprint:\n  {outcome.ca_fingerprint}")
    click.echo("Điện thoại cài CA một lần tại trang /ca. / Phones install the CA once from the page /ca.")


@tls_cli.command("show")
@with_appcontext
def show_command():
    """Print the certificate paths, names, expiry and the CA fingerprint; changes nothing.

    Example: fieldkit tls show
    """
    files = tls.TlsFiles(Path(current_app.instance_path) / tls.TLS_DIR)
    ca = tls.load_certificate(files.ca_cert)
    if ca is None:
        raise click.ClickException("Chưa có CA. Chạy `fieldkit tls init`. / No CA yet: run `fieldkit tls init`.")
    click.echo(f"CA: {files.ca_cert}")
    click.echo(f"  Hết hạn / Expires: {ca.not_valid_after_utc:%d/%m/%Y}")
    click.echo(f"  SHA-256: {tls.fingerprint(ca)}")
    server = tls.load_certificate(files.server_cert)
    if server is None:
        click.echo("Chưa có chứng chỉ máy chủ. / No server certificate yet.")
        return
    dns, ips = tls.certificate_names(server)
    click.echo(f"Máy chủ / Server: {files.server_cert}")
    click.echo(f"  Tên / Names: {', '.join(dns)}")
    click.echo(f"  Địa chỉ / Addresses: {', '.join(ips)}")
    click.echo(f"  Hết hạn / Expires: {server.not_valid_after_utc:%d/%m/%Y}")
    if not tls.signed_by(server, ca):
        click.echo("  CẢNH BÁO: không do CA này ký; chạy `fieldkit tls init`. / WARNING: not signed by this CA.")


def refresh_before_serving(app):
    """`fieldkit serve --https`: re-issue the server certificate if this laptop's addresses changed."""
    folder = Path(app.instance_path) / tls.TLS_DIR
    if not tls.TlsFiles(folder).ca_cert.exists():
        return  # the server explains that `fieldkit tls init` comes first
    outcome = ensure(app)
    if outcome.server_issued:
        report(outcome, folder)
