"""Accounts: a password policy with Vietnamese reasons, disabling, new passwords, a clean audit log."""

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, PASSWORD


def _user_add(runner, tmp_path, name, password, display_name=None):
    password_file = tmp_path / "pw.txt"
    password_file.write_text(password + "\n", encoding="utf-8")
    args = ["user", "add", name, "--role", "officer", "--commune", BAO_HA, "--password-file", str(password_file)]
    if display_name:
        args += ["--display-name", display_name]
    return runner.invoke(args=args)


@pytest.mark.parametrize(
    "password, reason",
    [
        ("12345678", "hay dùng nhất"),
        ("password", "hay dùng nhất"),
        ("Matkhau@123", "hay dùng nhất"),
        ("        ", "dấu cách"),
        ("lan.2026!", "tên đăng nhập"),
        ("nguyenthilan", "họ tên"),
        ("aaaaaaaa", "quá đơn giản"),
        ("87654321", "quá đơn giản"),
        ("short", "ít nhất 8"),
    ],
)
def test_trivial_passwords_are_refused_with_a_reason(app, runner, tmp_path, password, reason):
    result = _user_add(runner, tmp_path, "lan", password, display_name="Nguyễn Thị Lan")
    assert result.exit_code != 0
    assert reason in result.output
    with app.app_context():
        assert not get_db()["users"].count_where("username = 'lan'")


def test_a_sound_password_is_accepted(app, runner, tmp_path):
    result = _user_add(runner, tmp_path, "lan", "Nương ngô trên núi 9", display_name="Nguyễn Thị Lan")
    assert result.exit_code == 0, result.output


def test_user_password_sets_a_new_one_checked_by_the_same_policy(client, runner, tmp_path):
    password_file = tmp_path / "pw.txt"
    password_file.write_text("12345678\n", encoding="utf-8")
    refused = runner.invoke(args=["user", "password", "officer", "--password-file", str(password_file)])
    assert refused.exit_code != 0 and "hay dùng nhất" in refused.output
    password_file.write_text("Suối Bo chảy qua bản 7\n", encoding="utf-8")
    changed = runner.invoke(args=["user", "password", "officer", "--password-file", str(password_file)])
    assert changed.exit_code == 0, changed.output
    assert client.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"username": "officer", "password": "Suối Bo chảy qua bản 7"}).status_code == 302


def test_user_disable_ends_access(client, runner):
    assert client.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 302
    result = runner.invoke(args=["user", "disable", "officer"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/forms", headers={"X-Requested-With": "fieldkit"}).status_code == 401
    assert client.post("/login", data={"username": "officer", "password": PASSWORD}).status_code == 401


def test_unknown_account_named_in_vietnamese(runner):
    result = runner.invoke(args=["user", "disable", "nobody"])
    assert result.exit_code != 0 and "Không có tài khoản nobody" in result.output


def test_a_password_typed_as_the_username_is_not_kept_in_the_audit_log(app, client):
    secret = "Bí-mật-của-tôi-2026"
    assert client.post("/login", data={"username": secret, "password": "x"}).status_code == 401
    assert client.post("/login", data={"username": "officer", "password": "wrong one"}).status_code == 401
    with app.app_context():
        rows = list(get_db()["audit_log"].rows_where("action = 'login.failed'"))
    assert len(rows) == 2
    assert all(secret not in str(row) for row in rows)
    assert any('"officer"' in (row["detail"] or "") for row in rows), "a known account's failures are still logged"
