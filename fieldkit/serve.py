"""The production server: cheroot (pure Python, runs on Windows, serves TLS itself)."""

import logging
from pathlib import Path

from cheroot.wsgi import Server

from .db import close_connections

TLS_DIR = "tls"


def build_server(app, host, port, use_https=False, threads=8):
    """Return a cheroot server for the app, with TLS from instance/tls when asked."""
    server = Server((host, port), app, numthreads=threads, server_name="fieldkit")
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


def run_server(app, host, port, use_https=False, threads=8):
    """Serve until interrupted, printing the address to open."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = build_server(app, host, port, use_https, threads)
    scheme = "https" if use_https else "http"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"fieldkit đang chạy tại / is serving at {scheme}://{shown}:{port}/  (Ctrl+C để dừng / to stop)", flush=True)
    try:
        server.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        close_connections(app)
