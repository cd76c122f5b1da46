"""Guards of data and access written against mutants `make mutate` found alive (issue 18):
records stored, edited and kept in conflict.

Every assertion is on what a user or an attacker would see.
"""

import json
import shutil

import pytest

from fieldkit.auth.audit import history as audit_history
from fieldkit.db import close_connections, get_db
from fieldkit.errors import NotFound
from fieldkit.formspec import registry
from fieldkit.formspec.registry import FormRegistry
from fieldkit.paths import CHECKOUT_DIR
from fieldkit.reference import choice_lists
from fieldkit.submissions import records
from fieldkit.testing import BAO_HA, HEADERS, PHO_LU, AuthActions, make_app, record_for
from fieldkit.testing import post_record as post
from fieldkit.testing import scope_of as officer


@pytest.fixture
def session_form(client, auth, villages):
    """The session form as the officer's phone reads it, Bảo Hà's villages to choose from; logged in."""
    auth.login()
    return client.get("/api/v1/forms/session").get_json()


def row_digest(db, record_uuid):
    return db.execute("SELECT content_sha256 FROM submissions WHERE uuid = ?", [record_uuid]).fetchone()[0]


class TestRecords:
    """What a phone sends, what the server keeps and gives back, and what a conflict leaves for review."""

    def stored(self, app, record_uuid):
        with app.app_context():
            return list(get_db()["submissions"].rows_where("uuid = ?", [record_uuid]))

    def test_a_record_is_kept_as_sent_and_given_back(self, app, client, session_form):
        record = record_for(session_form, created_at="2026-11-20T08:30:00+07:00")
        record["uuid"] = " " + record["uuid"].upper() + " "
        record["commune"] = f" {BAO_HA} "
        response = post(client, record)
        assert response.status_code == 201
        key = record["uuid"].strip().lower()
        body = response.get_json()
        assert body["status"] == "created" and body["uuid"] == key
        item = client.get(f"/api/v1/submissions/{key}").get_json()
        assert item == body["record"]
        assert (item["uuid"], item["root_uuid"], item["replaces"], item["commune"]) == (key, key, None, BAO_HA)
        assert (item["form_id"], item["form_version"]) == ("session", session_form["version"])
        assert item["data"] == record["data"] and item["created_at"] == "2026-11-20T08:30:00+07:00"
        assert item["submitted_by"] == "officer" and item["deleted"] is False and item["received_at"]
        (row,) = self.stored(app, key)
        with app.app_context():
            officer_id = next(get_db()["users"].rows_where("username = 'officer'"))["id"]
        assert (row["origin_site"], row["submitted_by_id"], row["deleted"]) == ("test-site", officer_id, 0)
        assert row["event_date"] == record["data"]["date"] and row["group_uuid"] == record["data"]["residential_group"]
        assert item["content_sha256"] == row["content_sha256"] and len(row["content_sha256"]) == 64

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"commune": "0" * 21}, "commune"),
            ({"commune": "   "}, "commune"),
            ({"commune": 2989}, "commune"),
            ({"created_at": "2026-02-30"}, "created_at"),
            ({"created_at": "hôm qua"}, "created_at"),
            ({"replaces": "not-a-uuid"}, "replaces"),
            ({"replaces": 5}, "replaces"),
            ({"form_id": None}, "form_id"),
            ({"form_version": "99"}, "form_version"),
            ({"uuid": None}, "uuid"),
            ({"uuid": ""}, "uuid"),
            ({"uuid": 5}, "uuid"),
            ({"form_id": "no_such_form"}, "form_id"),
        ],
    )
    def test_an_envelope_out_of_shape_is_refused_naming_only_that_field(self, app, client, session_form, change, field):
        record = record_for(session_form, **change)
        response = post(client, record)
        assert response.status_code == 422
        assert response.get_json()["errors"] == {field: records.MESSAGES[field]}
        with app.app_context():
            assert get_db()["submissions"].count == 0

    def test_a_commune_not_held_is_refused_as_not_held_up_to_twenty_characters(self, client, session_form):
        assert post(client, record_for(session_form, commune=PHO_LU)).status_code == 403
        assert post(client, record_for(session_form, commune="0" * 20)).status_code == 403
        response = post(client, record_for(session_form, commune="0" * 21))
        assert response.status_code == 422 and response.get_json()["errors"] == {"commune": records.MESSAGES["commune"]}

    def test_an_unknown_commune_is_refused_for_the_central_too(self, app, client, auth, session_form):
        auth.logout()
        auth.login("central")
        response = post(client, record_for(session_form, commune="0" * 20))
        assert response.status_code == 422 and response.get_json()["errors"] == {"commune": records.MESSAGES["commune"]}

    def test_a_body_that_is_not_an_object_names_the_body(self, client, session_form):
        response = client.post("/api/v1/submissions", data="[1]", content_type="application/json", headers=HEADERS)
        assert response.status_code == 422 and list(response.get_json()["errors"]) == ["body"]

    def test_an_edit_is_a_new_version_of_the_same_record(self, app, client, session_form):
        original = record_for(session_form)
        assert post(client, original).status_code == 201
        edit = record_for(session_form, replaces=original["uuid"])
        edit["data"]["presenter"] = "Lò Văn Minh"
        response = post(client, edit)
        assert response.status_code == 201
        item = response.get_json()["record"]
        assert (item["root_uuid"], item["replaces"]) == (original["uuid"], original["uuid"])
        with app.app_context():
            db = get_db()
            entries = list(db["audit_log"].rows_where("entity = 'submissions'", order_by="id"))
            officer_id = next(db["users"].rows_where("username = 'officer'"))["id"]
            assert [(a["action"], a["entity_id"]) for a in entries] == [
                ("submission.create", original["uuid"]),
                ("submission.edit", edit["uuid"]),
            ]
            for entry in entries:
                assert (entry["username"], entry["user_id"], entry["commune_code"]) == ("officer", officer_id, BAO_HA)
                assert json.loads(entry["detail"]) == {"form": "session", "root": original["uuid"]}
            current = records.current_version(db, officer(BAO_HA), original["uuid"])
            assert current["uuid"] == edit["uuid"]
            history = records.history(db, officer(BAO_HA), original["uuid"])
            assert [v["uuid"] for v in history] == [original["uuid"], edit["uuid"]]
            assert history[1]["data"]["presenter"] == "Lò Văn Minh"
            with pytest.raises(NotFound):
                records.current_version(db, officer(PHO_LU), original["uuid"])
            assert records.history(db, officer(PHO_LU), original["uuid"]) == []

    def test_an_edit_must_name_a_live_version_of_the_same_form_and_commune(self, app, client, session_form):
        original = record_for(session_form)
        assert post(client, original).status_code == 201
        unknown = record_for(session_form, replaces="00000000-0000-4000-8000-000000000000")
        assert post(client, unknown).get_json()["errors"] == {"replaces": records.MESSAGES["replaces"]}
        broadcast = client.get("/api/v1/forms/broadcast").get_json()
        other_form = record_for(broadcast, replaces=original["uuid"])
        assert post(client, other_form).get_json()["errors"] == {"replaces": records.MESSAGES["replaces_form"]}
        with app.app_context():
            tombstone = records.delete(get_db(), officer(BAO_HA), "s", registry(), original["uuid"]).row
        deleted = record_for(session_form, replaces=tombstone["uuid"])
        assert post(client, deleted).get_json()["errors"] == {"replaces": records.MESSAGES["deleted"]}
        # An edit of a version replaced since is kept whole for review.
        stale = record_for(session_form, replaces=original["uuid"], created_at="2026-11-22T10:00:00+07:00")
        stale["data"]["presenter"] = "Lò Văn Minh"
        response = post(client, stale)
        assert response.status_code == 409
        with app.app_context():
            (kept,) = get_db()["conflicts"].rows
        assert (kept["submission_uuid"], kept["reason"]) == (stale["uuid"], "stale_edit")
        assert response.get_json()["conflict"] == kept["uuid"]
        assert (kept["commune_code"], kept["submitted_by"], kept["origin_site"]) == (BAO_HA, "officer", "test-site")
        assert (kept["form_id"], kept["form_version"]) == ("session", str(session_form["version"]))
        assert kept["client_created_at"] == "2026-11-22T10:00:00+07:00"
        assert json.loads(kept["data"]) == stale["data"]
        assert kept["content_sha256"] == records.content_hash("session", session_form["version"], BAO_HA, stale["data"])

    def test_a_deleted_record_leaves_a_tombstone_and_the_lists(self, app, client, session_form):
        kept, gone = record_for(session_form), record_for(session_form)
        assert post(client, kept).status_code == 201 and post(client, gone).status_code == 201
        with app.app_context():
            db = get_db()
            outcome = records.delete(db, officer(BAO_HA, role="commune_admin"), "s", registry(), gone["uuid"])
            assert outcome.status == "created" and outcome.row["deleted"] == 1
            assert outcome.row["replaces_uuid"] == gone["uuid"] and outcome.row["root_uuid"] == gone["uuid"]
            total, rows = records.search(db, officer(BAO_HA))
            assert total == 1 and [r["uuid"] for r in rows] == [kept["uuid"]]
            total, rows = records.search(db, officer(BAO_HA), include_deleted=True)
            assert total == 2
            tombstone = records.current_version(db, officer(BAO_HA), gone["uuid"])
            assert records.as_api_item(tombstone)["deleted"] is True
            assert [a["action"] for a in db["audit_log"].rows_where("entity_id = ?", [outcome.row["uuid"]])] == [
                "submission.delete"
            ]

    def test_search_filters_each_narrow_the_list(self, app, client, session_form):
        first = record_for(session_form)
        second = record_for(session_form)
        second["data"]["date"] = "2026-11-25"
        groups = [
            c["value"] for c in next(f for f in session_form["fields"] if f["name"] == "residential_group")["choices"]
        ]
        second["data"]["residential_group"] = groups[1]
        for record in (first, second):
            assert post(client, record).status_code == 201
        with app.app_context():
            db = get_db()
            scope = officer(BAO_HA)

            def found(**filters):
                total, rows = records.search(db, scope, **filters)
                assert total == len(rows) or "limit" in filters
                return [r["uuid"] for r in rows]

            assert found() == [second["uuid"], first["uuid"]]  # newest event first
            assert found(date_from="2026-11-21") == [second["uuid"]]
            assert found(date_to="2026-11-21") == [first["uuid"]]
            assert found(date_from="2026-11-20", date_to="2026-11-20") == [first["uuid"]]
            assert found(group_uuid=groups[1]) == [second["uuid"]]
            assert found(form_id="broadcast") == []
            assert found(form_id="session", limit=1) == [second["uuid"]]
            assert records.search(db, scope, limit=1)[0] == 2
            assert found(limit=1, offset=1) == [first["uuid"]]
            assert found(channel="radio") == []
            assert found(since="2999-01-01") == []
            assert found(communes=[PHO_LU]) == [] and len(found(communes=[BAO_HA, PHO_LU])) == 2
            assert records.search(db, officer(PHO_LU)) == (0, [])

    def test_a_conflict_is_kept_once_for_review_with_who_sent_it(self, app, client, session_form):
        record = record_for(session_form)
        assert post(client, record).status_code == 201
        other = {**record, "data": {**record["data"], "presenter": "Người khác"}, "created_at": "2026-11-21T09:15:00Z"}
        first = post(client, other)
        assert first.status_code == 409
        again = post(client, other)
        assert again.status_code == 409 and again.get_json()["conflict"] == first.get_json()["conflict"]
        with app.app_context():
            db = get_db()
            (kept,) = db["conflicts"].rows
            assert kept["uuid"] == first.get_json()["conflict"]
            assert (kept["submission_uuid"], kept["commune_code"], kept["reason"]) == (
                record["uuid"],
                BAO_HA,
                "same_uuid_other_content",
            )
            assert (kept["submitted_by"], kept["origin_site"], kept["form_id"]) == ("officer", "test-site", "session")
            assert json.loads(kept["data"])["presenter"] == "Người khác" and kept["received_at"]
            assert kept["client_created_at"] == "2026-11-21T09:15:00Z"  # when the other copy was made
            # The copy's own content hash, so a reviewer can tell it from the stored version and from other copies.
            digest = records.content_hash("session", session_form["version"], BAO_HA, json.loads(kept["data"]))
            assert kept["content_sha256"] == digest != row_digest(db, record["uuid"])
            (audit,) = db["audit_log"].rows_where("action = 'conflict.create'")
            officer_id = next(db["users"].rows_where("username = 'officer'"))["id"]
            assert (audit["entity"], audit["entity_id"], audit["commune_code"]) == ("conflicts", kept["uuid"], BAO_HA)
            assert (audit["username"], audit["user_id"]) == ("officer", officer_id)
            assert [a["action"] for a in audit_history(db, "conflicts", kept["uuid"])] == ["conflict.create"]
            assert json.loads(audit["detail"]) == {"submission": record["uuid"], "reason": "same_uuid_other_content"}
            (row,) = db["submissions"].rows
            assert json.loads(row["data"])["presenter"] == record["data"]["presenter"]  # the original stays

    def test_receive_answers_a_conflict_with_the_stored_version_and_the_copy_as_kept(self, app, client, session_form):
        record = record_for(session_form)
        assert post(client, record).status_code == 201
        other = {**record, "data": {**record["data"], "presenter": "Người khác"}}
        with app.app_context():
            db = get_db()
            outcome = records.receive(db, officer(BAO_HA), "site-2", registry(), other)
            assert outcome.status == "conflict"
            assert outcome.row["uuid"] == record["uuid"] and outcome.row["content_sha256"] == row_digest(
                db, record["uuid"]
            )
            (kept,) = db["conflicts"].rows
            # The copy the caller is given is the one kept, field for field.
            assert outcome.conflict == {key: kept[key] for key in outcome.conflict}
            assert (outcome.conflict["origin_site"], outcome.conflict["submitted_by"]) == ("site-2", "mo")
            # An edit of a version replaced since: the answer names the version the edit named.
            edit = record_for(session_form, replaces=record["uuid"], data={**record["data"], "presenter": "Sửa"})
            assert records.receive(db, officer(BAO_HA), "s", registry(), edit).status == "created"
            stale = record_for(session_form, replaces=record["uuid"], data={**record["data"], "presenter": "Muộn"})
            late = records.receive(db, officer(BAO_HA), "s", registry(), stale)
            assert (late.status, late.row["uuid"], late.conflict["reason"]) == (
                "conflict",
                record["uuid"],
                "stale_edit",
            )

    def test_receive_gives_back_the_version_as_stored(self, app, session_form):
        record = record_for(session_form, created_at="2026-11-20T08:30:00Z")
        with app.app_context():
            db = get_db()
            outcome = records.receive(db, officer(BAO_HA), "site-2", registry(), record)
            stored = next(db["submissions"].rows_where("uuid = ?", [record["uuid"]]))
            assert outcome.status == "created"
            assert outcome.row == {key: stored[key] for key in outcome.row}
            assert (stored["origin_site"], stored["submitted_by"], stored["submitted_by_id"]) == ("site-2", "mo", 7)

    def test_the_same_uuid_stored_meanwhile_is_answered_as_a_resend(self, app, client, session_form):
        """Two copies of one uuid arriving at once: the second store finds the first and answers unchanged
        (same content) or keeps a conflict (other content), never an error and never a second row."""
        record = record_for(session_form)
        assert post(client, record).status_code == 201
        with app.app_context():
            db = get_db()
            definition = registry().current("session")
            clean = json.loads(next(db["submissions"].rows_where("uuid = ?", [record["uuid"]]))["data"])
            same = records.store(db, officer(BAO_HA), "s", definition, BAO_HA, clean, record["uuid"])
            assert (same.status, same.row["uuid"]) == ("unchanged", record["uuid"])
            other = records.store(
                db, officer(BAO_HA), "s", definition, BAO_HA, {**clean, "presenter": "Khác"}, record["uuid"]
            )
            assert (other.status, other.row["uuid"]) == ("conflict", record["uuid"])
            (kept,) = db["conflicts"].rows
            assert (kept["uuid"], kept["reason"], json.loads(kept["data"])["presenter"]) == (
                other.conflict["uuid"],
                "same_uuid_other_content",
                "Khác",
            )
            assert db["submissions"].count == 1


