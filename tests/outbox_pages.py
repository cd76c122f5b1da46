"""The outbox seen from both ends, for the browser tests of offline sending: what the server stored
and answered, and what the phone's outbox holds."""

import json

from flask import request

from fieldkit.db import get_db
from fieldkit.testing import make_app

RETRY_BASE_MS = 50  # short backoff so retries happen within the test
API = "/api/v1/submissions"


def offline_app(tmp_path, **overrides):
    """An app as in real use (CSRF on) whose phones retry after RETRY_BASE_MS."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False, OUTBOX_RETRY_BASE_MS=RETRY_BASE_MS, **overrides)


class Watch:
    """What the server holds (rows by uuid, from the database) and every POST it answered."""

    def __init__(self, app):
        self.app = app
        self.posts = []

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
