"""Sessions end when they should: at their lifetime, with the account, and never by a redirect off the site."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from fieldkit.db import get_db
from fieldkit.testing import HEADERS, PASSWORD


def _api(client):
    return client.get("/api/v1/forms", headers=HEADERS).status_code


def _age_sessions(app, age):
    with app.app_context():
        started = (datetime.now(UTC) - age).isoformat(timespec="seconds")
        get_db().execute("UPDATE user_sessions SET created_at = ?", [started])


def test_a_session_lasts_fourteen_days_and_not_a_minute_more(app, client, auth):
    auth.login("officer")
    assert app.permanent_session_lifetime == timedelta(days=14)
    _age_sessions(app, timedelta(days=14) - timedelta(hours=1))
    assert _api(client) == 200 and client.get("/home").status_code == 200
    _age_sessions(app, timedelta(days=14, minutes=1))
    assert _api(client) == 401
    assert client.get("/home").status_code == 302


def test_the_cookie_expires_with_the_session(client, auth):
    cookie = auth.login().headers["Set-Cookie"]
    expires = next(part.split("=", 1)[1] for part in cookie.split("; ") if part.startswith("Expires="))
    left = datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(days=13) < left <= timedelta(days=14)


def test_an_account_made_inactive_opens_nothing_with_a_session_it_still_has(app, client, auth):
    auth.login("officer")
    with app.app_context():
        get_db().execute("UPDATE users SET active = 0 WHERE username = 'officer'")
    assert _api(client) == 401
    assert client.get("/home").status_code == 302


def test_a_disabled_account_cannot_sign_in_again(client, auth, runner):
    assert runner.invoke(args=["user", "disable", "officer"]).exit_code == 0
    response = auth.login("officer")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


@pytest.mark.parametrize("command", ["disable", "password"])
def test_disable_and_password_remove_every_session_row_of_the_account(app, client, auth, runner, tmp_path, command):
    auth.login("officer")
    other = app.test_client()
    other.post("/login", data={"username": "admin", "password": PASSWORD})
    args = ["user", command, "officer"]
    if command == "password":
        new = tmp_path / "new.txt"
        new.write_text("Ruộng bậc thang Bảo Hà 5\n", encoding="utf-8")
        args += ["--password-file", str(new)]
    assert runner.invoke(args=args).exit_code == 0
    with app.app_context():
        db = get_db()
        held = dict(
            db.execute(
                "SELECT users.username, count(*) FROM user_sessions JOIN users ON users.id = user_id"
                " GROUP BY users.username"
            ).fetchall()
        )
    assert held == {"admin": 1}, "only the account changed loses its sessions"
    assert other.get("/home").status_code == 200


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "///evil.example/", "https://evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_login_never_sends_the_user_off_the_site(client, target):
    response = client.post(f"/login?next={target}", data={"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert not location.scheme and not location.netloc
    assert location.path.startswith("/") and not location.path.startswith(("//", "/\\"))


def test_login_follows_a_next_on_this_site(client):
    response = client.post("/login?next=/outbox", data={"username": "officer", "password": PASSWORD})
    assert response.headers["Location"] == "/outbox"
