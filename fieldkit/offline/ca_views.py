"""Public pages that let a phone trust the laptop's local CA: /ca (instructions, QR) and /ca.crt."""

import ipaddress
from io import BytesIO
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for

from ..qr import qr_svg
from . import tls

bp = Blueprint("ca", __name__)


def split_host(host):
    """('192.168.1.5', '8443') from a Host header; an IPv6 address keeps its brackets."""
    if host.startswith("["):
        name, _, rest = host.partition("]")
        return f"{name}]", rest.lstrip(":")
    name, _, port = host.partition(":")
    return name, port


def phone_host(host, lan_ips):
    """The host a phone should use: the request's, unless it is this laptop's loopback."""
    name, port = split_host(host)
    try:
        loopback = ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        loopback = name == "localhost"
    if not loopback or not lan_ips:
        return host
    return f"{lan_ips[0]}:{port}" if port else lan_ips[0]


def _tls_files():
    return tls.TlsFiles(Path(current_app.instance_path) / tls.TLS_DIR)


@bp.route("/ca")
def install_page():
    files = _tls_files()
    ca = tls.load_certificate(files.ca_cert)
    if ca is None:
        return render_template("offline/ca.html", ca=None)
    lan_ips = tls.lan_addresses_of(tls.load_certificate(files.server_cert))
    download_url = f"{request.scheme}://{phone_host(request.host, lan_ips)}{url_for('ca.certificate')}"
    port = split_host(request.host)[1]
    # Over plain HTTP the port here is not the HTTPS one, so these addresses would mislead.
    addresses = [f"https://{ip}{':' if port else ''}{port}/" for ip in lan_ips] if request.is_secure else []
    return render_template(
        "offline/ca.html",
        ca=ca,
        fingerprint=tls.fingerprint(ca),
        ca_name=tls.common_name(ca),
        download_url=download_url,
        qr=qr_svg(download_url, "ca-qr", "ca-qr-label"),
        addresses=addresses,
    )


@bp.route("/ca.crt")
def certificate():
    der = tls.ca_certificate_der(_tls_files().folder)
    if der is None:
        abort(404)
    # DER: the one encoding Android, iOS and Windows all accept from a download.
    return send_file(
        BytesIO(der),
        mimetype="application/x-x509-ca-cert",
        as_attachment=True,
        download_name="fieldkit-ca.crt",
        max_age=0,
    )