def test_a_time_sent_is_iso_8601_in_its_extended_form_only(app, client, session_form):
    """A space may stand for the T; the basic form (20261120), an hour alone or a number is refused:
    `since` and `created_at` are compared as text with the extended form the server writes."""
    spaced = record_for(session_form, created_at="2026-11-20 08:30:00")
    assert post(client, spaced).status_code == 201
    item = client.get(f"/api/v1/submissions/{spaced['uuid']}").get_json()
    assert item["created_at"] == "2026-11-20 08:30:00"
    for sent in ("20261120", "20261120T083000", "2026-11-20T08", 20261120, ["2026-11-20"]):
        response = post(client, record_for(session_form, created_at=sent))
        assert response.status_code == 422, sent
        assert response.get_json()["errors"] == {"created_at": records.MESSAGES["created_at"]}
    assert client.get("/api/v1/submissions?since=20261120").status_code == 422
    assert client.get("/api/v1/submissions?since=2026-11-20 00:00").get_json()["total"] == 1
    with app.app_context():
        assert get_db()["submissions"].count == 1


def test_a_version_that_came_without_data_lists_with_empty_data(app, client, session_form):
    """A row as sync stores it from a site's bundle may have null data (the bundle's check allows it): the list
    still opens, that version with empty data."""
    kept = record_for(session_form)
    assert post(client, kept).status_code == 201
    empty = "00000000-0000-4000-8000-000000000000"
    with app.app_context():
        db = get_db()
        row = dict(next(db["submissions"].rows_where("uuid = ?", [kept["uuid"]])))
        db["submissions"].insert({**row, "id": None, "seq": None, "uuid": empty, "root_uuid": empty, "data": None})
    items = {item["uuid"]: item["data"] for item in client.get("/api/v1/submissions").get_json()["items"]}
    assert items == {empty: {}, kept["uuid"]: kept["data"]}


