"""The phone's validator (static/js/validate.js) in Chromium against the shared case table; the
server's validator runs the same table in tests/test_form_cases.py."""

import pytest

from .form_cases import CASES, definition_json

pytestmark = pytest.mark.browser


def test_phone_validator_gives_the_servers_answers(phone, live_server, live_app):
    with live_app.test_request_context():
        payload = [{"definition": definition_json(case), "data": case["data"]} for case in CASES]
    page = phone.new_page()
    page.goto(live_server.url("/login"))
    results = page.evaluate(
        """async (cases) => {
        const { validate } = await import('/static/js/validate.js');
        return cases.map((c) => validate(c.definition, c.data));
    }""",
        payload,
    )
    wrong = []
    for case, result in zip(CASES, results, strict=True):
        if result["errors"] != case["errors"]:
            wrong.append((case["name"], "errors", result["errors"], case["errors"]))
        for name, value in case.get("clean", {}).items():
            if result["clean"].get(name) != value:
                wrong.append((case["name"], name, result["clean"].get(name), value))
    assert wrong == [], "\n".join(map(str, wrong))
