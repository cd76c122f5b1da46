"""Every answer the server can give to the outbox, driven through the real form and outbox pages.

A record the server refuses (409 another copy, 403 another commune, 422 invalid) is set aside and
kept; a server error or a lost answer is retried after the server's backoff; a lost session waits
for the next login; only 201 and 200 mark a record sent, and only sent records are cleared.
Each check reads the record in IndexedDB, the outbox page the officer sees, and what the server holds.
"""

import pytest
from flask import request

from fieldkit.errors import json_error
from fieldkit.testing import PHO_LU, LiveServer, make_app, sign_in, wait_js

from .outbox_pages import API, Watch, loosen, open_form_offline_ready, submit

pytestmark = pytest.mark.browser

# Backoff long enough that no retry happens by itself during a test: every resend is one we cause.
RETRY_BASE_MS = 60_000
RETRY_CAP_MS = 120_000
BROKEN_MINUTES = 14  # the server answers 500 to a record of this length

SETTLED = (
    "import('/static/js/outbox.js').then(async (m) => (await m.list())"
    ".every((r) => !['waiting', 'sending'].includes(r.state)))"
)

# What the officer reads on /outbox for each state (the template's words).
STATE_WORDS = {
    "waiting": "Chờ gửi",
    "failed": "Gửi lỗi, sẽ thử lại",
    "rejected": "Bị từ chối",
    "sent": "Đã gửi",
}


@pytest.fixture
def server(tmp_path):
    app = make_app(
        tmp_path,
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        OUTBOX_RETRY_BASE_MS=RETRY_BASE_MS,
        OUTBOX_RETRY_CAP_MS=RETRY_CAP_MS,
    )

    @app.before_request
    def server_error():
        if request.method == "POST" and request.path == API:
            body = request.get_json(silent=True) or {}
            if (body.get("data") or {}).get("minutes") == BROKEN_MINUTES:
                return json_error(500)

    live = LiveServer(app)
    live.store = Watch(app)
    yield live
    live.stop()
    assert live.store.exceptions == [], "the server raised while answering"


def outbox_records(page):
    """The records in the phone's IndexedDB outbox, by uuid."""
    return page.evaluate(
        """() => import('/static/js/outbox.js').then(async (m) => Object.fromEntries((await m.list()).map((r) =>
            [r.uuid, {state: r.state, kind: r.kind || null, status: r.status, reason: r.reason, errors: r.errors,
             attempts: r.attempts, next_try: r.next_try, updated: Date.parse(r.updated),
             minutes: r.data.minutes}])))"""
    )


def uuid_of(records, minutes):
    [uuid] = [u for u, r in records.items() if r["minutes"] == minutes]
    return uuid


def shown(page, uuid):
    """The outbox page's line for a record: its state and everything it says."""
    item = page.locator(f"#outbox-list li[data-uuid='{uuid}']")
    return item.get_attribute("data-state"), item.locator(".badge").inner_text(), item.inner_text()


def open_outbox(page, server):
    page.goto(server.url("/outbox"))
    page.wait_for_selector("#outbox[data-ready] #outbox-list li[data-uuid]")


POST_OTHER_COPY = """async ([uuid, minutes]) => {
    const form = document.querySelector('form[data-form-id]');
    const response = await fetch('/api/v1/submissions', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'fieldkit'},
        body: JSON.stringify({uuid, form_id: form.dataset.formId, form_version: Number(form.dataset.formVersion),
            commune: form.dataset.commune,
            data: {date: '2026-11-19', time: '06:00', topic: 'grassroots_democracy_law', minutes}})});
    return response.status;
}"""


