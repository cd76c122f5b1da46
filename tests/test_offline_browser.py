"""Offline use in real Chromium at a Pixel 5 size: the service worker, the outbox, exactly-once sending.

Every test counts what the server stored, by uuid, to prove each record arrived exactly once.
"""

import itertools
import time

import pytest
from flask import Blueprint, jsonify, render_template_string, request, session

from .conftest import BAO_HA, CHROMIUM, CHROMIUM_ARGS, PASSWORD, LiveServer, make_app

pytestmark = pytest.mark.browser

FORM_ID = "demo"
RETRY_BASE_MS = 50  # short backoff so retries happen within the test
WAIT_S = 15


# --- a stand-in for the forms area: a form page and the submissions API, test-only --------------

FORM_PAGE = """{% extends "base.html" %}
{% block title %}Biểu mẫu thử{% endblock %}
{% block content %}
<h1>Biểu mẫu thử</h1>
<form method="post" data-form-id="demo" data-form-version="1" data-commune="02989" class="stack">
  <input type="hidden" name="uuid" value="">
  <div class="field"><label for="presenter">Người trình bày</label>
    <input id="presenter" name="presenter" type="text" required></div>
  <div class="field"><label for="attendees">Số người dự</label>
    <input id="attendees" name="attendees" type="number" min="0"></div>
  <fieldset class="field"><legend>Nội dung</legend>
    <label><input type="checkbox" name="topics" value="papi"> PAPI</label>
    <label><input type="checkbox" name="topics" value="law"> Luật</label></fieldset>
  <button type="submit" class="primary">Lưu</button>
</form>
{% endblock %}
{% block scripts %}<script type="module" src="/static/js/formpage.js"></script>{% endblock %}"""

DEFINITION = {
    "id": FORM_ID,
    "version": 1,
    "title": "Biểu mẫu thử",
    "fields": [
        {"name": "presenter", "type": "text", "label": "Người trình bày", "required": True},
        {"name": "attendees", "type": "integer", "label": "Số người dự", "required": False},
        {"name": "topics", "type": "multi_choice", "label": "Nội dung", "required": False},
    ],
}


class FakeServer:
    """What the server holds: uuid -> data, and every POST it saw."""

    def __init__(self):
        self.records = {}
        self.posts = []

    def count(self):
        return len(self.records)


def fake_forms_blueprint(store):
    bp = Blueprint("fake_forms", __name__)

    @bp.get("/forms/<form_id>/new")
    def form_page(form_id):
        return render_template_string(FORM_PAGE)

    @bp.get("/api/v1/forms")
    def forms():
        return jsonify([{"id": FORM_ID, "version": 1, "title": DEFINITION["title"]}])

    @bp.get("/api/v1/forms/<form_id>")
    def definition(form_id):
        return jsonify(DEFINITION)

    @bp.post("/api/v1/submissions")
    def submit():
        if "user_id" not in session:
            return jsonify(error="login_required"), 401
        if request.headers.get("X-Requested-With") != "fieldkit":
            return jsonify(error="forbidden"), 403
        body = request.get_json()
        store.posts.append(body["uuid"])
        if body["data"].get("presenter") == "sai":
            return jsonify(errors={"presenter": "Tên người trình bày không hợp lệ."}), 422
        known = store.records.get(body["uuid"])
        if known is not None:
            return (jsonify(status="unchanged"), 200) if known == body["data"] else (jsonify(status="conflict"), 409)
        store.records[body["uuid"]] = body["data"]
        return jsonify(status="created", uuid=body["uuid"]), 201

    return bp


def offline_app(tmp_path, **overrides):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False, OUTBOX_RETRY_BASE_MS=RETRY_BASE_MS, **overrides)
    store = FakeServer()
    blueprint = fake_forms_blueprint(store)
    app.extensions["csrf"].exempt(blueprint)  # like the real API: a header and the session instead
    app.register_blueprint(blueprint)
    app.extensions["fake_server"] = store
    return app


@pytest.fixture
def server(tmp_path):
    live = LiveServer(offline_app(tmp_path))
    live.store = live.app.extensions["fake_server"]
    yield live
    live.stop()


# --- helpers -------------------------------------------------------------------------------------


