"""Offline use in real Chromium at a Pixel 5 size: the service worker, the outbox, exactly-once sending.

Every test counts what the server stored, by uuid, to prove each record arrived exactly once.
"""

import itertools
import re
from functools import partial
from pathlib import Path

import pytest
from flask import jsonify, request

from fieldkit.errors import json_error
from fieldkit.offline import tls
from fieldkit.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    launch_chromium,
    new_phone,
    nss_home,
    sign_in,
    wait_js,
    wait_until,
)

from .outbox_pages import (
    API,
    FORM_ID,
    Watch,
    fill_and_send,
    loosen,
    offline_app,
    open_form_offline_ready,
    outbox_states,
    submit,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    live = LiveServer(offline_app(tmp_path))
    live.store = Watch(live.app)
    yield live
    live.stop()
    assert live.store.exceptions == [], "the server raised while answering"


# --- helpers -------------------------------------------------------------------------------------


# --- the checks of the issue ---------------------------------------------------------------------

ALL_SENT = "import('/static/js/outbox.js').then(async (m) => (await m.list()).every((r) => r.state === 'sent'))"


def test_offline_reload_submit_reconnect_sends_exactly_once(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)

    phone.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    assert page.locator("form[data-form-id=broadcast]").is_visible()
    submit(page, minutes=25)
    assert "Đã lưu vào hộp thư đi" in page.locator(".outbox-status").inner_text()
    assert server.store.count() == 0

    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 1, message="the record to arrive")
    wait_js(page, "/Đã gửi/.test(document.querySelector('.outbox-status').textContent)")
    [(uuid, data)] = server.store.records().items()
    assert data["minutes"] == 25 and data["topic"] == "grassroots_democracy_law"
    assert server.store.posts == [201]

    # A second online cycle, a page load and a forced send send nothing more; with nothing to
    # send, the outbox offers no "Gửi ngay".
    phone.set_offline(True)
    phone.set_offline(False)
    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox[data-ready] li[data-state=sent]")
    assert page.locator("#send-now").is_hidden()
    page.evaluate("import('/static/js/outbox.js').then((m) => m.flush({ force: true }))")
    assert server.store.posts == [201]
    assert server.store.uuids() == [uuid]
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
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    context.set_offline(True)
    submit(page)
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
        assert server.store.posts == [201]
    finally:
        context.close()


def test_fifty_records_queued_offline_all_arrive_once(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.set_offline(True)
    for n in range(50):
        submit(page, minutes=n + 1)
    assert len(outbox_states(page)) == 50

    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 50, timeout=30, message="50 records")
    wait_js(page, ALL_SENT)
    assert server.store.posts == [201] * 50
    assert sorted(d["minutes"] for d in server.store.records().values()) == list(range(1, 51))


def test_a_server_failing_now_and_then_causes_retries_not_duplicates(phone, server):
    """Every 3rd POST answers 500: alternately before storing, and after (the reply is lost)."""
    calls = itertools.count(1)
    after_storing = {}
    failed_before = []
    lost_replies = []

    @server.app.before_request
    def fail_before():
        if request.method == "POST" and request.path == API:
            n = next(calls)
            if n % 3 == 0 and n % 2 == 0:
                failed_before.append(n)
                return json_error(500)
            after_storing["fail"] = n % 3 == 0

    @server.app.after_request
    def fail_after(response):
        # A Response, not a (body, status) tuple: the next after_request (Watch.count_posts) reads it.
        if request.method == "POST" and request.path == API and after_storing.pop("fail", False):
            lost_replies.append(response.status_code)
            failed = jsonify(error="boom")
            failed.status_code = 500
            return failed
        return response

    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.set_offline(True)
    for n in range(12):
        submit(page, minutes=n + 1)
    phone.set_offline(False)

    wait_until(lambda: server.store.count() == 12, timeout=30, message="12 records despite failures")
    wait_js(page, ALL_SENT, timeout=30)
    posts = server.store.posts  # what the phone was answered, POST by POST
    assert failed_before and 201 in lost_replies, "both kinds of failure happened"
    assert posts.count(201) + lost_replies.count(201) == 12  # each record stored once
    assert posts.count(201) + posts.count(200) == 12  # each acknowledged once; a lost 201 by a 200
    assert posts.count(500) == len(failed_before) + len(lost_replies)
    assert len(posts) == 12 + len(failed_before) + len(lost_replies)
    assert sorted(d["minutes"] for d in server.store.records().values()) == list(range(1, 13))


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "online"])
def test_expired_session_keeps_records_waiting_until_the_next_login(phone, server, offline):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.set_offline(offline)
    phone.clear_cookies()  # the session expires while the officer is in the field
    submit(page)  # online too, the page stays: nothing is posted to a login page
    phone.set_offline(False)
    wait_js(page, "/Đăng nhập lại để gửi/.test(document.querySelector('.outbox-status').textContent)")
    assert outbox_states(page) == ["waiting"]
    assert server.store.count() == 0

    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox-login", state="visible")
    sign_in(page, server.url)  # lands on /home, which sends the outbox
    wait_until(lambda: server.store.count() == 1, message="the record after logging in")


