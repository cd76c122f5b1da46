"""Poster pages on a phone: the print page, a download, the register."""

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group

from .conftest import BAO_HA, PASSWORD

pytestmark = pytest.mark.browser


def test_officer_prints_a_group_poster_from_a_phone(live_app, live_server, phone, tmp_path):
    with live_app.app_context():
        for name in ("Thôn Bảo Vinh", "Bản Nậm Ỏn"):
            create_group(get_db(), SYSTEM, "test-site", BAO_HA, name, cultural_house_name=f"Nhà văn hóa {name}")
    page = phone.new_page()
    page.goto(live_server.url("/login"))
    page.fill("#username", "officer")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url("/posters/"))
    assert page.locator(".poster-groups > li").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path="/tmp/posters-index-phone.png", full_page=True)
    with page.expect_download() as download:
        page.locator(".poster-groups > li").first.get_by_role("button", name="A4").click()
    saved = tmp_path / "poster.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.goto(live_server.url("/posters/register"))
    assert "Nhà văn hóa chưa có áp phích đang niêm yết (2)" in page.content()
    assert page.locator("tbody tr").count() == 1
    page.screenshot(path="/tmp/posters-register-phone.png", full_page=True)
    page.locator("tbody a").first.click()
    page.check("input[value=posted]")
    page.click("button.primary")
    assert "Đã ghi nhận." in page.content()
    page.screenshot(path="/tmp/posters-sheet-phone.png", full_page=True)
    page.goto(live_server.url("/posters/scripts"))
    page.screenshot(path="/tmp/posters-scripts-phone.png", full_page=True)
