"""What the server gives the scripts, used by them in Chromium: the outbox waits as long as config.py
says, and a form's GPS button speaks the page's words (the one attribute vocabulary of gps.js)."""

import pytest
from flask import jsonify, request

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import close_connections, get_db
from fieldkit.rosters.groups import create_group
from fieldkit.testing import BAO_HA, LiveServer, make_app, sign_in, wait_js

pytestmark = pytest.mark.browser

BASE_MS = 10 * 60 * 1000  # far from any default: a script with its own setting would show
CAP_MS = 60 * 60 * 1000


@pytest.fixture
def server(tmp_path):
    app = make_app(
        tmp_path, WTF_CSRF_ENABLED=True, TESTING=False, OUTBOX_RETRY_BASE_MS=BASE_MS, OUTBOX_RETRY_CAP_MS=CAP_MS
    )
    with app.app_context():
        create_group(get_db(), SYSTEM, app.config["SITE_ID"], BAO_HA, "Thôn Bảo Vinh")
    live = LiveServer(app)
    yield live
    live.stop()
    close_connections(app)


def signed_in(phone, server):
    page = phone.new_page()
    page.set_default_timeout(20000)
    sign_in(page, server.url)
    return page


def test_a_failed_record_waits_the_servers_backoff(phone, server):
    @server.app.before_request
    def server_error():
        if request.method == "POST" and request.path == "/api/v1/submissions":
            return jsonify(error="server", message="boom"), 500

    page = signed_in(phone, server)
    page.goto(server.url("/outbox"))
    page.evaluate(
        """([commune]) => import('/static/js/outbox.js').then(async (outbox) => {
            await outbox.add({uuid: crypto.getRandomValues(new Uint32Array(1))[0] + '-test', form_id: 'broadcast',
                              form_version: 1, commune, data: {}});
            await outbox.flush({ force: true });
        })""",
        [BAO_HA],
    )
    check = "import('/static/js/outbox.js').then(async (m) => (await m.list()).map((r) => [r.state, r.next_try]))"
    wait_js(page, f"{check}.then((records) => records.length === 1 && records[0][0] === 'failed')")
    [(state, next_try)] = page.evaluate(check)
    waits = next_try - page.evaluate("Date.now()")
    # First failure: half the base fixed, half random (backoff.js), as config.py says, not a script's own.
    assert BASE_MS / 2 - 5000 <= waits <= BASE_MS


def test_the_form_gps_button_fills_both_fields_in_the_pages_words(phone, server):
    phone.grant_permissions(["geolocation"])
    phone.set_geolocation({"latitude": 22.2031, "longitude": 104.3458, "accuracy": 8})
    page = signed_in(phone, server)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server.url("/forms/session/new"))
    page.click("button.gps-button")
    wait_js(page, "document.querySelector('[name=location__lon]').value !== ''")
    assert page.input_value("[name=location__lat]") == "22.203100"
    assert page.input_value("[name=location__lon]") == "104.345800"
    assert page.text_content("#gps-status-location") == "Đã điền vị trí hiện tại (sai số khoảng 8 m)."
    assert not errors
