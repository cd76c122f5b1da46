"""The roster pages in headless Chromium at a phone's width: no sideways scrolling, import end to end."""

import pytest

from fieldkit.testing import sign_in

from .roster_files import messy_roster

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/fieldkit-rosters"


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_import_preview_and_list_fit_a_phone(phone, live_server, tmp_path):
    import os

    os.makedirs(SCREENSHOTS, exist_ok=True)
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, live_server.url, "admin")

    page.goto(live_server.url("/rosters/import"))
    roster = tmp_path / "Danh sach thon (ban cuoi).xlsx"
    roster.write_bytes(messy_roster())
    page.set_input_files("input[type=file]", str(roster))
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=Xem trước: chưa lưu gì")
    page.screenshot(path=f"{SCREENSHOTS}/import-preview-360.png", full_page=True)
    assert fits(page)
    assert page.locator(".summary li").first.text_content().strip().startswith("3")

    page.click("text=Xác nhận nhập")
    page.wait_for_url("**/rosters/?commune=*")
    assert "thêm 3" in page.text_content(".flash-success")
    page.fill("input[name=q]", "BAN KHUOI")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator(".group-name").all_text_contents() == ["Bản Khuổi Phường"]
    page.goto(live_server.url("/rosters/"))
    page.screenshot(path=f"{SCREENSHOTS}/list-360.png", full_page=True)
    assert fits(page)
    for box in (
        el.bounding_box() for el in page.query_selector_all(".group-card a, .actions .button, form.filters button")
    ):
        assert box["height"] >= 44

    page.click("text=Thôn Bảo Vinh")
    page.wait_for_url("**/rosters/groups/*")
    detail = page.url
    for path in ("", "/edit", "/history", "/households"):
        page.goto(detail + path)
        assert fits(page), path


def test_gps_button_fills_the_cultural_house_point(phone, live_server):
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation({"latitude": 22.2031, "longitude": 104.3458, "accuracy": 12})
    page = phone.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server.url, "admin")
    page.goto(live_server.url("/rosters/new"))
    page.click("text=Lấy vị trí hiện tại")
    page.wait_for_function("document.getElementById('gps').value !== ''")
    assert page.input_value("#gps") == "22.203100, 104.345800"
    assert "sai số khoảng 12 m" in page.text_content("#gps-status")
    page.fill("#name", "Thôn Bảo Vinh")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1:has-text('Thôn Bảo Vinh')")
    assert "22.2031, 104.3458" in page.text_content("dl.facts >> nth=1")
    assert errors == []
