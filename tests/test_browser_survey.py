"""Survey pages on a phone: a commune's sampled groups, a visit edited by the commune admin, the province."""

from datetime import date, timedelta

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group
from fieldkit.survey.readiness import load_settings
from fieldkit.survey.years import add_samples, save_year
from fieldkit.testing import BAO_HA, sign_in

pytestmark = pytest.mark.browser


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_visit_scheduled_on_a_phone_shows_on_the_commune_and_province_pages(live_app, live_server, phone):
    today = date.today()
    with live_app.app_context():
        db = get_db()
        for name in ("Thôn Bảo Vinh", "Bản Nậm Ỏn Thượng Xóm Trong Cùng Của Xã"):
            create_group(db, SYSTEM, "test-site", BAO_HA, name, cultural_house_name=f"Nhà văn hóa {name}")
        window = (today.isoformat(), (today + timedelta(days=90)).isoformat())
        save_year(db, SYSTEM, "test-site", today.year, *window, load_settings())
        add_samples(
            db,
            SYSTEM,
            "test-site",
            today.year,
            [(BAO_HA, "Thôn Bảo Vinh"), (BAO_HA, "Bản Nậm Ỏn Thượng Xóm Trong Cùng Của Xã")],
        )
    page = phone.new_page()
    sign_in(page, live_server.url, "admin")
    page.goto(live_server.url("/survey/"))
    assert page.locator(".survey-group").count() == 2
    assert "không bao giờ ghi lại ai đã được phỏng vấn" in page.content()
    assert fits(page)
    page.locator(".survey-group", has_text="Thôn Bảo Vinh").get_by_role("link", name="Nhập lịch khảo sát").click()
    page.wait_for_url("**/survey/visits/*")
    assert fits(page)
    visit_day = today + timedelta(days=12)
    page.fill("#start_date", visit_day.isoformat())
    page.select_option("#status", "confirmed")
    page.fill("#team_contact", "Đoàn khảo sát, 0912 000 111")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/survey/?commune=*")
    card = page.locator(".survey-group", has_text="Thôn Bảo Vinh")
    assert visit_day.strftime("%d/%m/%Y") in card.inner_text() and "còn 12 ngày" in card.inner_text()
    assert "Sẵn sàng 1/5" in card.inner_text()
    assert fits(page)
    page.screenshot(path="/tmp/survey-commune-phone.png", full_page=True)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "central")
    page.goto(live_server.url("/survey/province"))
    cards = page.locator(".survey-group")
    assert cards.count() == 2
    assert "Thôn Bảo Vinh" in cards.first.inner_text()
    assert fits(page)
    page.screenshot(path="/tmp/survey-province-phone.png", full_page=True)
