"""Every JSON error the API answers has one shape (fieldkit/errors.py), whatever raised it.

In the spirit of Datasette's test_error_shape.py: the endpoints come from the app's URL map, so a new
API route is held to the shape without editing this test.
"""

import json
import re
import uuid

import pytest

from fieldkit.testing import HEADERS, assert_error_shape, post_record, record_for


def api_rules(app):
    """(rule, methods) of every API endpoint, with made-up values for its arguments."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{argument}>", "khong-co-" + argument, path)
        yield path, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_the_api_has_endpoints(app):
    assert len(list(api_rules(app))) >= 5


def test_every_endpoint_answers_401_in_the_shape_when_logged_out(app, client):
    for path, methods in api_rules(app):
        for method in methods:
            response = client.open(path, method=method, headers=HEADERS, json={})
            assert_error_shape(response, 401)


def test_every_write_without_the_header_is_403_in_the_shape(app, client, auth):
    auth.login()
    for path, methods in api_rules(app):
        for method in set(methods) - {"GET"}:
            response = client.open(path, method=method, json={})
            assert_error_shape(response, 403)


def test_unknown_api_paths_and_methods(client, auth):
    auth.login()
    assert_error_shape(client.get("/api/v1/khong-co", headers=HEADERS), 404)
    assert_error_shape(client.delete("/api/v1/submissions", headers=HEADERS), 405)


def test_unknown_form_and_record_are_404(client, auth):
    auth.login()
    assert_error_shape(client.get("/api/v1/forms/khong-co", headers=HEADERS), 404)
    assert_error_shape(client.get(f"/api/v1/submissions/{uuid.uuid4()}", headers=HEADERS), 404)


def test_bad_query_is_422_with_a_message_per_parameter(client, auth):
    auth.login()
    body = assert_error_shape(client.get("/api/v1/submissions?limit=abc&since=hom-qua", headers=HEADERS), 422)
    assert set(body["errors"]) == {"limit", "since"}


@pytest.fixture
def session_form(client, auth, create_group):
    create_group("Thôn Bảo Vinh")
    auth.login()
    return client.get("/api/v1/forms/session").get_json()


def test_invalid_record_is_422_with_a_message_per_field(client, session_form):
    body = assert_error_shape(post_record(client, {"uuid": "khong-phai-uuid"}), 422)
    assert "uuid" in body["errors"]


def test_a_record_of_another_commune_is_403_in_the_shape(client, session_form):
    assert_error_shape(post_record(client, record_for(session_form, commune="02905")), 403)


def test_a_conflict_is_409_in_the_shape(client, session_form):
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    changed = {**record, "data": {**record["data"], "notes": "Khác đi một chút."}}
    body = assert_error_shape(post_record(client, changed), 409)
    assert body["uuid"] == record["uuid"]


def test_too_large_a_record_is_413_in_the_shape(client, session_form):
    big = json.dumps({"uuid": str(uuid.uuid4()), "data": {"notes": "x" * (1024 * 1024 + 10)}})
    response = client.post("/api/v1/submissions", data=big, content_type="application/json", headers=HEADERS)
    assert_error_shape(response, 413)


def test_a_domain_error_raised_under_the_api_is_answered_in_the_shape(client, auth):
    """Operations raise errors.Forbidden / errors.NotFound, never HTTP errors; the API still answers the shape."""
    auth.login()
    body = assert_error_shape(client.get("/api/v1/forms/session?commune=02905", headers=HEADERS), 403)
    assert "xã, phường này" in body["message"]
    auth.logout()
    auth.login("central")
    body = assert_error_shape(client.get("/api/v1/forms/session?commune=99999", headers=HEADERS), 404)
    assert "99999" in body["message"]


def test_a_domain_error_on_a_page_is_the_error_page_with_its_sentence(client, auth):
    auth.login()
    response = client.get("/rosters/?commune=02905")
    assert response.status_code == 403 and response.mimetype == "text/html"
    assert "Tài khoản của bạn không được giao xã, phường này." in response.get_data(as_text=True)
