"""An initialised fieldkit app in a temporary instance, and a server for it, for benchmarks."""

import http.client
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fieldkit import create_app, upgrade_database
from fieldkit.auth.users import create_user
from fieldkit.db import get_db

PASSWORD = "benchmark-password"


def bench_app(**overrides):
    """A migrated app with one officer of Xã Bảo Hà, in a fresh temporary folder."""
    instance = Path(tempfile.mkdtemp(prefix="fieldkit-bench-"))
    config = {
        "SECRET_KEY": "bench",
        "SITE_ID": "bench-site",
        "DATABASE": str(instance / "fieldkit.sqlite3"),
        "LOGIN_LIMITS_ENABLED": False,
        **overrides,
    }
    app = create_app(config, instance_path=instance)
    with app.app_context():
        db = get_db()
        upgrade_database(db)
        create_user(db, app.extensions["fieldkit.hasher"], "officer", PASSWORD, "officer", ["02989"])
    return app


class Served:
    """The app under cheroot on 127.0.0.1, as `fieldkit serve` runs it."""

    def __init__(self, app, threads=8):
        from fieldkit.serve import build_server

        self.server = build_server(app, "127.0.0.1", 0, threads=threads)
        self.server.prepare()
        self.port = self.server.bind_addr[1]
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    def get_many(self, path, count, clients=4, headers=None):
        """GET `path` `count` times from `clients` keep-alive connections; check every status."""

        def worker(n):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            for _ in range(n):
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: {response.status}")
            conn.close()

        share = [count // clients + (1 if i < count % clients else 0) for i in range(clients)]
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(worker, share))

    def stop(self):
        self.server.stop()
