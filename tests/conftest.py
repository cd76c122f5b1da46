"""Fixtures in the flaskr style (app, client, runner, auth), a live server and a phone for the browser.

Only the wiring into pytest lives here; what the fixtures build comes from `fieldkit.testing`, which
tests import directly for constants and helpers (never from this file).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from fieldkit.db import close_connections, get_db
from fieldkit.testing import (
    BAC_HA,
    BAO_HA,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHO_LU,
    AuthActions,
    LiveServer,
    make_app,
    new_phone,
)

# Properties must not fail by chance: on a busy machine (CI, eight engineers on two cores) an example
# can take longer than Hypothesis' 200 ms deadline, or generating one can be "too slow"; neither is a bug.
settings.register_profile("fieldkit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fieldkit")


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


@pytest.fixture
def auth(client):
    return AuthActions(client)


# --- live server and browser ------------------------------------------------------------


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
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser, playwright_instance):
    """A fresh browser context the size of a Pixel 5."""
    context = new_phone(playwright_instance, browser)
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


@pytest.fixture
def villages(create_group):
    """Three groups of Xã Bảo Hà (a thôn with a head and ethnic groups, one with a cultural house, a bản)."""
    return {
        "vinh": create_group(
            "Thôn Bảo Vinh", households=182, head_name="Nguyễn Văn An", papi_years=[2023], ethnic_groups=["01", "02"]
        ),
        "khe": create_group("Thôn Khe Bá", households=97, cultural_house_name="Nhà văn hóa Khe Bá"),
        "ban": create_group("Bản Nặm Rịa", kind="ban"),
    }


@pytest.fixture
def session_form(client, auth, create_group):
    """The session form as the officer's phone reads it, two Bảo Hà groups to choose from; logged in."""
    create_group("Thôn Bảo Vinh")
    create_group("Thôn Khuổi Phường")
    auth.login()
    response = client.get("/api/v1/forms/session")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def three_communes(app, create_group):
    """A group in each of Bảo Hà, Phố Lu and Bắc Hà; yields the open database with {commune: group row}."""
    made = {code: create_group(f"Thôn {code}", commune=code) for code in (BAO_HA, PHO_LU, BAC_HA)}
    with app.app_context():
        yield get_db(), made


@pytest.fixture
def pair(tmp_path):
    """A central and a Bảo Hà site enrolled with it, the site holding one residential group."""
    from .sync_bundles import enrolled_pair

    return enrolled_pair(tmp_path)


# --- real instances ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """A central instance (Sở Nội vụ) made by `fieldkit init`, served by `fieldkit serve` on 127.0.0.1."""
    from .instances import PUBLIC, Instance
    from .reliability.servers import Server

    instance = Instance(tmp_path_factory.mktemp("central") / "instance", "central", "Sở Nội vụ Lào Cai")
    instance.set_config("public_base_url", PUBLIC)
    with Server(instance.path) as server:
        instance.url = f"http://127.0.0.1:{server.port}"
        yield instance
