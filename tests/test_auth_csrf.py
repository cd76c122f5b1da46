"""Every HTML form post needs its CSRF token; the only exceptions are the JSON API (own header and origin
checks) and sync's three endpoints (signed by the site's key)."""

import re

import pytest

from fieldkit.testing import HEADERS, PASSWORD, make_app

# Checked another way: the JSON API by `require_same_origin`, sync's endpoints by signature.
EXEMPT = {"/api/v1/submissions", "/api/v1/media", "/api/v1/sync/enroll", "/api/v1/sync/bundles", "/api/v1/sync/pull"}


@pytest.fixture
def guarded(tmp_path):
    return make_app(tmp_path, WTF_CSRF_ENABLED=True)


def _posts(app):
    return sorted({re.sub(r"<[^>]+>", "x", rule.rule) for rule in app.url_map.iter_rules() if "POST" in rule.methods})


def test_every_form_post_without_its_token_is_refused(guarded):
    client = guarded.test_client()
    posts = [path for path in _posts(guarded) if path not in EXEMPT]
    assert {"/login", "/logout", "/rosters/new", "/posters/print", "/sync/push"} <= set(posts)
    answers = {
        path: client.post(path, data={"username": "officer", "password": PASSWORD}).status_code for path in posts
    }
    assert {path: code for path, code in answers.items() if code != 400} == {}


def test_the_exempt_posts_are_exactly_the_api_and_sync(guarded):
    assert set(_posts(guarded)) >= EXEMPT
    assert {path for path in _posts(guarded) if path.startswith("/api/")} == EXEMPT


def test_a_signed_in_form_post_without_its_token_changes_nothing(guarded):
    from fieldkit.db import get_db
    from fieldkit.testing import BAO_HA, csrf_token_from

    client = guarded.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    response = client.post("/rosters/new", data={"commune": BAO_HA, "name": "Thôn Giả Mạo", "kind": "thon"})
    assert response.status_code == 400
    with guarded.app_context():
        assert get_db()["residential_groups"].count == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Requested-With": "XMLHttpRequest"},
        {**HEADERS, "Sec-Fetch-Site": "cross-site"},
        {**HEADERS, "Origin": "http://evil.example"},
        {**HEADERS, "Origin": "https://localhost"},
        {**HEADERS, "Origin": "http://localhost:8081"},
    ],
)
def test_api_writes_from_elsewhere_are_refused(client, auth, headers):
    auth.login("officer")
    for path in ("/api/v1/submissions", "/api/v1/media"):
        assert client.post(path, json={}, headers=headers).status_code == 403, path


def test_api_writes_from_this_site_get_past_the_origin_check(client, auth):
    auth.login("officer")
    for headers in (HEADERS, {**HEADERS, "Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}):
        assert client.post("/api/v1/submissions", json={}, headers=headers).status_code == 422


def test_logout_is_a_post_so_a_link_or_image_elsewhere_cannot_sign_anyone_out(client, auth):
    auth.login("officer")
    assert client.get("/logout").status_code == 405
    assert client.get("/home").status_code == 200


def test_the_form_token_is_in_the_session_from_login_on(app):
    """Pages fetched at once after login (the worker's precache) find the token already there and set no
    cookie of their own; otherwise the last cookie set breaks the forms the other pages rendered."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login_page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page.get_data(as_text=True))
    login = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token.group(1)})
    assert login.status_code == 302
    form_page = client.get("/rosters/import")
    assert form_page.status_code == 200
    assert "Set-Cookie" not in form_page.headers
