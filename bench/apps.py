"""An initialised fieldkit app in a temporary instance, for benchmarks: `fieldkit.testing.make_app`, as
the tests build it, but run as in real use (not in testing mode, CSRF on, real password hashes) unless
a benchmark says otherwise. A benchmark that needs a server uses `fieldkit.testing.LiveServer`."""

import tempfile

from fieldkit.testing import make_app


def bench_app(**overrides):
    """A migrated app with the test users (an officer of Xã Bảo Hà among them), in a fresh temporary folder."""
    settings = {"TESTING": False, "WTF_CSRF_ENABLED": True, "FAST_PASSWORD_HASH": False, "SITE_ID": "bench-site"}
    return make_app(tempfile.mkdtemp(prefix="fieldkit-bench-"), **{**settings, **overrides})
