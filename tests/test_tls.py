"""HTTPS on the LAN: the local CA, the server certificate, `fieldkit tls`, and the public /ca page."""

import ipaddress
import os
import shutil
import ssl
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from fieldkit.offline import tls
from fieldkit.offline.ca_views import phone_host
from fieldkit.testing import LiveServer, launch_chromium, make_app, new_phone, nss_home

NAMES = ("fieldkit.test", "localhost")
ADDRESSES = ("127.0.0.1", "192.168.1.20")


def _files(app):
    return tls.TlsFiles(Path(app.instance_path) / tls.TLS_DIR)


def _san(cert):
    return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value


@pytest.fixture
def lan(monkeypatch):
    """Pretend this machine has the given LAN addresses (and a fixed host name)."""
    state = {"ips": ["192.168.1.20"]}
    monkeypatch.setattr(tls, "lan_ipv4_addresses", lambda: list(state["ips"]))
    monkeypatch.setattr(tls.socket, "gethostname", lambda: "maytinh-xa")
    return state


def test_ca_and_server_certificate(tmp_path):
    outcome = tls.ensure_certificates(tmp_path, NAMES, ADDRESSES)
    files = tls.TlsFiles(tmp_path)
    ca = tls.load_certificate(files.ca_cert)
    server = tls.load_certificate(files.server_cert)

    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert timedelta(days=3600) < ca.not_valid_after_utc - ca.not_valid_before_utc < timedelta(days=3700)

    assert sorted(_san(server).get_values_for_type(x509.DNSName)) == sorted(NAMES)
    assert sorted(str(a) for a in _san(server).get_values_for_type(x509.IPAddress)) == sorted(ADDRESSES)
    assert list(server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert server.not_valid_after_utc - server.not_valid_before_utc <= timedelta(days=398)
    server.verify_directly_issued_by(ca)
    assert outcome.ca_created and outcome.reason == "new"
    assert outcome.ca_fingerprint == tls.fingerprint(ca) and len(outcome.ca_fingerprint) == 95

    # Python's own TLS stack accepts the pair, as cheroot will.
    context = ssl.create_default_context(cafile=str(files.ca_cert))
    context.load_cert_chain(files.server_cert, files.server_key)
    if os.name == "posix":
        assert files.ca_key.stat().st_mode & 0o777 == 0o600
        assert files.server_key.stat().st_mode & 0o777 == 0o600


def test_a_certificate_from_another_ca_does_not_verify(tmp_path):
    tls.ensure_certificates(tmp_path / "a", NAMES, ADDRESSES)
    tls.ensure_certificates(tmp_path / "b", NAMES, ADDRESSES)
    server_a = tls.load_certificate(tls.TlsFiles(tmp_path / "a").server_cert)
    ca_b = tls.load_certificate(tls.TlsFiles(tmp_path / "b").ca_cert)
    assert not tls.signed_by(server_a, ca_b)


@pytest.mark.parametrize(
    "names, addresses, later, reason",
    [
        (NAMES, ADDRESSES, timedelta(0), ""),
        (NAMES, ("127.0.0.1", "10.0.0.7"), timedelta(0), "names"),
        (("fieldkit.test", "localhost", "maytinh-xa"), ADDRESSES, timedelta(0), "names"),
        (NAMES, ADDRESSES, timedelta(days=380), "expiry"),
    ],
)
def test_rerun_keeps_the_ca_and_reissues_only_when_needed(tmp_path, names, addresses, later, reason):
    files = tls.TlsFiles(tmp_path)
    tls.ensure_certificates(tmp_path, NAMES, ADDRESSES)
    ca_before, server_before = files.ca_cert.read_bytes(), files.server_cert.read_bytes()
    key_before = files.ca_key.read_bytes()

    outcome = tls.ensure_certificates(tmp_path, names, addresses, now=datetime.now(UTC) + later)

    assert not outcome.ca_created
    assert files.ca_cert.read_bytes() == ca_before and files.ca_key.read_bytes() == key_before
    assert outcome.reason == reason
    assert (files.server_cert.read_bytes() != server_before) == bool(reason)
    assert tls.signed_by(tls.load_certificate(files.server_cert), tls.load_certificate(files.ca_cert))


def test_a_new_ca_reissues_the_server_certificate(tmp_path):
    files = tls.TlsFiles(tmp_path)
    tls.ensure_certificates(tmp_path, NAMES, ADDRESSES)
    files.ca_cert.unlink()
    outcome = tls.ensure_certificates(tmp_path, NAMES, ADDRESSES)
    assert outcome.ca_created and outcome.reason == "ca"


def test_a_server_key_that_does_not_match_is_replaced(tmp_path):
    files = tls.TlsFiles(tmp_path)
    tls.ensure_certificates(tmp_path, NAMES, ADDRESSES)
    files.server_key.write_bytes(files.ca_key.read_bytes())  # as if a crash left another key behind
    assert tls.ensure_certificates(tmp_path, NAMES, ADDRESSES).reason == "key"
    context = ssl.create_default_context(cafile=str(files.ca_cert))
    context.load_cert_chain(files.server_cert, files.server_key)


def test_tls_init_command(app, runner, lan):
    files = _files(app)
    first = runner.invoke(args=["tls", "init", "--host", "fieldkit.test", "--ip", "10.10.0.5"])
    assert first.exit_code == 0, first.output
    ca = tls.load_certificate(files.ca_cert)
    assert "Đã tạo CA mới" in first.output and tls.fingerprint(ca) in first.output
    server = tls.load_certificate(files.server_cert)
    assert sorted(_san(server).get_values_for_type(x509.DNSName)) == [
        "fieldkit.test",
        "localhost",
        "maytinh-xa",
        "maytinh-xa.local",
    ]
    assert {str(a) for a in _san(server).get_values_for_type(x509.IPAddress)} == {
        "127.0.0.1",
        "192.168.1.20",
        "10.10.0.5",
    }
    assert "maytinh-xa" in ca.subject.rfc4514_string()

    # Same network: nothing changes, and the --host/--ip given before are kept.
    before = files.server_cert.read_bytes()
    again = runner.invoke(args=["tls", "init"])
    assert "Giữ nguyên CA" in again.output and "vẫn dùng được" in again.output
    assert files.server_cert.read_bytes() == before

    # The laptop got another address from the router: new server certificate, same CA.
    lan["ips"] = ["192.168.43.7"]
    moved = runner.invoke(args=["tls", "init"])
    assert "Đã cấp chứng chỉ máy chủ" in moved.output
    server = tls.load_certificate(files.server_cert)
    assert {str(a) for a in _san(server).get_values_for_type(x509.IPAddress)} == {
        "127.0.0.1",
        "192.168.43.7",
        "10.10.0.5",
    }
    assert "fieldkit.test" in _san(server).get_values_for_type(x509.DNSName)
    assert tls.load_certificate(files.ca_cert) == ca

    shown = runner.invoke(args=["tls", "show"])
    assert shown.exit_code == 0 and "192.168.43.7" in shown.output and tls.fingerprint(ca) in shown.output


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--ip", "192.168.1", "không phải địa chỉ IP"),
        ("--host", "máy-xã", "không phải tên máy"),
        ("--host", "a b", "không phải tên máy"),
    ],
)
def test_tls_init_refuses_bad_names(app, runner, lan, option, value, message):
    result = runner.invoke(args=["tls", "init", option, value])
    assert result.exit_code == 2 and message in result.output
    assert not _files(app).ca_cert.exists()


