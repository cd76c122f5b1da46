"""The production server: cheroot (pure Python, runs on Windows, serves TLS itself)."""

import logging
from pathlib import Path

from cheroot.wsgi import Server

from .db import close_connections

TLS_DIR = "tls"
BACKLOG = 128
KEEP_ALIVE = 100


def build_server(app, host, port, use_https=False, threads=8):
    """Return a cheroot server for the app, with TLS from instance/tls when asked."""
    # cheroot's defaults suit a server behind a proxy: a listen backlog of 5 and ten idle keep-alive
    # connections. When a meeting's phones all send at once, connections past the backlog are reset,
    # and those past ten are closed after each answer; 128 and 100 let them wait for a thread instead.
    server = Server((host, port), app, numthreads=threads, server_name="fieldkit", request_queue_size=BACKLOG)
    server.keep_alive_conn_limit = KEEP_ALIVE
    if use_https:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        tls_dir = Path(app.instance_path) / TLS_DIR
        cert, key = tls_dir / "server.crt", tls_dir / "server.key"
        if not cert.exists() or not key.exists():
            raise FileNotFoundError(
                "Chưa có chứng chỉ HTTPS. Chạy `fieldkit tls init` trước. / Run `fieldkit tls init` first."
            )
        server.ssl_adapter = BuiltinSSLAdapter(str(cert), str(key))
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    return server


def addresses_to_open(host, port, use_https, lan_ips):
    """Lines saying where to open fieldkit: on this computer, and from phones on the LAN when it listens there."""
    scheme = "https" if use_https else "http"
    everywhere = host in ("0.0.0.0", "::", "")
    shown = "127.0.0.1" if everywhere else host
    lines = [f"fieldkit đang chạy tại / is serving at {scheme}://{shown}:{port}/  (Ctrl+C để dừng / to stop)"]
    phones = lan_ips if everywhere else [host] if host not in ("127.0.0.1", "localhost", "::1") else []
    if phones:
        lines.append("Điện thoại cùng mạng Wi-Fi mở / Phones on the same Wi-Fi open:")
        lines += [f"  {scheme}://{ip}:{port}/" for ip in phones]
        if use_https:
            lines.append("Cài chứng chỉ cho điện thoại (một lần) / Install the certificate on each phone (once):")
            lines += [f"  {scheme}://{ip}:{port}/ca" for ip in phones]
    elif everywhere:
        lines.append("Máy này chưa nối mạng LAN nào. / This computer is on no LAN yet.")
    return lines


def run_server(app, host, port, use_https=False, threads=8):
    """Serve until interrupted, printing the addresses to open (this computer's, and the phones')."""
    from .offline.tls import lan_ipv4_addresses

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = build_server(app, host, port, use_https, threads)
    for line in addresses_to_open(host, port, use_https, lan_ipv4_addresses()):
        print(line, flush=True)
    try:
        server.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        close_connections(app)
