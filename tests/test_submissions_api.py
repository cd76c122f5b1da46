"""The JSON API as the acceptance check uses it: read a definition, build a record, post it."""

import json
import uuid

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, PAPI_ORDER, PHO_LU, post_record, record_for


def test_forms_list_names_four_forms(client, auth):
    auth.login()
    forms = client.get("/api/v1/forms").get_json()
    assert {f["id"] for f in forms} >= {"session", "broadcast", "poster", "household_visit"}


def test_definition_has_the_contract_shape_and_the_communes_groups(session_form):
    assert {"id", "version", "title", "fields"} <= set(session_form)
    for f in session_form["fields"]:
        assert {"name", "type", "label", "required", "min", "max", "pattern", "choices"} <= set(f)
    by_name = {f["name"]: f for f in session_form["fields"]}
    assert [c["label"] for c in by_name["residential_group"]["choices"]] == ["Thôn Bảo Vinh", "Thôn Khuổi Phường"]
    topics = [c["value"] for c in by_name["topics"]["choices"]]
    assert topics[:8] == list(PAPI_ORDER)
    assert topics[8:] == ["grassroots_democracy_law", "survey_participation"]


@pytest.mark.parametrize("form_id", ["session", "broadcast", "poster", "household_visit"])
def test_post_is_idempotent_and_keeps_the_other_copy(app, client, auth, create_group, form_id):
    create_group("Thôn Bảo Vinh")
    auth.login()
    definition = client.get(f"/api/v1/forms/{form_id}").get_json()
    record = record_for(definition)
    first = post_record(client, record)
    assert first.status_code == 201, first.get_json()
    assert post_record(client, record).status_code == 200
    changed = {**record, "data": {**record["data"], "date": "2026-11-21"}}
    conflict = post_record(client, changed)
    assert conflict.status_code == 409
    with app.app_context():
        db = get_db()
        stored = list(db["conflicts"].rows_where("submission_uuid = ?", [record["uuid"]]))
        assert len(stored) == 1 and json.loads(stored[0]["data"])["date"] == "2026-11-21"
        assert db["submissions"].count == 1
    assert post_record(client, changed).status_code == 409
    with app.app_context():
        assert get_db()["conflicts"].count == 1


def test_missing_required_field_gets_a_vietnamese_message(client, session_form):
    record = record_for(session_form)
    del record["data"]["presenter"]
    response = post_record(client, record)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"presenter": "Hãy nhập tên người trình bày."}


def test_hidden_field_is_not_required(client, session_form):
    record = record_for(session_form)
    record["data"]["materials_handed_out"] = False
    record["data"].pop("materials")
    assert post_record(client, record).status_code == 201


def test_other_communes_officer_is_refused(client, auth, session_form):
    record = record_for(session_form)
    auth.logout()
    auth.login("pholu")
    assert post_record(client, record).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Requested-With": "XMLHttpRequest"},
        {**HEADERS, "Origin": "https://evil.example"},
        {**HEADERS, "Sec-Fetch-Site": "cross-site"},
        {**HEADERS, "Origin": "null"},
    ],
    ids=["no-header", "other-header", "foreign-origin", "cross-site", "null-origin"],
)
def test_cross_site_posts_are_refused(client, session_form, headers):
    assert post_record(client, record_for(session_form), headers).status_code == 403


def test_same_origin_post_is_accepted(client, session_form):
    headers = {**HEADERS, "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert post_record(client, record_for(session_form), headers).status_code == 201


def test_not_logged_in_gets_json_401(client):
    response = post_record(client, {"uuid": str(uuid.uuid4())})
    assert response.status_code == 401 and response.is_json


@pytest.mark.parametrize(
    "change, field",
    [
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"form_id": "nope"}, "form_id"),
        ({"form_version": 99}, "form_version"),
        ({"commune": None}, "commune"),
        ({"data": []}, "data"),
    ],
)
def test_bad_envelope_is_422_naming_the_field(client, session_form, change, field):
    response = post_record(client, record_for(session_form, **change))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_list_is_scoped_and_paged(client, auth, session_form):
    for _ in range(3):
        assert post_record(client, record_for(session_form)).status_code == 201
    page = client.get("/api/v1/submissions?form=session&limit=2").get_json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert page["items"][0]["commune"] == BAO_HA
    auth.logout()
    auth.login("pholu")
    assert client.get("/api/v1/submissions").get_json() == {"total": 0, "items": [], "limit": 50, "offset": 0}
    assert client.get(f"/api/v1/forms/session?commune={PHO_LU}").status_code == 200
    assert client.get(f"/api/v1/forms/session?commune={BAO_HA}").status_code == 403