def test_tls_show_without_ca(runner):
    result = runner.invoke(args=["tls", "show"])
    assert result.exit_code == 1 and "Chưa có CA" in result.output


def test_serve_https_reissues_when_addresses_changed(app, lan):
    from fieldkit.offline.cli import refresh_before_serving
    from fieldkit.serve import build_server

    refresh_before_serving(app)
    assert not _files(app).ca_cert.exists()  # no CA: serve explains that `tls init` comes first
    with pytest.raises(FileNotFoundError, match="fieldkit tls init"):
        build_server(app, "127.0.0.1", 0, use_https=True)

    app.test_cli_runner().invoke(args=["tls", "init"])
    lan["ips"] = ["172.16.5.9"]
    refresh_before_serving(app)
    server = tls.load_certificate(_files(app).server_cert)
    assert "172.16.5.9" in {str(a) for a in _san(server).get_values_for_type(x509.IPAddress)}
    assert not app.config["SESSION_COOKIE_SECURE"]
    build_server(app, "127.0.0.1", 0, use_https=True)
    assert app.config["SESSION_COOKIE_SECURE"]


def test_real_lan_discovery_finds_ipv4_only():
    found = tls.lan_ipv4_addresses()
    assert all(isinstance(ipaddress.ip_address(a), ipaddress.IPv4Address) for a in found)
    assert not any(ipaddress.ip_address(a).is_loopback for a in found)
    dns, ips = tls.wanted_names(["Fieldkit.Test."], [])
    assert "fieldkit.test" in dns and "localhost" in dns and ips[0] == "127.0.0.1"


# --- the public page ------------------------------------------------------------------------


def test_ca_page_without_a_ca_says_how_to_make_one(client, auth):
    page = client.get("/ca")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Máy này chưa có chứng chỉ" in html and "báo quản trị xã" in html and "fieldkit tls init" not in html
    assert client.get("/ca.crt").status_code == 404
    auth.login("officer")
    assert "fieldkit tls init" not in client.get("/ca").get_data(as_text=True)  # officers get no admin commands
    auth.logout()
    auth.login("admin")
    assert "fieldkit tls init" in client.get("/ca").get_data(as_text=True)


