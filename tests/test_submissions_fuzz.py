"""Random records and junk never make the API answer 500."""

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit import formspec
from fieldkit.testing import BAO_HA, HEADERS, make_app

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def field_values(app):
    """Per form, a strategy for data: each field either a plausible value for its type or junk."""
    forms = formspec.registry(app)
    plausible = {
        "integer": st.integers(-10, 10**6) | st.text("0123456789-", max_size=8),
        "decimal": st.floats(allow_nan=True, allow_infinity=True) | st.text("0123456789.,e-", max_size=8),
        "date": st.dates().map(str) | st.text(max_size=12),
        "time": st.times().map(lambda t: t.strftime("%H:%M")) | st.text(max_size=6),
        "yes_no": st.booleans() | st.sampled_from(["yes", "no", "có", ""]),
        "gps": st.fixed_dictionaries({"lat": st.floats(-100, 100), "lon": st.floats(-200, 200)}),
        "multi_choice": st.lists(st.sampled_from(["participation", "vi", "x", ""]), max_size=3),
        "photo": st.lists(st.text("0123456789abcdef", min_size=64, max_size=64), max_size=2),
    }
    strategies = {}
    for definition in forms.all_current():
        fields = {f["name"]: plausible.get(f["type"], st.text(max_size=40)) | JSON for f in definition.fields}
        strategies[definition.id] = st.fixed_dictionaries({}, optional=fields)
    return strategies


def test_random_records_never_get_a_500(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("fuzz"))
    client = app.test_client()
    client.post("/login", data={"username": "officer", "password": "mat-khau-thu-nghiem"})
    data_for = field_values(app)
    form_ids = sorted(data_for)
    record = st.sampled_from(form_ids).flatmap(
        lambda form_id: st.fixed_dictionaries(
            {
                "uuid": st.uuids().map(str) | st.sampled_from([str(uuid.UUID(int=1)), "x"]),
                "form_id": st.just(form_id) | st.text(max_size=5),
                "form_version": st.sampled_from([1, "1", 2, None, True]),
                "commune": st.sampled_from([BAO_HA, "02905", "", None, 7]),
                "data": data_for[form_id] | JSON,
            },
            optional={"created_at": JSON, "replaces": st.sampled_from([str(uuid.UUID(int=1)), "x"]) | JSON},
        )
    )

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=record | JSON)
    def check(body):
        response = client.post(
            "/api/v1/submissions", data=json.dumps(body), content_type="application/json", headers=HEADERS
        )
        assert response.status_code in (200, 201, 403, 409, 422), (response.status_code, body)

    check()
    for raw in (b"", b"{", b"\xff\xfe", b"[]", b"null"):
        response = client.post("/api/v1/submissions", data=raw, content_type="application/json", headers=HEADERS)
        assert response.status_code == 422
    for query in ("limit=-1", "limit=x", "offset=1e9", "since=yesterday", "form=%00"):
        assert client.get(f"/api/v1/submissions?{query}").status_code in (200, 422)


def test_deep_or_huge_bodies_are_refused_cleanly(client, auth):
    auth.login()
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/api/v1/submissions", data=deep, content_type="application/json", headers=HEADERS)
    assert response.status_code in (413, 422)
    huge = json.dumps({"uuid": str(uuid.uuid4()), "data": {"notes": "x" * 3_000_000}})
    response = client.post("/api/v1/submissions", data=huge, content_type="application/json", headers=HEADERS)
    assert response.status_code == 413 and response.is_json


def test_random_html_posts_never_get_a_500(tmp_path_factory):
    """The plain (no JavaScript) form reads the same junk without failing."""
    app = make_app(tmp_path_factory.mktemp("fuzz-html"))
    client = app.test_client()
    client.post("/login", data={"username": "officer", "password": "mat-khau-thu-nghiem"})
    definition = formspec.registry(app).current("session")
    names = [f["name"] for f in definition.fields] + ["location__lat", "location__lon", "uuid", "zzz"]
    form = st.dictionaries(
        st.sampled_from(names), st.text(max_size=20) | st.lists(st.text(max_size=8), max_size=3), max_size=12
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=form)
    def check(data):
        response = client.post("/forms/session/new", data=data)
        assert response.status_code in (302, 422), response.status_code

    check()
