"""What tests and benchmarks need to run fieldkit: a ready app, a server on 127.0.0.1, logins and records.

One place, so that `tests/`, `tests/reliability/` and `bench/` build the app, serve it and sign in the
same way. `tests/conftest.py` only wires these into pytest fixtures. Nothing here imports pytest or
Playwright: a browser page or the Playwright object is passed in.
"""

import json
import os
import re
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

from . import create_app, upgrade_database
from .auth.scope import Scope
from .auth.users import create_user
from .db import close_connections, get_db
from .errors import CODES
from .instance import generate_site_keys

PASSWORD = "mat-khau-thu-nghiem"
BAO_HA = "02989"  # Xã Bảo Hà, the commune every test officer works for
PHO_LU = "02905"  # Thị trấn Phố Lu, the other commune (to check scoping)
BAC_HA = "02839"  # Thị trấn Bắc Hà, a third commune (for scopes of several)
USERS = (
    ("officer", "officer", [BAO_HA]),
    ("admin", "commune_admin", [BAO_HA]),
    ("pholu", "officer", [PHO_LU]),
    ("central", "central_admin", []),
)
# The eight PAPI dimensions by id, in PAPI's order: written out here, not read from fieldkit.reference,
# so that a test comparing against it notices a change there.
PAPI_ORDER = (
    "participation",
    "transparency",
    "accountability",
    "corruption",
    "procedures",
    "services",
    "environment",
    "egovernance",
)
# The header the phone's pages send with every API write (the CSRF guard of the JSON API).
HEADERS = {"X-Requested-With": "fieldkit"}


# --- the app -------------------------------------------------------------------------------------


def make_app(folder, role="site", **overrides):
    """An initialised app in `folder`/instance with a user per role (USERS), all with PASSWORD.

    Test settings by default (no CSRF, fast password hashes, no login limits); a live server passes
    `WTF_CSRF_ENABLED=True, TESTING=False` to run as in real use.
    """
    instance = Path(folder) / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SITE_ID": f"test-{role}",
        "ROLE": role,
        "DATABASE": str(instance / "fieldkit.sqlite3"),
        "WTF_CSRF_ENABLED": False,
        "FAST_PASSWORD_HASH": True,
        "LOGIN_LIMITS_ENABLED": False,
        # Posters refuse a QR to a LAN-only address; tests print as an enrolled site would.
        "PUBLIC_BASE_URL": "https://papi.example.org",
        **overrides,
    }
    app = create_app(config, instance_path=instance)
    generate_site_keys(instance)
    with app.app_context():
        db = get_db()
        upgrade_database(db)
        hasher = app.extensions["fieldkit.hasher"]
        for username, user_role, communes in USERS:
            create_user(db, hasher, username, PASSWORD, user_role, communes)
    return app


