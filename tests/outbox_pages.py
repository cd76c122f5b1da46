"""The outbox seen from both ends, for the browser tests of offline sending: what the server stored
and answered, and what the phone's outbox holds."""

import json

from flask import got_request_exception, request

from fieldkit.db import get_db
from fieldkit.testing import make_app, wait_js, wait_until

RETRY_BASE_MS = 50  # short backoff so retries happen within the test
API = "/api/v1/submissions"
FORM_ID = "broadcast"  # the form the offline tests fill: the short loudspeaker log


def offline_app(tmp_path, **overrides):
    """An app as in real use (CSRF on) whose phones retry after RETRY_BASE_MS."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False, OUTBOX_RETRY_BASE_MS=RETRY_BASE_MS, **overrides)


class Watch:
    """What the server holds (rows by uuid, from the database), every POST it answered, and every
    exception it raised (a test hook or the app failing would otherwise hide behind a 500)."""

    def __init__(self, app):
        self.app = app
        self.posts = []
        self.exceptions = []
        got_request_exception.connect(lambda sender, exception, **extra: self.exceptions.append(exception), app, False)

        @app.after_request
        def count_posts(response):
            if request.method == "POST" and request.path == API:
                self.posts.append(response.status_code)
            return response

    def uuids(self):
        with self.app.app_context():
            return [row["uuid"] for row in get_db()["submissions"].rows]

    def records(self):
        with self.app.app_context():
            return {row["uuid"]: json.loads(row["data"]) for row in get_db()["submissions"].rows}

    def count(self):
        uuids = self.uuids()
        assert len(uuids) == len(set(uuids))
        return len(uuids)


def outbox_states(page):
    return page.evaluate(
        """() => import('/static/js/outbox.js').then(async (m) => (await m.list()).map((r) => r.state))"""
    )


def open_form_offline_ready(page, url):
    """Open the form and wait until the service worker controls it and holds every form."""
    page.goto(url(f"/forms/{FORM_ID}/new"))
    try:
        wait_js(
            page,
            "navigator.serviceWorker.controller !== null && !!document.documentElement.dataset.offlineForms"
            " && document.querySelector('input[name=uuid]').value !== ''",
        )  # the page script holds a draft
    except AssertionError:
        print(
            "DIAG",
            page.url,
            page.evaluate(
                "navigator.serviceWorker.getRegistration().then(r => "
                "[!!navigator.serviceWorker.controller, document.documentElement.dataset.offlineForms, "
                "r && r.installing && r.installing.state, r && r.waiting && r.waiting.state, "
                "r && r.active && r.active.state, document.readyState])"
            ),
        )
        raise


def fill_and_send(page, minutes=15):
    """Fill the broadcast form and press its button."""
    page.fill("[name=date]", "2026-11-20")
    page.fill("[name=time]", "07:30")
    page.select_option("[name=topic]", "grassroots_democracy_law")
    page.fill("[name=minutes]", str(minutes))
    page.click("form[data-form-id] button[type=submit]")


def submit(page, minutes=15):
    """Fill and send the form offline, and wait until the record is in the outbox."""
    before = len(outbox_states(page))
    fill_and_send(page, minutes)
    wait_until(lambda: len(outbox_states(page)) == before + 1, message="the record in the outbox")
    wait_js(page, "document.querySelector('[name=minutes]').value === ''")


def loosen(page, name, rule="max"):
    """Make the page an old copy whose definition lacked a rule the server has now."""
    page.evaluate(
        """([name, rule]) => {
        const node = document.getElementById('form-definition');
        const definition = JSON.parse(node.textContent);
        definition.fields.find((f) => f.name === name)[rule] = null;
        node.textContent = JSON.stringify(definition);
    }""",
        [name, rule],
    )
