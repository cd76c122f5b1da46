"""An initialised fieldkit app in a temporary instance, for benchmarks: `fieldkit.testing.make_app`, as
the tests build it, but run as in real use (not in testing mode, CSRF on, real password hashes) unless
a benchmark says otherwise. A benchmark that needs a server uses `fieldkit.testing.LiveServer`."""

import contextlib
import tempfile

from fieldkit.db import close_connections
from fieldkit.testing import make_app


@contextlib.contextmanager
def bench_app(**overrides):
    """A migrated app with the test users (an officer of Xã Bảo Hà among them), in a fresh temporary
    folder removed afterwards (the dashboard's database alone takes 700 MB)."""
    settings = {"TESTING": False, "WTF_CSRF_ENABLED": True, "FAST_PASSWORD_HASH": False, "SITE_ID": "bench-site"}
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-", ignore_cleanup_errors=True) as folder:
        app = make_app(folder, **{**settings, **overrides})
        try:
            yield app
        finally:
            close_connections(app)