class AuthActions:
    """Log a Flask test client in and out (the flaskr `auth` fixture)."""

    def __init__(self, client):
        self._client = client

    def login(self, username="officer", password=PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


def csrf_token_from(html):
    """The CSRF token a page carries in its hidden field."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no csrf_token on the page"
    return match.group(1)


# --- records the API takes -----------------------------------------------------------------------


def build_record(definition):
    """A valid value for every field of a JSON form definition, made from the field types only."""
    data = {}
    for f in definition["fields"]:
        kind = f["type"]
        if kind == "photo":
            continue
        low, high = (f.get("min") or 0, f.get("max") or 10**6) if kind == "integer" else (0, 0)
        value = {
            "text": "Nguyễn Thị Hoa",
            "long_text": "Người dân hỏi về khảo sát.\nĐã giải đáp.",
            "integer": min(max(low, 12), high),
            "decimal": 1.5,
            "date": "2026-11-20",
            "time": "08:30",
            "yes_no": True,
            "gps": {"lat": 22.2567, "lon": 104.4571},
        }.get(kind)
        if kind in ("choice", "residential_group"):
            value = f["choices"][0]["value"] if f["choices"] else None
        if kind == "multi_choice":
            value = [f["choices"][0]["value"]]
        if kind == "text" and f.get("pattern"):
            value = "BH-0001"
        if value is not None:
            data[f["name"]] = value
    return data


def record_for(definition, **changes):
    """A whole record of Xã Bảo Hà for the API: a new uuid, the form's id and version, `build_record` data."""
    return {
        "uuid": str(uuid.uuid4()),
        "form_id": definition["id"],
        "form_version": definition["version"],
        "commune": BAO_HA,
        "data": build_record(definition),
        **changes,
    }


def post_record(client, body, headers=HEADERS):
    """POST a record to the submissions API as the phone does."""
    return client.post("/api/v1/submissions", data=json.dumps(body), content_type="application/json", headers=headers)


def url_arguments(group_uuid, record_uuid, **more):
    """Values for the URL map's arguments, naming a real group and record, for tests that call every route."""
    return {
        "group_uuid": group_uuid,
        "root_uuid": record_uuid,
        "record_uuid": record_uuid,
        "form_id": "broadcast",
        "lang": "vi",
        "slug": "01-what-is-papi",
        "kind": "page",
        **more,
    }


def session_data(rng, group_uuid, day):
    """The data of a plausible outreach session in `group_uuid` on `day` (ISO), drawn from `rng`."""
    total = rng.randrange(5, 90)
    return {
        "date": day,
        "start_time": "08:00",
        "residential_group": group_uuid,
        "channel": rng.choice(["village_meeting", "party_cell", "commune_conference"]),
        "topics": rng.sample(["participation", "transparency", "corruption", "grassroots_democracy_law"], 2),
        "presenter": "Cán bộ xã",
        "attendees_total": total,
        "attendees_women": total // 2,
        "attendees_ethnic_minority": total // 3,
    }


def assert_error_shape(response, status):
    """The body is {"error": code, "message": sentence[, "errors": {field: message}]} and matches the status."""
    assert response.status_code == status, response.data[:300]
    assert response.is_json, response.content_type
    body = response.get_json()
    assert isinstance(body, dict)
    extra = set(body) - {"error", "message", "errors"}
    # A conflict is also a result: it may say which record it kept; nothing else may add keys.
    if status == 409:
        extra -= {"status", "uuid", "conflict"}
    assert not extra, f"keys outside the error shape: {extra}"
    assert body["error"] == CODES[status]
    assert isinstance(body["message"], str) and body["message"].strip()
    assert not re.fullmatch(r"[a-z_]+", body["message"]), "the message is a sentence, not a code word"
    if "errors" in body:
        assert body["errors"] and all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in body["errors"].items()
        )
    return body


# --- a live server and a browser -----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """The app under cheroot (as `fieldkit serve` runs it) on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app, use_https=False, threads=4):
        from .serve import build_server

        self.app = app
        self.server = build_server(app, "127.0.0.1", 0, use_https=use_https, threads=threads)
        self.server.prepare()
        self.port = self.server.bind_addr[1]
        self.scheme = "https" if use_https else "http"
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    def url(self, path="/", host="127.0.0.1"):
        return f"{self.scheme}://{host}:{self.port}{path}"

    def stop(self):
        self.server.stop()
        self.thread.join(timeout=5)
        close_connections(self.app)


def wait_until(condition, timeout=15, message="condition"):
    """Poll `condition()` until it is true; fail after `timeout` seconds naming `message`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def wait_js(page, expression, timeout=15):
    """Poll a JavaScript expression until it is truthy (page.wait_for_function polls with eval,
    which the CSP forbids). A navigation under way (a click that opens another page) counts as
    not yet: its old page's context is destroyed before the new one can be asked."""

    def truthy():
        try:
            return page.evaluate(expression)
        except Exception as error:  # playwright's Error; the module is imported only by browser tests
            if "Execution context was destroyed" in str(error) or "navigating" in str(error):
                return False
            raise

    wait_until(truthy, timeout=timeout, message=expression)


def sign_in(page, url, username="officer", password=PASSWORD):
    """Log a browser page in through the login form; `url` makes an address from a path (LiveServer.url)."""
    page.goto(url("/login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/home")


def nss_home(folder, ca_cert=None):
    """A HOME whose NSS database (what Chromium on Linux trusts) holds `ca_cert`, if given."""
    certutil = shutil.which("certutil")
    assert certutil, "certutil not found: install Debian's libnss3-tools (see .ci/run)"
    home = Path(folder)
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run([certutil, "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True)
    if ca_cert is not None:
        subprocess.run(
            [certutil, "-d", f"sql:{nssdb}", "-A", "-n", "fieldkit-ca", "-t", "C,,", "-i", str(ca_cert)], check=True
        )
    return home


def launch_chromium(playwright, home=None, host="fieldkit.test"):
    """Chromium resolving `host` to 127.0.0.1, with `home` (see nss_home) as HOME when given."""
    env = {**os.environ, "HOME": str(home)} if home else None
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {host} 127.0.0.1"]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args, env=env)


def new_phone(playwright, browser):
    """A fresh browser context the size of a Pixel 5, in Vietnamese."""
    return browser.new_context(**playwright.devices["Pixel 5"], locale="vi-VN")


def scope_of(*communes, role="officer"):
    """A scope over exactly these communes, as an operation receives it (no user row needed)."""
    return Scope(7, "mo", role, frozenset(communes))
