"""Fixtures in the flaskr style: app, client, runner, auth; plus a live server for the browser."""

import re
import shutil
import threading

import pytest
from hypothesis import HealthCheck, settings

from fieldkit import create_app, upgrade_database
from fieldkit.auth.users import create_user
from fieldkit.db import close_connections, get_db
from fieldkit.instance import generate_site_keys

# Properties must not fail by chance: on a busy machine (CI, eight engineers on two cores) an example
# can take longer than Hypothesis' 200 ms deadline, or generating one can be "too slow"; neither is a bug.
settings.register_profile("fieldkit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fieldkit")

PASSWORD = "mat-khau-thu-nghiem"
BAO_HA = "02989"
PHO_LU = "02905"


def make_app(tmp_path, role="site", **overrides):
    """An initialised app in a temporary instance folder, with a user per role."""
    instance = tmp_path / "instance"
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
        create_user(db, hasher, "officer", PASSWORD, "officer", [BAO_HA])
        create_user(db, hasher, "admin", PASSWORD, "commune_admin", [BAO_HA])
        create_user(db, hasher, "pholu", PASSWORD, "officer", [PHO_LU])
        create_user(db, hasher, "central", PASSWORD, "central_admin", [])
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    close_connections(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="officer", password=PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def csrf_token_from(html):
    """The CSRF token a page carries in its hidden field."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no csrf_token on the page"
    return match.group(1)


# --- live server and browser ------------------------------------------------------------

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
    """A cheroot server for an app, on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app, use_https=False):
        from fieldkit.serve import build_server

        self.app = app
        self.server = build_server(app, "127.0.0.1", 0, use_https=use_https, threads=4)
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


@pytest.fixture
def live_app(tmp_path):
    """An app for the live server; CSRF on, as in real use."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False)
    yield app
    close_connections(app)


@pytest.fixture
def live_server(live_app):
    server = LiveServer(live_app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not shutil.which(CHROMIUM) and not shutil.os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser, playwright_instance):
    """A fresh browser context the size of a Pixel 5."""
    context = browser.new_context(**playwright_instance.devices["Pixel 5"], locale="vi-VN")
    yield context
    context.close()


# --- factories ---------------------------------------------------------------------------


@pytest.fixture
def create_group(app):
    """Factory: create_group(name, commune=BAO_HA, **fields) adds a residential group."""
    from fieldkit.auth.scope import SYSTEM
    from fieldkit.rosters.groups import create_group as create

    def factory(name, commune=BAO_HA, **fields):
        with app.app_context():
            return create(get_db(), SYSTEM, app.config["SITE_ID"], commune, name, **fields)

    return factory
