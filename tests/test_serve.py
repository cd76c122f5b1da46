"""`fieldkit serve` says where phones should open fieldkit, and a room of phones at once keeps its connections."""

import http.client

import pytest

from fieldkit import serve
from fieldkit.serve import addresses_to_open
from fieldkit.testing import LiveServer


def test_listening_on_the_lan_prints_the_phones_addresses():
    lines = addresses_to_open("0.0.0.0", 8080, False, ["192.168.1.20", "10.0.0.4"])
    text = "\n".join(lines)
    assert "http://127.0.0.1:8080/" in text
    assert "  http://192.168.1.20:8080/" in lines and "  http://10.0.0.4:8080/" in lines
    assert "/ca" not in text


def test_under_https_the_ca_page_is_named_too():
    lines = addresses_to_open("0.0.0.0", 8443, True, ["192.168.1.20"])
    assert "  https://192.168.1.20:8443/" in lines and "  https://192.168.1.20:8443/ca" in lines


@pytest.mark.parametrize("host, expected", [("127.0.0.1", []), ("192.168.1.20", ["  http://192.168.1.20:8080/"])])
def test_one_address_is_the_only_one_shown(host, expected):
    lines = addresses_to_open(host, 8080, False, ["192.168.1.20", "10.0.0.4"])
    assert [line for line in lines if line.startswith("  ")] == expected


def test_no_lan_says_so():
    assert any("chưa nối mạng LAN" in line for line in addresses_to_open("0.0.0.0", 8080, False, []))


def test_run_server_prints_them(app, monkeypatch, capsys):
    class Stub:
        def start(self):
            raise KeyboardInterrupt

        def stop(self):
            pass

    monkeypatch.setattr(serve, "build_server", lambda *args: Stub())
    monkeypatch.setattr("fieldkit.offline.tls.lan_ipv4_addresses", lambda: ["192.168.5.7"])
    serve.run_server(app, "0.0.0.0", 8080)
    assert "http://192.168.5.7:8080/" in capsys.readouterr().out


def test_thirty_two_phones_keep_their_connections(app):
    server = LiveServer(app)
    phones = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) for _ in range(32)]
    try:
        for _ in range(2):
            for phone in phones:
                phone.request("GET", "/login")
                response = phone.getresponse()
                response.read()
                assert response.status == 200
                # cheroot's default keeps ten idle connections and closes the rest after each answer.
                assert response.getheader("Connection", "").lower() != "close"
    finally:
        for phone in phones:
            phone.close()
        server.stop()
