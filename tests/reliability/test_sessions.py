"""A session cookie copied before logout, a new password or a disabled account opens nothing after it."""

from pathlib import Path

import pytest

from fieldkit.testing import HEADERS

from .servers import Client, run_fieldkit


def _signed_in(response_to_home):
    return response_to_home.status == 200


def _api_answer(client):
    return client.get("/api/v1/forms", headers=HEADERS).status


def test_a_copied_cookie_stops_working_at_logout(server):
    browser = Client(server.port)
    browser.login("officer")
    copy = Client(server.port, cookies=browser.cookies)
    assert _signed_in(copy.get("/home")) and _api_answer(copy) == 200
    browser.logout()
    assert copy.get("/home").status == 302  # to the login page
    assert _api_answer(copy) == 401


def test_logout_on_one_device_keeps_the_other_signed_in(server):
    phone, laptop = Client(server.port), Client(server.port)
    phone.login("officer")
    laptop.login("officer")
    phone.logout()
    assert _signed_in(laptop.get("/home"))


@pytest.mark.parametrize("command", ["password", "disable"])
def test_a_new_password_or_a_disabled_account_ends_every_session(server, tmp_path, command):
    phone, laptop = Client(server.port), Client(server.port)
    phone.login("officer")
    laptop.login("officer")
    args = ["user", command, "officer"]
    if command == "password":
        password_file = Path(tmp_path) / "new.txt"
        password_file.write_text("Ruộng bậc thang Bảo Hà 5\n", encoding="utf-8")
        args += ["--password-file", str(password_file)]
    result = run_fieldkit(server.instance, *args)
    assert result.returncode == 0, result.stderr
    for device in (phone, laptop):
        assert device.get("/home").status == 302
        assert _api_answer(device) == 401