def wait_until(condition, timeout=WAIT_S, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def wait_js(page, expression, timeout=WAIT_S):
    """Poll a JavaScript expression until it is truthy (page.wait_for_function polls with eval,
    which the CSP forbids)."""
    wait_until(lambda: page.evaluate(expression), timeout=timeout, message=expression)


def login(page, url):
    page.goto(url("/login"))
    page.fill("#username", "officer")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/home")


def open_form_offline_ready(page, url):
    """Open the form and wait until the service worker controls it and holds every form."""
    page.goto(url(f"/forms/{FORM_ID}/new"))
    wait_js(page, "navigator.serviceWorker.controller !== null && !!document.documentElement.dataset.offlineForms")


def submit(page, presenter, attendees="12"):
    """Fill the form, submit it, and wait until the record is in the outbox."""
    before = len(outbox_states(page))
    page.fill("#presenter", presenter)
    page.fill("#attendees", attendees)
    page.check("input[name=topics][value=papi]")
    page.click("form[data-form-id] button[type=submit]")
    wait_until(lambda: len(outbox_states(page)) == before + 1, message="the record in the outbox")
    wait_js(page, "document.querySelector('#presenter').value === ''")


def outbox_states(page):
    return page.evaluate(
        """() => import('/static/js/outbox.js').then(async (m) => (await m.list()).map((r) => r.state))"""
    )


# --- the checks of the issue ---------------------------------------------------------------------


def test_offline_reload_submit_reconnect_sends_exactly_once(phone, server):
    page = phone.new_page()
    login(page, server.url)
    open_form_offline_ready(page, server.url)

    phone.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    assert page.locator("h1").inner_text() == "Biểu mẫu thử"
    submit(page, "Nguyễn Thị Hoa")
    assert "Đã lưu vào hộp thư đi" in page.locator(".outbox-status").inner_text()
    assert server.store.count() == 0

    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 1, message="the record to arrive")
    wait_js(page, "/Đã gửi/.test(document.querySelector('.outbox-status').textContent)")
    [(uuid, data)] = server.store.records.items()
    assert data == {"presenter": "Nguyễn Thị Hoa", "attendees": "12", "topics": ["papi"]}
    assert server.store.posts == [uuid]

    # A second online cycle, and a page load, send nothing more.
    phone.set_offline(True)
    phone.set_offline(False)
    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox[data-ready] li[data-state=sent]")
    page.click("#send-now")
    page.wait_for_timeout(500)
    assert server.store.posts == [uuid]
    assert outbox_states(page) == ["sent"]


def test_a_record_queued_offline_survives_closing_the_browser(tmp_path, server, playwright_instance):
    profile = tmp_path / "profile"
    pixel = {k: v for k, v in playwright_instance.devices["Pixel 5"].items() if k != "default_browser_type"}

    def launch():
        return playwright_instance.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="vi-VN", **pixel
        )

    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    login(page, server.url)
    open_form_offline_ready(page, server.url)
    context.set_offline(True)
    submit(page, "Lò Văn Minh")
    context.close()
    assert server.store.count() == 0

    context = launch()
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(server.url("/outbox"))
        wait_until(lambda: server.store.count() == 1, message="the record after reopening")
        page.wait_for_selector("li[data-state=sent]")
        page.reload()
        page.wait_for_selector("#outbox[data-ready] li[data-state=sent]")
        assert len(server.store.posts) == 1
    finally:
        context.close()


def test_fifty_records_queued_offline_all_arrive_once(phone, server):
    page = phone.new_page()
    login(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.set_offline(True)
    for n in range(50):
        submit(page, f"Người trình bày {n}", attendees=str(n))
    assert len(outbox_states(page)) == 50

    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 50, timeout=30, message="50 records")
    wait_js(page, 
        "import('/static/js/outbox.js').then(async (m) => (await m.list()).every((r) => r.state === 'sent'))"
    )
    assert sorted(server.store.posts) == sorted(server.store.records)
    assert {d["presenter"] for d in server.store.records.values()} == {f"Người trình bày {n}" for n in range(50)}


