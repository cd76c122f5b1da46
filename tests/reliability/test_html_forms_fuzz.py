"""Hostile values in every HTML form of the app never make it answer 500.

The forms are found from the URL map (every route taking POST) and each page's own fields, so a
new form is covered without editing this test.
"""

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, PASSWORD, make_app, record_for, url_arguments

HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "\u200b\u200b",
            "\x00",
            '=HYPERLINK("http://example.invalid")',
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "9" * 40,
            "-1",
            "2026-13-45",
            "0000-00-00",
            "99:99",
            "x" * 5000,
            "Thôn Bảo Vinh",
            BAO_HA,
            "02905",
        ]
    ),
)
_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.IGNORECASE)


@pytest.fixture(scope="module")
def forms_app(tmp_path_factory):
    """An app with a Bảo Hà group and record, so the forms about them reach their checks."""
    from fieldkit.rosters.groups import create_group

    app = make_app(tmp_path_factory.mktemp("forms"))
    with app.app_context():
        group = create_group(get_db(), SYSTEM, app.config["SITE_ID"], BAO_HA, "Thôn Bảo Vinh")
    client = app.test_client()
    client.post("/login", data={"username": "officer", "password": PASSWORD})
    definition = client.get("/api/v1/forms/broadcast", headers=HEADERS).get_json()
    record = record_for(definition)
    assert client.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 201
    return app, url_arguments(group["uuid"], record["uuid"])


def _fields_of(page):
    if page.mimetype != "text/html":
        return set()
    return set(_FIELD.findall(page.get_data(as_text=True))) - {"csrf_token"}


def _forms(app, client, own):
    """(path, field names) of every route that takes POST, with the fields of its own page (or of
    every page, for a route posted from another page), as this client sees them."""
    adapter = app.url_map.bind("localhost")
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    paths = {
        id(rule): adapter.build(rule.endpoint, {name: own.get(name, str(uuid.UUID(int=9))) for name in rule.arguments})
        for rule in rules
    }
    fields = {
        id(rule): _fields_of(client.get(paths[id(rule)]))
        for rule in rules
        if "GET" in rule.methods and rule.rule != "/logout" and not rule.rule.startswith("/static/")
    }
    every_field = sorted(set().union(*fields.values()))
    return [
        (paths[id(rule)], sorted(fields.get(id(rule)) or every_field))
        for rule in rules
        if "POST" in rule.methods and not rule.rule.startswith("/api/") and rule.rule != "/logout"
    ]


@pytest.mark.parametrize("username", ["admin", "central"])
def test_hostile_values_in_every_form_never_get_a_500(forms_app, username):
    app, own = forms_app
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    forms = _forms(app, client, own)
    assert len(forms) >= 10
    submission = st.sampled_from(forms).flatmap(
        lambda form: st.tuples(
            st.just(form[0]), st.dictionaries(st.sampled_from(form[1]), HOSTILE_TEXT, max_size=len(form[1]))
        )
    )

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(submission)
    def post_never_fails(case):
        path, data = case
        response = client.post(path, data=data)
        assert response.status_code < 500, (path, data, response.status_code)

    post_never_fails()
