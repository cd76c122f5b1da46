"""The form's own rules on a 360 px phone: what the server would refuse never enters the outbox,
offline or online; each message stands beside its field, in the form's own Vietnamese words."""

import json

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group
from fieldkit.testing import BAO_HA, LiveServer, sign_in, wait_js, wait_until

from .form_cases import SESSION_REQUIRED
from .outbox_pages import Watch, offline_app, outbox_states

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    live = LiveServer(offline_app(tmp_path))
    live.store = Watch(live.app)
    with live.app.app_context():
        live.groups = [
            create_group(get_db(), SYSTEM, "test-site", BAO_HA, name) for name in ("Thôn Bảo Vinh", "Thôn Hòa")
        ]
    yield live
    live.stop()


@pytest.fixture
def page(phone, server):
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_default_timeout(20000)
    sign_in(page, server.url)
    return page


def open_session_form(page, url):
    page.goto(url("/forms/session/new"))
    wait_js(
        page,
        "navigator.serviceWorker.controller !== null && !!document.documentElement.dataset.offlineForms"
        " && document.querySelector('input[name=uuid]').value !== ''",
    )


def fill_session(page, total="30", women="", topic=True):
    page.fill("[name=date]", "2026-11-20")
    page.fill("[name=start_time]", "08:30")
    page.select_option("[name=residential_group]", label="Thôn Hòa")
    page.select_option("[name=channel]", "village_meeting")
    if topic:
        page.check("input[name=topics][value=survey_participation]")
    page.fill("[name=presenter]", "Lò Văn Minh")
    page.fill("[name=attendees_total]", total)
    page.fill("[name=attendees_women]", women)


def error_of(page, name):
    return page.locator(f"#field-{name} .error").inner_text()


def save(page):
    page.click("form[data-form-id] button[type=submit]")