def test_a_server_failing_now_and_then_causes_retries_not_duplicates(phone, server):
    """Every 3rd POST answers 500; half of those after storing the record (the reply is lost)."""
    calls = itertools.count(1)

    @server.app.after_request
    def flaky(response):
        if request.method == "POST" and request.path == "/api/v1/submissions":
            n = next(calls)
            if n % 3 == 0:
                if n % 2 == 0:  # failed before storing: take the record back out
                    server.store.records.pop(request.get_json()["uuid"], None)
                return jsonify(error="boom"), 500
        return response

    page = phone.new_page()
    login(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.set_offline(True)
    for n in range(12):
        submit(page, f"Cán bộ {n}")
    phone.set_offline(False)

    wait_until(lambda: server.store.count() == 12, timeout=30, message="12 records despite failures")
    wait_js(page, 
        "import('/static/js/outbox.js').then(async (m) => (await m.list()).every((r) => r.state === 'sent'))"
    )
    assert len(server.store.posts) > 12  # there were retries
    assert set(server.store.posts) == set(server.store.records)


def test_expired_session_keeps_records_waiting_until_the_next_login(phone, server):
    page = phone.new_page()
    login(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.clear_cookies()  # the session expires while the officer is in the field
    submit(page, "Giàng Thị Mai")
    wait_js(page, "/Đăng nhập lại để gửi/.test(document.querySelector('.outbox-status').textContent)")
    assert outbox_states(page) == ["waiting"]
    assert server.store.count() == 0

    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox-login", state="visible")
    login(page, server.url)  # lands on /home, which sends the outbox
    wait_until(lambda: server.store.count() == 1, message="the record after logging in")


def test_a_refused_record_is_set_aside_corrected_and_resent_with_the_same_uuid(phone, server):
    page = phone.new_page()
    login(page, server.url)
    open_form_offline_ready(page, server.url)
    submit(page, "sai")  # the fake server refuses this name with a 422
    submit(page, "Vàng A Páo")  # does not wait behind the refused one
    wait_until(lambda: server.store.count() == 1, message="the good record")

    page.goto(server.url("/outbox"))
    rejected = page.locator("li[data-state=rejected]")
    rejected.wait_for()
    assert "Tên người trình bày không hợp lệ." in rejected.inner_text()
    refused_uuid = rejected.get_attribute("data-uuid")
    rejected.locator("a").click()
    wait_js(page, "document.querySelector('#presenter').value === 'sai'")
    assert page.locator(".js-error").inner_text() == "Tên người trình bày không hợp lệ."
    page.fill("#presenter", "Vàng Thị Dung")
    page.click("form[data-form-id] button[type=submit]")
    wait_until(lambda: server.store.count() == 2, message="the corrected record")
    assert server.store.records[refused_uuid]["presenter"] == "Vàng Thị Dung"


def test_one_draft_cannot_be_sent_from_two_tabs(phone, server):
    first = phone.new_page()
    login(first, server.url)
    open_form_offline_ready(first, server.url)
    first.fill("#presenter", "Bản nháp")
    first.wait_for_timeout(600)  # saved as you type
    second = phone.new_page()
    second.goto(server.url(f"/forms/{FORM_ID}/new"))
    second.wait_for_selector(".outbox-status:not([hidden])")
    assert "thẻ khác" in second.locator(".outbox-status").inner_text()
    assert second.input_value("#presenter") == ""
    assert first.input_value("input[name=uuid]") != second.input_value("input[name=uuid]")

    first.close()  # the draft is free again: a new tab reopens it
    third = phone.new_page()
    third.goto(server.url(f"/forms/{FORM_ID}/new"))
    wait_js(third, "document.querySelector('#presenter').value === 'Bản nháp'")


def test_plain_http_origin_queues_and_sends_with_a_banner(server, playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP lan.test 127.0.0.1"]
    )
    try:
        context = browser.new_context(**playwright_instance.devices["Pixel 5"], locale="vi-VN")
        page = context.new_page()
        lan = lambda path: server.url(path, host="lan.test")  # noqa: E731
        login(page, lan)
        page.goto(lan(f"/forms/{FORM_ID}/new"))
        assert page.evaluate("window.isSecureContext") is False
        assert page.evaluate("'serviceWorker' in navigator") is False
        banner = page.locator("#insecure-banner")
        assert banner.is_visible()
        assert "chưa bảo mật" in banner.inner_text()
        assert banner.locator("a").get_attribute("href") == "/ca"
        context.set_offline(True)
        submit(page, "Hoàng Văn Tú")
        assert server.store.count() == 0
        context.set_offline(False)
        wait_until(lambda: server.store.count() == 1, message="the record over plain HTTP")
        assert len(server.store.posts) == 1
    finally:
        browser.close()
