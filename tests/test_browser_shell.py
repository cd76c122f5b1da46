"""The shell in real headless Chromium at a phone's size."""

import pytest

pytestmark = pytest.mark.browser


def test_login_page_fits_a_phone(phone, live_server):
    page = phone.new_page()
    page.goto(live_server.url("/login"))
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for selector in ("input[name=username]", "input[name=password]", "button[type=submit]"):
        for box in (el.bounding_box() for el in page.query_selector_all(selector)):
            assert box["height"] >= 44, selector


def test_login_through_the_browser(phone, live_server):
    from fieldkit.testing import PASSWORD

    page = phone.new_page()
    page.goto(live_server.url("/"))
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/home")
    assert "Xin chào" in page.text_content("h1")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.reload()
    assert errors == []