@pytest.fixture
def with_ca(app):
    return tls.ensure_certificates(_files(app).folder, NAMES, ADDRESSES)


def test_ca_page_is_public_and_vietnamese(client, with_ca):
    page = client.get("/ca")  # nobody signed in
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="vi"' in html
    assert "Cài chứng chỉ cho điện thoại" in html
    assert with_ca.ca_fingerprint in html
    assert "Mã hóa và thông tin xác thực" in html and "Cài đặt tin cậy chứng nhận" in html
    assert "<svg" in html and "style=" not in html and "<script" not in html
    assert (
        "http://localhost/ca.crt" not in html and "http://192.168.1.20/ca.crt" in html
    )  # phones cannot reach loopback


def test_ca_page_over_https_lists_the_lan_addresses(client, with_ca):
    html = client.get("/ca", base_url="https://localhost:8443").get_data(as_text=True)
    assert '<a href="https://192.168.1.20:8443/">' in html and "https://192.168.1.20:8443/ca.crt" in html
    assert "https://127.0.0.1:8443/" not in html
    assert "https://192.168.1.20" not in client.get("/ca").get_data(as_text=True)  # plain HTTP: port unknown


def test_ca_page_in_english(client, with_ca):
    client.post("/language", data={"lang": "en"})
    html = client.get("/ca").get_data(as_text=True)
    assert "Install the certificate on your phone" in html and "Certificate Trust Settings" in html


def test_ca_certificate_download_parses(client, with_ca):
    response = client.get("/ca.crt")
    assert response.status_code == 200
    assert response.mimetype == "application/x-x509-ca-cert"
    assert "fieldkit-ca.crt" in response.headers["Content-Disposition"]
    cert = x509.load_der_x509_certificate(response.data)
    assert tls.fingerprint(cert) == with_ca.ca_fingerprint
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


@pytest.mark.parametrize(
    "host, lan_ips, expected",
    [
        ("127.0.0.1:8443", ("192.168.1.20", "10.0.0.3"), "192.168.1.20:8443"),
        ("localhost:8443", ("192.168.1.20",), "192.168.1.20:8443"),
        ("localhost", ("192.168.1.20",), "192.168.1.20"),
        ("192.168.1.20:8443", ("192.168.1.20",), "192.168.1.20:8443"),
        ("fieldkit.test:8443", ("192.168.1.20",), "fieldkit.test:8443"),
        ("127.0.0.1:8443", (), "127.0.0.1:8443"),
        ("[::1]:8443", ("192.168.1.20",), "192.168.1.20:8443"),
    ],
)
def test_qr_points_phones_at_a_lan_address(host, lan_ips, expected):
    assert phone_host(host, lan_ips) == expected


# --- real Chromium with the CA trusted (or not) in its NSS database -----------------------------


@pytest.fixture
def https_server(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False)
    tls.ensure_certificates(_files(app).folder, ("fieldkit.test",), ("127.0.0.1",))
    server = LiveServer(app, use_https=True)
    yield server
    server.stop()


@pytest.mark.browser
def test_chromium_trusts_the_local_ca(tmp_path, https_server, playwright_instance):
    home = nss_home(tmp_path / "trusted", _files(https_server.app).ca_cert)
    browser = launch_chromium(playwright_instance, home)
    try:
        context = new_phone(playwright_instance, browser)
        page = context.new_page()
        response = page.goto(https_server.url("/login", host="fieldkit.test"))
        assert response.ok and page.url.startswith("https://fieldkit.test:")
        assert page.evaluate("window.isSecureContext") is True
        assert page.evaluate("'serviceWorker' in navigator && !!navigator.serviceWorker")
        assert page.evaluate("typeof crypto.randomUUID") == "function"
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies and all(c["secure"] for c in cookies.values())

        # The QR code on /ca, as a phone's camera would read it.
        page.goto(https_server.url("/ca", host="fieldkit.test"))
        shot = tmp_path / "ca.png"
        page.locator("svg.ca-qr").screenshot(path=str(shot))
        zbarimg = shutil.which("zbarimg") or pytest.fail("zbarimg not found: install Debian's zbar-tools (see .ci/run)")
        decoded = subprocess.run([zbarimg, "--raw", "-q", str(shot)], capture_output=True, text=True, check=True)
        assert decoded.stdout.strip() == https_server.url("/ca.crt", host="fieldkit.test")
        page.screenshot(path=str(tmp_path / "ca-page.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        browser.close()


@pytest.mark.browser
def test_chromium_without_the_ca_refuses_the_certificate(tmp_path, https_server, playwright_instance):
    home = nss_home(tmp_path / "untrusted")
    browser = launch_chromium(playwright_instance, home)
    try:
        page = browser.new_page()
        with pytest.raises(Exception, match="ERR_CERT_AUTHORITY_INVALID"):
            page.goto(https_server.url("/login", host="fieldkit.test"))
    finally:
        browser.close()