def test_offline_a_broken_record_stays_on_the_phone_until_it_is_right_then_arrives_once(page, server, phone):
    open_session_form(page, server.url)
    phone.set_offline(True)
    page.reload()

    # A required group of check boxes with nothing ticked.
    fill_session(page, topic=False)
    save(page)
    page.wait_for_selector("#field-topics .error")
    assert error_of(page, "topics") == "Hãy chọn ít nhất một nội dung."
    assert page.evaluate("document.activeElement.name") == "topics"  # the first message is focused
    assert page.locator(".field .error").count() == 1

    # A part above its whole (at_most).
    page.check("input[name=topics][value=survey_participation]")
    page.fill("[name=attendees_women]", "31")
    save(page)
    wait_js(page, "!!document.querySelector('#field-attendees_women .error')")
    assert error_of(page, "attendees_women") == "Số nữ không được lớn hơn tổng số người dự."
    assert page.evaluate("document.activeElement.name") == "attendees_women"
    assert page.locator("#field-topics .error").count() == 0
    box = page.locator("#field-attendees_women .error").bounding_box()
    assert 0 <= box["y"] < 740  # scrolled into view
    assert outbox_states(page) == []

    # Put right (full-width digits read as digits), it is saved and, once online, sent once.
    page.fill("[name=attendees_women]", "１２")
    save(page)
    wait_until(lambda: outbox_states(page) == ["waiting"], message="the record in the outbox")
    assert server.store.posts == []
    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 1, message="the record to arrive")
    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox[data-ready] li[data-state=sent]")
    item = page.locator("li[data-state=sent]").inner_text()
    assert "Buổi tuyên truyền" in item and "Thôn Hòa" in item and "20/11/2026" in item
    [uuid] = server.store.uuids()
    assert uuid[:8] not in item and "Xoá" not in page.content()
    assert page.locator("li[data-state=rejected]").count() == 0
    assert server.store.posts == [201]
    [data] = server.store.records().values()
    assert data["attendees_women"] == 12 and data["topics"] == ["survey_participation"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_online_an_empty_form_shows_the_forms_messages_beside_each_field(page, server):
    page.goto(server.url("/forms/session/new"))
    page.wait_for_selector("form[novalidate]")
    assert page.input_value("[name=date]") != ""  # a new record starts at today
    page.fill("[name=date]", "")
    save(page)
    wait_js(page, "document.querySelectorAll('.field .error').length === 7")
    for name, message in SESSION_REQUIRED.items():
        assert error_of(page, name) == message
    assert page.evaluate("document.activeElement.name") == "date"
    assert page.url.endswith("/forms/session/new") and server.store.count() == 0
    assert outbox_states(page) == []
    # A field put right loses its message as soon as it changes.
    page.fill("[name=presenter]", "Lò Văn Minh")
    page.locator("[name=presenter]").blur()
    wait_js(page, "!document.querySelector('#field-presenter .error')")
    assert page.locator(".field .error").count() == 6
    # Nothing was saved, so the outbox has nothing to send and offers no button for it.
    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox[data-ready]")
    assert page.locator("#send-now").is_hidden() and page.locator("#clear-sent").is_hidden()


def test_a_link_fills_the_form_it_opens(page, server):
    group = server.groups[1]
    page.goto(server.url(f"/forms/broadcast/new?date=2026-11-25&topic=survey_participation&group={group['uuid']}"))
    page.wait_for_selector("form[novalidate]")
    assert page.input_value("[name=date]") == "2026-11-25"
    assert page.input_value("[name=topic]") == "survey_participation"
    assert page.input_value("[name=residential_group]") == group["uuid"]


def versions(server):
    with server.app.app_context():
        return [dict(row) for row in get_db()["submissions"].rows_where(order_by="id")]


def test_offline_a_sent_record_is_edited_as_a_new_version_with_the_same_rules(page, server, phone):
    open_session_form(page, server.url)
    fill_session(page)
    save(page)
    page.wait_for_url("**/records/*")  # online: the plain post
    wait_until(lambda: server.store.count() == 1, message="the first version")
    # The edit page, once opened, is kept for offline use; so is the outbox's own correction form.
    page.click("main a.button[href$='/edit']")
    page.wait_for_url("**/edit")
    edit_url = page.url
    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox[data-ready] li[data-state=sent]")

    phone.set_offline(True)
    page.click("li[data-state=sent] a.button")
    wait_js(page, "document.querySelector('[name=attendees_total]').value === '30'")
    page.fill("[name=attendees_women]", "40")
    save(page)
    wait_js(page, "!!document.querySelector('#field-attendees_women .error')")
    assert error_of(page, "attendees_women") == "Số nữ không được lớn hơn tổng số người dự."
    page.fill("[name=attendees_total]", "45")
    save(page)
    wait_until(lambda: "waiting" in outbox_states(page), message="the new version in the outbox")

    page.goto(edit_url)  # from the worker's cache
    page.fill("[name=presenter]", "\u200b")
    save(page)
    wait_js(page, "!!document.querySelector('#field-presenter .error')")
    assert error_of(page, "presenter") == "Hãy nhập tên người trình bày."
    assert server.store.count() == 1

    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 2, message="the new version to arrive")
    first, second = versions(server)
    assert second["replaces_uuid"] == first["uuid"] and second["root_uuid"] == first["uuid"]
    assert json.loads(second["data"])["attendees_total"] == 45


def test_a_draft_that_cannot_be_saved_says_so(page, server):
    page.goto(server.url("/forms/broadcast/new"))
    wait_js(page, "document.querySelector('input[name=uuid]').value !== ''")  # the draft is held
    page.evaluate(
        """() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (value) {
            if (this.name === 'drafts') throw new DOMException('full', 'QuotaExceededError');
            return put.call(this, value);
        };
    }"""
    )
    page.fill("[name=minutes]", "15")
    page.wait_for_selector(".outbox-status.flash-error")
    assert "Không lưu được bản nháp trên máy" in page.locator(".outbox-status").inner_text()
