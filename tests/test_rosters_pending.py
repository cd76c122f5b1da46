"""A roster file between its preview and "confirm" is kept on the server, for its uploader, for minutes."""

import re
import time
from pathlib import Path

import pytest

from fieldkit.db import get_db
from fieldkit.rosters import pending
from fieldkit.rosters.views import PREVIEW_MINUTES, UPLOAD_DIR

from .roster_files import commune_roster, upload

IMPORTED = "Đã nhập: thêm 0, cập nhật 3, giữ nguyên 0."
EXPIRED = "Phiên nhập tệp đã hết hạn"


def preview_token(client):
    html = upload(client, commune_roster()).get_data(as_text=True)
    assert "Xem trước: chưa lưu gì" in html
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def confirm(client, token):
    return client.post("/rosters/import/confirm", data={"token": token}, follow_redirects=True).get_data(as_text=True)


def heads(app):
    with app.app_context():
        return {row["name"]: row["head_name"] for row in get_db()["residential_groups"].rows}


def test_a_background_answer_between_upload_and_confirm_loses_nothing(app, client, auth, villages):
    auth.login("admin")
    # A request the page sent before the upload (it carries the session cookie of then) is
    # answered after the upload, and its answer changes the session: its cookie replaces the newer one.
    cookie_before_upload = client.get_cookie("session").value
    token = preview_token(client)
    client.set_cookie("session", cookie_before_upload)
    assert client.post("/language", data={"lang": "vi"}).status_code in (200, 302, 303)
    assert client.get_cookie("session").value != cookie_before_upload  # the late answer set its cookie
    assert IMPORTED in confirm(client, token)
    assert heads(app)["Thôn Khe Bá"]  # the file's head of village, written by the import


def test_only_the_uploader_can_confirm_and_only_once(app, client, auth, villages):
    auth.login("admin")
    token = preview_token(client)
    other = app.test_client()
    other.post("/login", data={"username": "central", "password": "mat-khau-thu-nghiem"})
    assert EXPIRED in confirm(other, token)  # another user (even one holding every commune)
    assert heads(app)["Thôn Khe Bá"] is None
    assert IMPORTED in confirm(client, token)
    assert EXPIRED in confirm(client, token)  # used once
    assert list((Path(app.instance_path) / UPLOAD_DIR).iterdir()) == []  # the personal data is gone


def test_a_preview_expires(app, client, auth, villages, monkeypatch):
    auth.login("admin")
    token = preview_token(client)
    later = time.time() + PREVIEW_MINUTES * 60 + 1
    monkeypatch.setattr(pending.time, "time", lambda: later)
    assert EXPIRED in confirm(client, token)
    assert heads(app)["Thôn Khe Bá"] is None
    assert list((Path(app.instance_path) / UPLOAD_DIR).iterdir()) == []


def test_a_new_upload_or_cancel_abandons_the_earlier_preview(app, client, auth, villages):
    auth.login("admin")
    first = preview_token(client)
    second = preview_token(client)
    assert EXPIRED in confirm(client, first)
    client.get("/rosters/import")  # "Hủy, chọn tệp khác"
    assert EXPIRED in confirm(client, second)
    assert heads(app)["Thôn Khe Bá"] is None


@pytest.mark.parametrize("token", ["../../fieldkit", "", "a" * 200, "x/../../secret-key"])
def test_a_token_names_a_pending_file_and_nothing_else(tmp_path, token):
    (tmp_path / "fieldkit.json").write_text('{"user_id": 1}')
    assert pending.take(tmp_path / "uploads", token, 1, 60) is None
