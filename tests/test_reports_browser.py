"""The dashboard in real headless Chromium at a phone's width, on a central with demo data."""

from urllib.parse import urlsplit

import pytest

from fieldkit.db import get_db
from fieldkit.demo import load_demo
from fieldkit.testing import LiveServer, make_app, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = "/tmp/fieldkit-reports"


@pytest.fixture
def central_server(tmp_path):
    app = make_app(tmp_path, role="central", WTF_CSRF_ENABLED=True, TESTING=False)
    with app.app_context():
        load_demo(get_db(), app, "central")
    server = LiveServer(app)
    yield server
    server.stop()


def test_dashboard_at_360px_shows_charts_and_bao_ha_from_this_server_only(browser, playwright_instance, central_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="vi-VN")
    page = context.new_page()
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    sign_in(page, central_server.url, "central")
    # The home page of a central admin is the dashboard.
    assert page.locator("main svg.chart").count() >= 3
    page.goto(central_server.url("/dashboard"))
    page.wait_for_selector("main svg.chart")
    assert page.locator("main svg.chart").count() >= 3
    assert page.locator("svg.chart title").first.text_content()
    row = page.locator("tr[data-commune='02989']")
    assert "Bảo Hà" in row.text_content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=f"{SCREENSHOTS}-dashboard.png", full_page=True)
    # The commune's own page: its groups, sampled ones first.
    row.locator("th a").click()
    page.wait_for_selector("text=Thôn Bảo Vinh")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=f"{SCREENSHOTS}-commune.png", full_page=True)
    assert set(hosts) == {"127.0.0.1"}
    context.close()


def test_documents_count_on_a_day_in_one_click_at_360px(browser, central_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, central_server.url, "central")
    page.goto(central_server.url("/documents"))
    page.click("text=Đến ngày 30/09/2023")
    page.wait_for_url("**on=2023-09-30")
    assert "Tính đến ngày 30/09/2023, mới có 3/" in page.text_content(".status-sentence")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=f"{SCREENSHOTS}-documents.png", full_page=True)
    context.close()