@pytest.fixture
def dotted_forms(tmp_path):
    """An app whose broadcast form is at version "2026.1" (a version need not be a whole number)."""
    forms = tmp_path / "forms"
    shutil.copytree(CHECKOUT_DIR / "forms", forms)
    broadcast = forms / "broadcast.toml"
    broadcast.write_text(
        broadcast.read_text(encoding="utf-8").replace("version = 2", 'version = "2026.1"'), encoding="utf-8"
    )
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    yield app, broadcast
    close_connections(app)


def test_a_record_of_a_dotted_version_is_given_back_and_deleted_after_the_form_moves_on(dotted_forms):
    app, broadcast = dotted_forms
    client = app.test_client()
    AuthActions(client).login()
    form = client.get("/api/v1/forms/broadcast").get_json()
    record = record_for(form)
    response = post(client, record)
    assert response.status_code == 201 and response.get_json()["record"]["form_version"] == "2026.1"
    assert client.get(f"/api/v1/submissions/{record['uuid']}").get_json()["form_version"] == "2026.1"
    # The form moves on: version 2026.1 is no longer a file, only the copy published in the database.
    broadcast.write_text(
        broadcast.read_text(encoding="utf-8").replace('version = "2026.1"', 'version = "2026.2"'), encoding="utf-8"
    )
    moved_on = FormRegistry(broadcast.parent, choice_lists())
    with app.app_context():
        # A phone that still holds 2026.1 may send a record of it: accepted, against the stored copy.
        late = record_for(form)
        assert records.receive(get_db(), officer(BAO_HA), "s", moved_on, late).row["form_version"] == "2026.1"
        outcome = records.delete(get_db(), officer(BAO_HA), "s", moved_on, record["uuid"])
    assert (outcome.status, outcome.row["deleted"], outcome.row["form_version"]) == ("created", 1, "2026.1")
    listed = client.get("/api/v1/submissions").get_json()
    assert [item["uuid"] for item in listed["items"]] == [late["uuid"]]
    tombstone = client.get(f"/api/v1/submissions/{outcome.row['uuid']}").get_json()
    assert (tombstone["deleted"], tombstone["form_version"], tombstone["root_uuid"]) == (True, "2026.1", record["uuid"])


