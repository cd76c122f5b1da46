"""Repeated scans of one poster from one client count once in a while, so nobody can inflate a count.

Kept in memory per server process, never stored: a scan keeps only its time and code in the database.
"""

import hashlib
import time

EXTENSION = "fieldkit.scan_throttle"
WINDOW_SECONDS = 30 * 60
MAX_ENTRIES = 50_000


def scan_counts(app, client, code, now=None):
    """True when this client's scan of `code` should be counted (none counted in the last window)."""
    now = time.monotonic() if now is None else now
    seen = app.extensions.setdefault(EXTENSION, {})
    key = hashlib.sha256(f"{client}|{code}".encode()).digest()[:16]
    last = seen.get(key)
    if last is not None and now - last < WINDOW_SECONDS:
        return False
    if len(seen) >= MAX_ENTRIES:
        cutoff = now - WINDOW_SECONDS
        for stale in [k for k, at in seen.items() if at < cutoff]:
            del seen[stale]
        if len(seen) >= MAX_ENTRIES:
            seen.clear()  # a flood of distinct clients: forget them all rather than grow without end
    seen[key] = now
    return True
