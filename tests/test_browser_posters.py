"""Poster pages on a phone: the print page, a download, the register."""

import pytest
from playwright.sync_api import expect

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group
from fieldkit.testing import BAO_HA, sign_in

pytestmark = pytest.mark.browser


def test_officer_prints_a_group_poster_from_a_phone(live_app, live_server, phone, tmp_path):
    with live_app.app_context():
        for name in ("Thôn Bảo Vinh", "Bản Nậm Ỏn"):
            create_group(get_db(), SYSTEM, "test-site", BAO_HA, name, cultural_house_name=f"Nhà văn hóa {name}")
    page = phone.new_page()
    sign_in(page, live_server.url)
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
    assert "Nhà văn hóa chưa có áp phích đang dán (2)" in page.content()
    assert page.locator("tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path="/tmp/posters-register-phone.png", full_page=True)
    code = page.locator("tbody a.code").first.text_content().strip()
    page.locator("tbody a").first.click()
    page.click("text=Ghi nhận dán mới hoặc kiểm tra tờ này")
    page.wait_for_url("**/forms/poster/new**")
    # Typed as a person may: lower case, spaces. The look-up gives the printed code and the group.
    page.fill("input[name=poster_code]", code.lower().replace("-", " "))
    expect(page.locator(".poster-code-status")).to_contain_text("Tờ in cho", timeout=15000)
    expect(page.locator("input[name=poster_code]")).to_have_value(code)
    assert page.input_value("select[name=residential_group]") != ""
    page.fill("input[name=date]", "2026-11-20")
    page.check("input[name=action][value=posted]")
    page.screenshot(path="/tmp/posters-form-phone.png", full_page=True)
    page.click("form.spec-form button[type=submit]")
    page.wait_for_url("**/records/*", timeout=15000)
    page.goto(live_server.url("/posters/register"))
    assert "Nhà văn hóa chưa có áp phích đang dán (1)" in page.content() and "Đang dán" in page.content()
    page.goto(live_server.url("/posters/scripts"))
    page.screenshot(path="/tmp/posters-scripts-phone.png", full_page=True)
