import pytest

from fieldkit.auth.scope import Scope
from fieldkit.auth.users import UserError, authenticate, create_user
from fieldkit.db import get_db
from fieldkit.errors import Forbidden, NotFound
from fieldkit.testing import BAO_HA, PASSWORD, csrf_token_from, make_app


def test_root_redirects_to_vietnamese_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Mật khẩu" in page


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert "Xin chào" in client.get("/home").get_data(as_text=True)
    auth.logout()
    assert client.get("/home").status_code == 302


@pytest.mark.parametrize(("username", "password"), [("officer", "sai-mat-khau"), ("khong-co", PASSWORD)])
def test_wrong_login_is_refused_in_vietnamese(auth, username, password):
    response = auth.login(username, password)
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_login_needs_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/login", data={"username": "officer", "password": PASSWORD})
    assert refused.status_code == 400
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    accepted = client.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302


def limited_app(tmp_path, **limits):
    return make_app(tmp_path, LOGIN_LIMITS_ENABLED=True, **limits)


def wrong(client, username="officer", address="10.0.0.5"):
    return client.post(
        "/login", data={"username": username, "password": "x" * 9}, environ_base={"REMOTE_ADDR": address}
    )


def test_failed_logins_are_limited_per_user_with_a_warning_and_a_time(tmp_path):
    client = limited_app(tmp_path).test_client()
    quiet = [wrong(client) for _ in range(2)]
    assert [r.status_code for r in quiet] == [401, 401] and not any("Còn" in r.get_data(as_text=True) for r in quiet)
    assert "Còn 2 lần thử" in wrong(client).get_data(as_text=True)
    fourth = wrong(client).get_data(as_text=True)
    assert "Còn 1 lần thử" in fourth and "15 phút" in fourth
    fifth = wrong(client)
    assert fifth.status_code == 429 and "Hãy thử lại sau 15 phút (lúc " in fifth.get_data(as_text=True)
    # Locked even with the right password, so guessing goes no further.
    right = client.post(
        "/login", data={"username": "officer", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert right.status_code == 429 and "quá nhiều lần" in right.get_data(as_text=True)


def test_one_locked_user_does_not_lock_out_the_office(tmp_path):
    client = limited_app(tmp_path).test_client()
    for _ in range(5):
        wrong(client, "officer")
    colleague = client.post(
        "/login", data={"username": "admin", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert colleague.status_code == 302
    elsewhere = client.post(
        "/login", data={"username": "officer", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert elsewhere.status_code == 302


def test_many_names_from_one_address_are_stopped(tmp_path):
    client = limited_app(tmp_path, LOGIN_LIMIT_PER_ADDRESS=4).test_client()
    codes = [wrong(client, f"name{n}").status_code for n in range(5)]
    assert codes == [401, 401, 401, 429, 429]


def test_a_right_password_clears_the_count_and_the_lock_ends(tmp_path):
    from datetime import UTC, datetime, timedelta

    from fieldkit.auth import throttle

    app = limited_app(tmp_path)
    client = app.test_client()
    wrong(client)
    wrong(client)
    assert (
        client.post(
            "/login", data={"username": "officer", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
        ).status_code
        == 302
    )
    with app.app_context():
        db = get_db()
        assert db["login_failures"].count == 0
        limits = throttle.limits_of(app.config)
        long_ago = datetime.now(UTC) - timedelta(minutes=20)
        for _ in range(5):
            throttle.record_failure(db, limits, "officer", "10.0.0.7", now=long_ago)
        assert throttle.check(db, limits, "officer", "10.0.0.7", now=long_ago).locked_until is not None
        assert throttle.check(db, limits, "officer", "10.0.0.7").locked_until is None


def test_no_limiter_command_is_listed(runner):
    assert "limiter" not in runner.invoke(args=["--help"]).output


def test_session_cookie_flags(client, auth):
    cookie = auth.login().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_hashed_with_argon2id(app):
    with app.app_context():
        stored = get_db()["users"].rows_where("username = 'officer'").__next__()["password_hash"]
        assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_open_redirect_is_refused(client):
    response = client.post("/login?next=https://evil.example/", data={"username": "officer", "password": PASSWORD})
    assert response.headers["Location"] == "/home"


def test_create_user_rules(app):
    with app.app_context():
        db, hasher = get_db(), app.extensions["fieldkit.hasher"]
        with pytest.raises(UserError, match="ít nhất 8"):
            create_user(db, hasher, "ngan", "1234", "officer", [BAO_HA])
        with pytest.raises(UserError, match="đã có"):
            create_user(db, hasher, "Officer", PASSWORD, "officer", [BAO_HA])
        with pytest.raises(UserError, match="ít nhất một xã"):
            create_user(db, hasher, "moi", PASSWORD, "officer", [])
        assert authenticate(db, hasher, " OFFICER ", PASSWORD)["username"] == "officer"


def test_every_change_is_audited(app, auth):
    auth.login()
    with app.app_context():
        actions = [row["action"] for row in get_db()["audit_log"].rows_where(order_by="id")]
    assert actions.count("user.create") == 4 and actions[-1] == "login"


class TestScope:
    officer = Scope(1, "officer", "officer", frozenset({BAO_HA}))
    central = Scope(2, "central", "central_admin", None)

    def test_officer_holds_only_own_commune(self):
        assert self.officer.allows(BAO_HA) and not self.officer.allows("02905")
        with pytest.raises(Forbidden):
            self.officer.require("02905")

    def test_central_holds_every_commune(self):
        assert self.central.allows("02905") and self.central.where() == ("1 = 1", [])

    def test_scoped_queries_filter_rows(self, app):
        with app.app_context():
            db = get_db()
            db["notes"].insert_all([{"id": 1, "commune_code": BAO_HA}, {"id": 2, "commune_code": "02905"}], pk="id")
            assert [r["id"] for r in self.officer.rows(db["notes"])] == [1]
            assert self.central.count(db["notes"]) == 2
            assert self.officer.get(db["notes"], 1)["id"] == 1
            with pytest.raises(NotFound):
                self.officer.get(db["notes"], 2)


def test_user_add_command(runner, app, tmp_path):
    password_file = tmp_path / "pw.txt"
    password_file.write_text("mot-mat-khau-dai\n", encoding="utf-8")
    result = runner.invoke(
        args=["user", "add", "Thảo", "--role", "officer", "--commune", BAO_HA, "--password-file", str(password_file)]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authenticate(get_db(), app.extensions["fieldkit.hasher"], "thảo", "mot-mat-khau-dai")
    bad = runner.invoke(
        args=["user", "add", "x", "--role", "officer", "--commune", "99999", "--password-file", str(password_file)]
    )
    assert bad.exit_code != 0 and "Không có xã" in bad.output
