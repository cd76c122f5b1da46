"""Guards of the submission API, each written against a bug planted by hand (issue 18): an Origin
compared by host only, a record's identity without its commune, a replay of a stored copy refused,
a write audited under another user.
"""

import uuid

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, PHO_LU, post_record, record_for


@pytest.mark.parametrize(
    "origin",
    ["https://localhost", "http://localhost:8443", "http://localhost.evil.example", "http://evil.example"],
    ids=["other-scheme", "other-port", "longer-host", "other-host"],
)
def test_an_origin_must_match_scheme_host_and_port(client, session_form, origin):
    response = post_record(client, record_for(session_form), {**HEADERS, "Origin": origin})
    assert response.status_code == 403


def test_the_same_uuid_for_another_commune_is_a_conflict(app, client, auth, create_group):
    """A record is its commune too: the same data under the same uuid for another commune is not "the same"."""
    from fieldkit.auth.users import create_user

    create_group("Thôn Bảo Vinh")
    create_group("Tổ 1", commune=PHO_LU)
    with app.app_context():
        create_user(
            get_db(), app.extensions["fieldkit.hasher"], "haixa", "mot-ma-rieng-2026", "officer", [BAO_HA, PHO_LU]
        )
    auth.login("haixa", "mot-ma-rieng-2026")
    form = client.get("/api/v1/forms/broadcast").get_json()
    record = record_for(form)
    # A record valid in either commune: no residential group (optional in this form).
    group_fields = {f["name"] for f in form["fields"] if f["type"] == "residential_group"}
    assert not any(f["required"] for f in form["fields"] if f["name"] in group_fields)
    record["data"] = {k: v for k, v in record["data"].items() if k not in group_fields}
    first = post_record(client, record)
    assert first.status_code == 201, first.get_json()
    again = post_record(client, {**record, "commune": PHO_LU})
    assert again.status_code == 409, again.get_json()
    with app.app_context():
        rows = list(get_db()["submissions"].rows_where("uuid = ?", [record["uuid"]]))
    assert [r["commune_code"] for r in rows] == [BAO_HA]


def test_a_stored_copy_sent_again_is_acknowledged_even_when_it_no_longer_validates(app, client, session_form):
    """The phone resends what the server already holds; a group closed since must not turn that into an error."""
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    group_field = next(f for f in session_form["fields"] if f["type"] == "residential_group")
    with app.app_context():
        db = get_db()
        db.execute(
            "UPDATE residential_groups SET active = 0 WHERE uuid = ?",
            [record["data"][group_field["name"]]],
        )
        db.conn.commit()
    # The same copy again: "already have it", not 422.
    again = post_record(client, record)
    assert again.status_code == 200, again.get_json()
    # A new record naming the closed group is refused: the branch is for stored copies only.
    fresh = post_record(client, {**record, "uuid": str(uuid.uuid4())})
    assert fresh.status_code == 422


def test_a_write_is_audited_under_the_users_id(app, client, session_form):
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    with app.app_context():
        db = get_db()
        officer_id = next(db["users"].rows_where("username = 'officer'"))["id"]
        entry = next(db["audit_log"].rows_where("entity_id = ?", [record["uuid"]]))
    assert (entry["user_id"], entry["username"], entry["commune_code"]) == (officer_id, "officer", BAO_HA)