def test_edit_through_the_api_replaces_the_version(client, session_form):
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    same = record_for(session_form, replaces=record["uuid"])
    assert post_record(client, same).status_code == 200  # an edit that changes nothing makes no version
    edit = record_for(session_form, replaces=record["uuid"])
    edit["data"]["presenter"] = "Lò Văn Minh"
    assert post_record(client, edit).status_code == 201
    stale = record_for(session_form, replaces=record["uuid"])
    stale["data"]["presenter"] = "Vàng Thị Mai"
    assert post_record(client, stale).status_code == 409
    items = client.get("/api/v1/submissions").get_json()["items"]
    assert [i["uuid"] for i in items] == [edit["uuid"]]
    assert items[0]["root_uuid"] == record["uuid"]


def test_a_commune_without_groups_can_still_log(client, auth):
    auth.login()
    definition = client.get("/api/v1/forms/session").get_json()
    group_field = next(f for f in definition["fields"] if f["type"] == "residential_group")
    assert group_field["choices"] == [] and group_field["required"] is False
    assert post_record(client, record_for(definition)).status_code == 201


def test_one_version_can_be_read_back_by_its_uuid(client, auth, session_form):
    record = record_for(session_form)
    post_record(client, record)
    item = client.get(f"/api/v1/submissions/{record['uuid']}").get_json()
    assert item["uuid"] == record["uuid"] and item["data"]["presenter"] == "Nguyễn Thị Hoa"
    auth.logout()
    auth.login("pholu")
    assert client.get(f"/api/v1/submissions/{record['uuid']}").status_code == 404


def test_invalid_copy_under_a_known_uuid_is_422_not_a_conflict(app, client, session_form):
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    broken = {**record, "data": {k: v for k, v in record["data"].items() if k != "presenter"}}
    response = post_record(client, broken)
    assert response.status_code == 422 and response.get_json()["errors"] == {
        "presenter": "Hãy nhập tên người trình bày."
    }
    with app.app_context():
        assert get_db()["conflicts"].count == 0


def test_photo_field_takes_references_not_files(client, session_form):
    record = record_for(session_form)
    record["data"]["photo"] = ["a" * 64, "local-photo-1"]
    assert post_record(client, record).status_code == 201
    bad = record_for(session_form)
    bad["data"]["photo"] = "data:image/png;base64,iVBORw0KGgo="
    assert post_record(client, bad).status_code == 422


def test_invisible_characters_neither_fill_a_field_nor_make_another_copy(app, client, session_form):
    """A name of zero-width spaces is empty; NUL and zero-width characters are dropped, so a resend
    that differs only by one is the same record, not a conflict."""
    empty = record_for(session_form)
    empty["data"]["presenter"] = "\u200b\u200b\ufeff"
    response = post_record(client, empty)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"presenter": "Hãy nhập tên người trình bày."}

    record = record_for(session_form)
    record["data"]["presenter"] = "Lo\u0300 Va\u0306n\u0000 Minh"
    assert post_record(client, record).status_code == 201
    again = {**record, "data": {**record["data"], "presenter": "Lò\u200b Văn Minh\u200b"}}
    assert post_record(client, again).status_code == 200
    with app.app_context():
        (row,) = get_db()["submissions"].rows
        assert json.loads(row["data"])["presenter"] == "Lò Văn Minh"
        assert get_db()["conflicts"].count == 0


def test_refusals_speak_the_chosen_language(client, session_form):
    record = record_for(session_form)
    del record["data"]["presenter"]
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = post_record(client, record)
    assert response.get_json()["errors"] == {"presenter": "Enter the presenter's name."}


def test_definition_carries_every_rule_and_every_message(session_form):
    """What the phone needs to refuse what the server would: rules and the form's own words."""
    by_name = {f["name"]: f for f in session_form["fields"]}
    assert by_name["topics"]["required"] and by_name["topics"]["messages"]["required"] == (
        "Hãy chọn ít nhất một nội dung."
    )
    women = by_name["attendees_women"]
    assert women["at_most"] == "attendees_total"
    assert women["messages"]["at_most"] == "Số nữ không được lớn hơn tổng số người dự."
    assert women["messages"]["integer"] == "Hãy nhập một số nguyên."
    assert by_name["materials"]["show_if"] == {"field": "materials_handed_out", "equals": [True]}
    assert by_name["location"]["messages"]["outside"].startswith("Vị trí này nằm ngoài Việt Nam")
    assert set(session_form["messages"]) == {"unknown", "data"}
    for f in session_form["fields"]:
        for rule in ("required", "min", "max", "pattern", "at_most"):
            if f.get(rule):
                assert f["messages"][rule], (f["name"], rule)
