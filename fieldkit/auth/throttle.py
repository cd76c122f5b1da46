"""Login limits per user name and client address, so that one office's address never locks out its colleagues.

A commune office often reaches the laptop through one address (a shared Wi-Fi router). Counting
wrong passwords per address alone let one forgetful officer lock out everyone behind it. Here a
user name is locked after a few wrong passwords *from one address*, only for a while, with a
warning first; a much larger count per address stops one machine trying many names.
Failures are kept in the database (not in memory) so a restart does not reset them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .users import normalise_username


@dataclass(frozen=True)
class Limits:
    per_user: int = 5
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)
    # Say how many tries are left once this few remain.
    warn_below: int = 3


@dataclass(frozen=True)
class Verdict:
    """Whether a login may be tried now, and if not, until when; how many tries are left."""

    locked_until: datetime | None
    left: int


def _iso(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _since(db, where, params, start):
    rows = db.execute(
        f"SELECT count(*), min(at) FROM login_failures WHERE {where} AND at >= ?", [*params, _iso(start)]
    ).fetchone()
    return rows[0], (datetime.fromisoformat(rows[1].replace("Z", "+00:00")) if rows[1] else None)


def check(db, limits, username, address, now=None):
    """May `username` try a password from `address` now?"""
    now = now or datetime.now(UTC)
    start = now - limits.window
    user_count, user_first = _since(db, "username = ? AND address = ?", [normalise_username(username), address], start)
    address_count, address_first = _since(db, "address = ?", [address], start)
    locked = []
    if user_count >= limits.per_user:
        locked.append(user_first + limits.window)
    if address_count >= limits.per_address:
        locked.append(address_first + limits.window)
    return Verdict(max(locked) if locked else None, max(0, limits.per_user - user_count))


def record_failure(db, limits, username, address, now=None):
    """Count one wrong password; forget failures older than the window."""
    now = now or datetime.now(UTC)
    with db.atomic():
        db.execute("DELETE FROM login_failures WHERE at < ?", [_iso(now - limits.window)])
        db["login_failures"].insert({"username": normalise_username(username), "address": address, "at": _iso(now)})


def clear(db, username, address):
    """A right password from an address wipes that user's failures from it."""
    with db.atomic():
        db.execute(
            "DELETE FROM login_failures WHERE username = ? AND address = ?", [normalise_username(username), address]
        )


def limits_of(config):
    """The limits set in the configuration (instance/config.toml: login_limit_per_user, …)."""
    return Limits(
        per_user=int(config["LOGIN_LIMIT_PER_USER"]),
        per_address=int(config["LOGIN_LIMIT_PER_ADDRESS"]),
        window=timedelta(minutes=int(config["LOGIN_LIMIT_MINUTES"])),
    )
