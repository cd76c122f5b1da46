"""The public explainer on a phone: no login, fits 360 px, readable."""

import pytest

pytestmark = pytest.mark.browser


def test_explainer_fits_a_360px_phone_without_login(live_server, browser, tmp_path):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, locale="vi-VN"
    )
    try:
        page = context.new_page()
        page.goto(live_server.url("/explain/"))
        assert page.locator("h1").inner_text() == "Tìm hiểu về PAPI"
        assert page.locator(".explainer-dimensions li").count() == 8
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(tmp_path / "explain-360.png"), full_page=True)
        page.get_by_role("link", name="Quản trị điện tử").click()
        page.wait_for_url("**/explain/eight-dimensions#egovernance")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(live_server.url("/explain/your-rights"))
        assert "10/2022/QH15" in page.content()
        page.screenshot(path="/tmp/explain-rights-360.png", full_page=True)
    finally:
        context.close()