class TestPosterRecords:
    """The poster form's look-up and register event, which `receive` runs around storing a record."""

    @pytest.fixture
    def sheet(self, app, auth, villages):
        """One A4 sheet printed for Thôn Khe Bá; the officer logged in."""
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.posters.register import print_sheets

        with app.app_context():
            (sheet,) = print_sheets(get_db(), SYSTEM, "s", BAO_HA, [villages["khe"]], "A4", "https://papi.example.org")
        auth.login()
        return sheet

    def record(self, villages, code, **changes):
        data = {
            "date": "2026-11-20",
            "poster_code": code,
            "action": "posted",
            "residential_group": villages["khe"]["uuid"],
            "place": "Bảng tin nhà văn hóa",
            "notes": "Dán cạnh cửa",
        }
        return record_for({"id": "poster", "version": 2, "fields": []}, data=data, **changes)

    def events(self, app):
        with app.app_context():
            return list(get_db()["poster_events"].rows_where("event != 'printed'", order_by="id"))

    def test_a_typed_code_is_stored_as_printed_and_posts_the_sheet_once(
        self, app, client, session_form, villages, sheet
    ):
        record = self.record(villages, " " + sheet.code.lower().replace("-", " ") + " ")
        response = post(client, record)
        assert response.status_code == 201 and "warnings" not in response.get_json()
        assert response.get_json()["record"]["data"]["poster_code"] == sheet.code
        (event,) = self.events(app)
        assert (event["poster_code"], event["event"], event["submission_uuid"]) == (
            sheet.code,
            "posted",
            record["uuid"],
        )
        assert (event["place"], event["note"], event["condition"]) == ("Bảng tin nhà văn hóa", "Dán cạnh cửa", None)
        assert (event["origin_site"], event["username"], event["commune_code"]) == ("test-site", "officer", BAO_HA)
        # An edit of the record corrects it; the sheet was posted once, so the register gains no event.
        edit = self.record(villages, sheet.code, replaces=record["uuid"])
        edit["data"]["notes"] = "Dán bên trái cửa"
        assert post(client, edit).status_code == 201
        assert [e["uuid"] for e in self.events(app)] == [event["uuid"]]
        with app.app_context():
            assert next(get_db()["posters"].rows_where("code = ?", [sheet.code]))["status"] == "posted"

    def test_an_unknown_code_is_kept_with_a_warning_and_no_event(self, app, client, villages, sheet):
        record = self.record(villages, "02989 abcd efgh")
        response = post(client, record)
        assert response.status_code == 201
        body = response.get_json()
        assert list(body["warnings"]) == ["poster_code"] and "02989 abcd efgh" in body["warnings"]["poster_code"]
        assert body["record"]["data"]["poster_code"] == "02989-ABCD-EFGH"
        assert self.events(app) == []
