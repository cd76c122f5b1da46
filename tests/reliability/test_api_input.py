"""Values the API and pages must refuse or survive: impossible times, absurd pages, others' record ids."""

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, PASSWORD, PHO_LU, record_for


def _record(client, commune=BAO_HA, **changes):
    definition = client.get("/api/v1/forms/broadcast", headers=HEADERS).get_json()
    return record_for(definition, commune=commune, **changes)


@pytest.mark.parametrize("created_at", ["2026-13-45T99:99", "0000-00-00", "2026-02-30", "2026-05-01T25:00", 20260501])
def test_an_impossible_created_at_is_refused_with_a_vietnamese_message(client, auth, created_at):
    auth.login()
    response = client.post("/api/v1/submissions", json=_record(client, created_at=created_at), headers=HEADERS)
    assert response.status_code == 422
    assert "Thời điểm tạo" in response.get_json()["errors"]["created_at"]


def test_a_real_created_at_is_kept(client, auth):
    auth.login()
    response = client.post(
        "/api/v1/submissions", json=_record(client, created_at="2026-05-01T08:30:00+07:00"), headers=HEADERS
    )
    assert response.status_code == 201


@pytest.mark.parametrize("page", ["307445734561825862", "9" * 40, "0", "-1", "x"])
def test_any_page_number_gives_a_page(client, auth, page):
    auth.login()
    assert client.get(f"/records/?page={page}").status_code == 200


def test_another_communes_uuid_is_not_revealed_and_leaves_no_conflict(app, client, auth):
    auth.login("pholu", PASSWORD)
    theirs = _record(client, commune=PHO_LU)
    assert client.post("/api/v1/submissions", json=theirs, headers=HEADERS).status_code == 201
    auth.logout()
    auth.login()
    mine = _record(client, uuid=theirs["uuid"])
    taken = client.post("/api/v1/submissions", json=mine, headers=HEADERS)
    malformed = client.post("/api/v1/submissions", json=_record(client, uuid="not-a-uuid"), headers=HEADERS)
    assert taken.status_code == malformed.status_code == 422
    assert taken.get_json()["errors"] == malformed.get_json()["errors"]
    with app.app_context():
        assert get_db()["conflicts"].count == 0
