"""Configuration: safe defaults here, overrides from instance/config.toml, a dict in tests."""

import tomllib
from datetime import timedelta

CONFIG_FILE = "config.toml"
DATABASE_FILE = "fieldkit.sqlite3"

DEFAULTS = {
    # "site" on a commune laptop, "central" at Sở Nội vụ.
    "ROLE": "site",
    "SITE_NAME": "fieldkit",
    "SITE_ID": None,
    "SECRET_KEY": None,
    # Where residents' phones reach the public pages (QR codes on posters point here).
    "PUBLIC_BASE_URL": "http://127.0.0.1:8080",
    # What else travels to Sở Nội vụ (fieldkit/sync): record photos, and a group head's phone number.
    "SYNC_PHOTOS": False,
    "SYNC_HEAD_PHONE": False,
    "DEMO": False,
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ["vi", "en"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Turned on by `fieldkit serve --https`; a plain-HTTP LAN cannot carry secure cookies.
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
    # A session ends 14 days after login (its row in user_sessions), however often it is used, so
    # signing the cookie again on every answer extends nothing and cost a tenth of a record's time.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    # Wrong passwords before a user name is locked out from one address, for that many minutes;
    # and from one address whatever the names (fieldkit/auth/throttle.py).
    "LOGIN_LIMITS_ENABLED": True,
    "LOGIN_LIMIT_PER_USER": 5,
    "LOGIN_LIMIT_PER_ADDRESS": 50,
    "LOGIN_LIMIT_MINUTES": 15,
    # A writer waits this long for the lock (a roster import of 10,000 rows holds it a few seconds).
    "BUSY_TIMEOUT_MS": 30000,
    # The phone's outbox: first retry after a network error or a 5xx, in milliseconds; doubles each
    # time (with jitter) up to the cap.
    "OUTBOX_RETRY_BASE_MS": 2000,
    "OUTBOX_RETRY_CAP_MS": 5 * 60 * 1000,
    # Reports: the issuing body's name, its superior body and symbol (empty: from the role), the place.
    "REPORT_ISSUER": "",
    "REPORT_PARENT_BODY": "",
    "REPORT_SYMBOL": "",
    "REPORT_PLACE": "Lào Cai",
    # The dashboard flags a site or commune with nothing new for this many days.
    "SILENT_DAYS": 14,
    # Tests only: a cheap password hash, since they create many users.
    "FAST_PASSWORD_HASH": False,
    # A photo sent with a record, before it is shrunk (fieldkit/submissions/media.py).
    "MEDIA_MAX_BYTES": 10 * 1024 * 1024,
    # Recordings of explainer pages and loudspeaker scripts: at most this size and length.
    "AUDIO_MAX_BYTES": 20 * 1024 * 1024,
    "AUDIO_MAX_SECONDS": 15 * 60,
}


def load_instance_config(path):
    """Read instance/config.toml into Flask-style upper-case keys; a missing file gives {}."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    return {key.upper(): value for key, value in data.items()}
