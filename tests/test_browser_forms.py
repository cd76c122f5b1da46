"""The mobile form in headless Chromium at 360 px: conditions, GPS fallback, save, record pages."""

import os

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group
from fieldkit.testing import BAO_HA, sign_in

from .form_cases import SESSION_REQUIRED

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FIELDKIT_SCREENSHOTS")  # a folder, to look at the pages


@pytest.fixture
def officer_page(phone, live_server, live_app):
    with live_app.app_context():
        for name in ("Thôn Bảo Vinh", "Thôn Khuổi Phường"):
            create_group(get_db(), SYSTEM, "test-site", BAO_HA, name)
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server.url)
    page.set_default_timeout(15000)
    page.errors = errors
    return page


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_log_a_session_on_a_phone(officer_page, live_server, live_app):
    page = officer_page
    page.goto(live_server.url("/forms/"))
    assert fits(page)
    shot(page, "forms")
    page.click("text=Buổi tuyên truyền")
    page.wait_for_url("**/forms/session/new")
    assert fits(page)
    from playwright.sync_api import expect

    materials = page.locator("#field-materials")
    expect(materials).to_be_hidden()
    page.check("input[name=materials_handed_out][value=yes]")
    expect(materials).to_be_visible()
    page.check("input[name=materials_handed_out][value=no]")
    expect(materials).to_be_hidden()
    # The form's own rules stop an empty form on the phone: each message beside its field, nothing
    # posted, nothing put in the outbox, nothing stored.
    posted = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    page.click("form.spec-form button[type=submit]")
    page.wait_for_selector("#field-presenter .js-error")
    beside = {
        name: page.locator(f"#field-{name} .js-error").inner_text()
        for name in ("start_time", "residential_group", "channel", "topics", "presenter", "attendees_total")
    }
    assert beside == {name: SESSION_REQUIRED[name] for name in beside}
    assert "Chưa lưu" in page.locator(".outbox-status").inner_text()
    assert page.evaluate("import('/static/js/outbox.js').then(async (m) => (await m.list()).length)") == 0
    assert posted == [] and page.url.endswith("/forms/session/new")
    with live_app.app_context():
        assert get_db()["submissions"].count == 0
    page.fill("input[name=date]", "2026-11-20")
    page.fill("input[name=start_time]", "08:30")
    page.select_option("select[name=residential_group]", label="Thôn Khuổi Phường")
    page.select_option("select[name=channel]", "village_meeting")
    page.check("input[name=topics][value=survey_participation]")
    page.fill("input[name=presenter]", "Nguyễn Thị Hoa")
    page.fill("input[name=attendees_total]", "35")
    page.fill("input[name=location__lat]", "22.25")
    page.fill("input[name=location__lon]", "104.45")
    shot(page, "session-form")
    page.click("form.spec-form button[type=submit]")
    page.wait_for_url("**/records/*")
    assert "Đã lưu bản ghi." in page.text_content(".flash")
    assert "20/11/2026" in page.text_content(".values") and "Thôn Khuổi Phường" in page.text_content(".values")
    assert fits(page)
    shot(page, "record")
    page.click("text=Lịch sử")
    page.wait_for_url("**/history")
    assert fits(page)
    page.goto(live_server.url("/records/"))
    assert "1 bản ghi" in page.text_content("main") and fits(page)
    shot(page, "records")
    for button in page.query_selector_all("main button, .option"):
        box = button.bounding_box()
        if box:
            assert box["height"] >= 44
    assert page.errors == []


def test_record_built_by_the_page_script_is_accepted_by_the_api(officer_page, live_server):
    """static/js/record.js reads the form into the API's shape; the real browser sends Origin."""
    page = officer_page
    page.goto(live_server.url("/forms/poster/new"))
    page.fill("input[name=date]", "2026-11-21")
    page.fill("input[name=poster_code]", "BH-0007")
    page.check("input[name=action][value=checked]")
    page.check("input[name=status][value=damaged]")
    page.select_option("select[name=residential_group]", label="Thôn Bảo Vinh")
    page.fill("input[name=location__lat]", "22.2")
    page.fill("input[name=location__lon]", "104.4")
    result = page.evaluate(
        """async () => {
        const { recordFromForm } = await import('/static/js/record.js');
        const record = recordFromForm(document.querySelector('form[data-form-id]'));
        const send = () => fetch('/api/v1/submissions', {method: 'POST', body: JSON.stringify(record),
          headers: {'Content-Type': 'application/json', 'X-Requested-With': 'fieldkit'}});
        const first = await send();
        const again = await send();
        const bare = await fetch('/api/v1/submissions', {method: 'POST', body: JSON.stringify(record),
          headers: {'Content-Type': 'application/json'}});
        return {record, statuses: [first.status, again.status, bare.status], body: await first.json()};
    }"""
    )
    assert result["statuses"] == [201, 200, 403], result["body"]
    data = result["record"]["data"]
    assert data["status"] == "damaged" and data["location"] == {"lat": 22.2, "lon": 104.4}
    assert result["record"]["form_version"] == 2 and len(result["record"]["uuid"]) == 36
    assert [e for e in page.errors if "403" not in e] == []  # the bare post is refused on purpose