def test_a_refused_record_is_set_aside_corrected_and_resent_with_the_same_uuid(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    # An old copy of the page without today's rule: the server refuses 500 minutes (422).
    loosen(page, "minutes")
    phone.set_offline(True)
    submit(page, minutes=500)
    submit(page, minutes=30)  # does not wait behind the refused one
    phone.set_offline(False)
    wait_until(lambda: server.store.count() == 1, message="the good record")

    page.goto(server.url("/outbox"))
    rejected = page.locator("li[data-state=rejected]")
    rejected.wait_for()
    assert "Thời lượng không quá 180 phút." in rejected.inner_text()
    refused_uuid = rejected.get_attribute("data-uuid")
    rejected.locator("a").click()
    wait_js(page, "document.querySelector('[name=minutes]').value === '500'")
    assert page.locator(".js-error").inner_text() == "Thời lượng không quá 180 phút."
    page.fill("[name=minutes]", "90")
    page.click("form[data-form-id] button[type=submit]")
    wait_until(lambda: server.store.count() == 2, message="the corrected record")
    assert server.store.records()[refused_uuid]["minutes"] == 90


def test_online_the_form_posts_as_without_javascript_and_the_outbox_copy_is_confirmed(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    fill_and_send(page, minutes=20)
    page.wait_for_url("**/records/*")
    assert "Đã lưu bản ghi." in page.text_content(".flash")
    [uuid] = server.store.uuids()
    assert page.url.endswith(f"/records/{uuid}")
    wait_js(page, ALL_SENT)
    page.goto(server.url("/outbox"))
    page.wait_for_selector(f"li[data-state=sent][data-uuid='{uuid}']")
    assert server.store.posts == []  # the plain post carried it; the API was not needed


def test_a_refused_plain_post_takes_its_outbox_copy_back(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    loosen(page, "minutes")
    uuid = page.input_value("input[name=uuid]")
    fill_and_send(page, minutes=500)
    page.wait_for_selector(".has-error")
    wait_js(page, "import('/static/js/outbox.js').then(async (m) => (await m.list()).length === 0)")
    assert page.input_value("input[name=uuid]") == uuid
    page.fill("[name=minutes]", "50")
    page.click("form[data-form-id] button[type=submit]")
    page.wait_for_url(f"**/records/{uuid}")
    assert server.store.uuids() == [uuid]


DRAFT_HOLDS_42 = (
    "import('/static/js/drafts.js').then(async (m) => (await m.forForm('broadcast'))"
    ".some((d) => d.data.minutes === '42'))"
)


def test_one_draft_cannot_be_sent_from_two_tabs(phone, server):
    first = phone.new_page()
    sign_in(first, server.url)
    open_form_offline_ready(first, server.url)
    first.fill("[name=minutes]", "42")
    wait_js(first, DRAFT_HOLDS_42)  # saved as you type
    second = phone.new_page()
    second.goto(server.url(f"/forms/{FORM_ID}/new"))
    second.wait_for_selector(".outbox-status:not([hidden])")
    assert "thẻ khác" in second.locator(".outbox-status").inner_text()
    assert second.input_value("[name=minutes]") == ""
    assert first.input_value("input[name=uuid]") != second.input_value("input[name=uuid]")

    first.close()  # the draft is free again: a new tab reopens it
    third = phone.new_page()
    third.goto(server.url(f"/forms/{FORM_ID}/new"))
    wait_js(third, "document.querySelector('[name=minutes]').value === '42'")


def test_plain_http_origin_queues_and_sends_with_a_banner(server, playwright_instance):
    browser = launch_chromium(playwright_instance, host="lan.test")
    try:
        context = new_phone(playwright_instance, browser)
        page = context.new_page()
        lan = partial(server.url, host="lan.test")
        sign_in(page, lan)
        page.goto(lan(f"/forms/{FORM_ID}/new"))
        assert page.evaluate("window.isSecureContext") is False
        assert page.evaluate("'serviceWorker' in navigator") is False
        banner = page.locator("#insecure-banner")
        assert banner.is_visible()
        assert "Kết nối http" in banner.inner_text()
        assert banner.locator("a").get_attribute("href") == "/ca"
        assert banner.bounding_box()["height"] <= 80  # a line or two, not most of the first screen
        context.set_offline(True)
        submit(page)
        assert server.store.count() == 0
        context.set_offline(False)
        wait_until(lambda: server.store.count() == 1, message="the record over plain HTTP")
        assert server.store.posts == [201]
        banner.locator("[data-dismiss]").click()
        assert banner.is_hidden()
        page.goto(lan("/records/"))
        assert page.locator("#insecure-banner").is_hidden()  # said once: dismissed stays dismissed
    finally:
        browser.close()


def test_https_with_the_local_ca_registers_the_worker_and_works_offline(tmp_path, playwright_instance):

    app = offline_app(tmp_path)
    files = tls.TlsFiles(Path(app.instance_path) / tls.TLS_DIR)
    tls.ensure_certificates(files.folder, ("fieldkit.test",), ("127.0.0.1",))
    server = LiveServer(app, use_https=True)
    server.store = Watch(app)
    browser = launch_chromium(playwright_instance, nss_home(tmp_path / "trusted", files.ca_cert))
    try:
        context = new_phone(playwright_instance, browser)
        page = context.new_page()
        secure = partial(server.url, host="fieldkit.test")
        sign_in(page, secure)
        open_form_offline_ready(page, secure)
        assert page.url.startswith("https://fieldkit.test:")
        assert page.locator("#insecure-banner").is_hidden()
        context.set_offline(True)
        assert page.reload().from_service_worker
        submit(page)
        context.set_offline(False)
        wait_until(lambda: server.store.count() == 1, message="the record over HTTPS")
        assert server.store.posts == [201]
    finally:
        browser.close()
        server.stop()


# --- the small modules, in the browser ---------------------------------------------------------


def test_uuid_is_version_4_from_get_random_values(phone, server):
    page = phone.new_page()
    page.goto(server.url("/offline"))
    uuids = page.evaluate("import('/static/js/uuid.js').then((m) => Array.from({length: 2000}, m.uuid4))")
    assert len(set(uuids)) == 2000
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u) for u in uuids)
    static_js = Path(server.app.static_folder) / "js"
    assert not [f.name for f in static_js.glob("*.js") if "randomUUID(" in f.read_text()]


def test_backoff_doubles_with_jitter_up_to_a_cap(phone, server):
    page = phone.new_page()
    page.goto(server.url("/offline"))
    delays = page.evaluate(
        """import('/static/js/backoff.js').then((m) => [1, 2, 3, 4, 20].map((n) => [
            m.retryDelay(n, {baseMs: 1000, capMs: 10000, random: () => 0}),
            m.retryDelay(n, {baseMs: 1000, capMs: 10000, random: () => 1}),
        ]))"""
    )
    assert delays == [[500, 1000], [1000, 2000], [2000, 4000], [4000, 8000], [5000, 10000]]


ANSWERS = [
    (201, {}, "ok"),
    (200, {}, "ok"),
    (200, None, "retry"),
    (401, {}, "login"),
    (409, {}, "conflict"),
    (422, {}, "invalid"),
    (403, {}, "refused"),
    (400, None, "refused"),
    (500, None, "retry"),
    (503, None, "retry"),
    (429, None, "retry"),
    (0, None, "retry"),
]


def test_server_answers_are_sorted_into_what_the_outbox_does(phone, server):
    page = phone.new_page()
    page.goto(server.url("/offline"))
    got = page.evaluate(
        "(answers) => import('/static/js/connection.js').then((m) => answers.map(([s, j]) => m.classify(s, j)))",
        [[status, body] for status, body, _ in ANSWERS],
    )
    assert got == [kind for _, _, kind in ANSWERS]


def test_an_update_of_the_worker_keeps_every_form_openable_offline(phone, server, monkeypatch):
    """An update of Enketo's service worker left cached forms unavailable offline (enketo/enketo issue
    986): here the new version holds the forms before the old cache goes, even
    when it cannot fetch them itself (here: the session has expired)."""
    from fieldkit.offline import sw

    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    old = page.evaluate("caches.keys()")
    phone.clear_cookies()
    monkeypatch.setattr(sw, "version_stamp", lambda paths: "0123456789abcdef")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    wait_js(page, "caches.keys().then((keys) => keys.length === 1 && keys[0] === 'fieldkit-0123456789abcdef')")
    assert old != ["fieldkit-0123456789abcdef"]

    phone.set_offline(True)
    for form_id in ("broadcast", "session", "poster", "household_visit"):
        response = page.goto(server.url(f"/forms/{form_id}/new"))
        assert response.from_service_worker
        assert page.locator(f"form[data-form-id={form_id}]").is_visible()
    page.goto(server.url("/records/"))  # never cached: the offline page says so
    assert "Đang mất mạng" in page.locator("h1").inner_text()


def test_photos_shrink_to_1600_px_before_they_are_stored(phone, server):
    page = phone.new_page()
    page.goto(server.url("/offline"))
    sizes = page.evaluate(
        """async () => {
            const { shrink } = await import('/static/js/photos.js');
            const canvas = new OffscreenCanvas(4000, 3000);
            canvas.getContext('2d').fillRect(0, 0, 10, 10);
            const big = await canvas.convertToBlob({ type: 'image/png' });
            const small = await shrink(big);
            const bitmap = await createImageBitmap(small);
            return [small.type, bitmap.width, bitmap.height];
        }"""
    )
    assert sizes == ["image/jpeg", 1600, 1200]