def test_refused_records_are_set_aside_kept_and_never_cleared_as_sent(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    # 409: the server already holds another copy under the uuid this form's draft will be sent with.
    conflict_uuid = page.input_value("input[name=uuid]")
    assert page.evaluate(POST_OTHER_COPY, [conflict_uuid, 99]) == 201
    server.store.posts.clear()

    phone.set_offline(True)
    submit(page, minutes=12)  # 409
    submit(page, minutes=11)  # 201
    page.evaluate(f"document.querySelector('form[data-form-id]').dataset.commune = '{PHO_LU}'")
    submit(page, minutes=13)  # 403: a commune this officer does not hold
    page.evaluate("document.querySelector('form[data-form-id]').dataset.commune = '02989'")
    submit(page, minutes=BROKEN_MINUTES)  # 500
    loosen(page, "minutes")  # an old copy of the page, without today's rule
    submit(page, minutes=500)  # 422
    assert server.store.posts == []  # offline: nothing was tried

    phone.set_offline(False)  # back online: the outbox sends everything that waits
    wait_js(page, SETTLED)
    records = outbox_records(page)
    assert uuid_of(records, 12) == conflict_uuid
    by_answer = {
        status: uuid_of(records, minutes)
        for status, minutes in ((201, 11), (409, 12), (403, 13), (500, BROKEN_MINUTES), (422, 500))
    }
    assert sorted(server.store.posts) == [201, 403, 409, 422, 500]

    states = {
        status: (records[u]["state"], records[u]["kind"], records[u]["status"]) for status, u in by_answer.items()
    }
    assert states == {
        201: ("sent", None, 201),
        409: ("rejected", "conflict", 409),
        403: ("rejected", "refused", 403),
        422: ("rejected", "invalid", 422),
        500: ("failed", None, 500),
    }
    assert records[by_answer[422]]["errors"] == {"minutes": "Thời lượng không quá 180 phút."}
    # The retry waits what the server's settings say: attempt 1 waits between half and all of the base.
    broken = records[by_answer[500]]
    assert broken["reason"] == "server" and broken["attempts"] == 1
    assert RETRY_BASE_MS / 2 - 2000 <= broken["next_try"] - broken["updated"] <= RETRY_BASE_MS

    # The server holds the one good record, and still its own copy of the conflicting uuid.
    held = server.store.records()
    assert set(held) == {conflict_uuid, by_answer[201]}
    assert held[conflict_uuid]["minutes"] == 99 and held[by_answer[201]]["minutes"] == 11

    # The form page follows the last record it saved (the 422): the officer reads why, beside a link.
    status_line = page.locator(".outbox-status").inner_text()
    assert "Máy chủ chưa nhận bản ghi" in status_line and "Thời lượng không quá 180 phút." in status_line

    # What the officer sees, in Vietnamese, on the outbox page.
    open_outbox(page, server)
    state, badge, words = shown(page, by_answer[201])
    assert (state, badge) == ("sent", STATE_WORDS["sent"])
    state, badge, words = shown(page, by_answer[409])
    assert (state, badge) == ("rejected", STATE_WORDS["rejected"])
    assert "Máy chủ đã có một bản khác của bản ghi này" in words
    state, badge, words = shown(page, by_answer[403])
    assert (state, badge) == ("rejected", STATE_WORDS["rejected"])
    assert "không được gửi bản ghi của xã này" in words
    state, badge, words = shown(page, by_answer[422])
    assert (state, badge) == ("rejected", STATE_WORDS["rejected"])
    assert "Thời lượng không quá 180 phút." in words and "Sửa và gửi lại" in words
    state, badge, words = shown(page, by_answer[500])
    assert (state, badge) == ("failed", STATE_WORDS["failed"])
    assert "Máy chủ đang gặp lỗi" in words and "Thử lại lúc" in words and "Số lần gửi: 1" in words

    # "Clear sent" takes the sent record only: everything refused or failing stays on the phone.
    page.click("#clear-sent")
    page.locator(f"#outbox-list li[data-uuid='{by_answer[201]}']").wait_for(state="detached")
    assert page.locator("#clear-sent").is_hidden()
    left = outbox_records(page)
    assert set(left) == {by_answer[s] for s in (409, 403, 422, 500)}
    assert {s: left[by_answer[s]]["state"] for s in (409, 403, 422, 500)} == {
        409: "rejected",
        403: "rejected",
        422: "rejected",
        500: "failed",
    }
    for status in (409, 403, 422, 500):
        assert shown(page, by_answer[status])[0] in ("rejected", "failed")

    # "Thử gửi lại" on the refused record sends it again; refused again, it is kept again.
    refused = by_answer[403]
    page.locator(f"#outbox-list li[data-uuid='{refused}'] button").click()
    wait_js(
        page,
        f"import('/static/js/store.js').then(async (m) => {{ const r = await m.get('outbox', '{refused}');"
        " return r.attempts === 2 && r.state === 'rejected'; })",
    )
    page.wait_for_selector(f"#outbox-list li[data-uuid='{refused}'][data-state=rejected]")
    assert server.store.posts.count(403) == 2


def test_a_lost_answer_is_resent_and_acknowledged_and_a_lost_session_waits(phone, server):
    page = phone.new_page()
    sign_in(page, server.url)
    open_form_offline_ready(page, server.url)
    phone.set_offline(True)
    submit(page, minutes=21)

    # The server stores the record, but its answer never reaches the phone (the connection drops).
    lost = []

    def drop_the_first_answer(route):
        if lost:
            route.continue_()
            return
        lost.append(route.fetch().status)
        route.abort("connectionreset")

    page.route(f"**{API}", drop_the_first_answer)
    phone.set_offline(False)
    wait_js(page, SETTLED)
    [uuid] = outbox_records(page)
    record = outbox_records(page)[uuid]
    assert lost == [201] and server.store.uuids() == [uuid]
    assert (record["state"], record["reason"], record["status"]) == ("failed", "network", 0)
    assert RETRY_BASE_MS / 2 - 2000 <= record["next_try"] - record["updated"] <= RETRY_BASE_MS

    open_outbox(page, server)
    state, badge, words = shown(page, uuid)
    assert (state, badge) == ("failed", STATE_WORDS["failed"])
    assert "Không kết nối được máy chủ" in words
    # Offline, the page says so and "send now" does not even try (no attempt is spent).
    phone.set_offline(True)
    page.wait_for_selector("#outbox-offline", state="visible")
    page.click("#send-now")
    assert page.evaluate("import('/static/js/outbox.js').then((m) => m.flush({ force: true }))") == 0
    assert outbox_records(page)[uuid]["state"] == "failed" and outbox_records(page)[uuid]["attempts"] == 1
    assert server.store.posts == [201]
    # Online again, the outbox resends by itself, before its backoff is due: the server answers
    # "already have it" (200), which marks the record sent.
    phone.set_offline(False)
    page.wait_for_selector("#outbox-offline", state="hidden")
    page.wait_for_selector(f"#outbox-list li[data-uuid='{uuid}'][data-state=sent]")
    assert server.store.posts == [201, 200] and server.store.uuids() == [uuid]

    # A session that ended: the next record waits, untouched, for a login; "clear sent" keeps it.
    page.goto(server.url("/forms/broadcast/new"))
    wait_js(page, "document.querySelector('input[name=uuid]').value !== ''")
    phone.clear_cookies()
    submit(page, minutes=22)
    wait_js(page, "/Đăng nhập lại để gửi/.test(document.querySelector('.outbox-status').textContent)")
    waiting = uuid_of(outbox_records(page), 22)
    assert outbox_records(page)[waiting]["state"] == "waiting"
    assert server.store.uuids() == [uuid]
    open_outbox(page, server)
    page.wait_for_selector("#outbox-login", state="visible")
    assert shown(page, waiting)[:2] == ("waiting", STATE_WORDS["waiting"])
    page.click("#clear-sent")
    page.locator(f"#outbox-list li[data-uuid='{uuid}']").wait_for(state="detached")
    assert list(outbox_records(page)) == [waiting]

    sign_in(page, server.url)  # lands on /home, which sends the outbox
    wait_js(page, SETTLED)
    assert outbox_records(page)[waiting]["state"] == "sent"
    assert set(server.store.uuids()) == {uuid, waiting}
