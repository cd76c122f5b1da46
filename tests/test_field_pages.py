"""Pages a new user meets in the field: a group's page leads to the work, lists name people, choices fit a phone."""

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, record_for


@pytest.fixture
def group(create_group):
    return create_group("Thôn Bảo Vinh", cultural_house_name="Nhà văn hóa Bảo Vinh")


def test_a_groups_page_offers_the_work_done_there(client, auth, group):
    auth.login("officer")
    page = client.get(f"/rosters/groups/{group['uuid']}").get_data(as_text=True)
    assert f"/forms/session/new?commune={BAO_HA}&amp;group={group['uuid']}" in page
    assert f"/forms/broadcast/new?commune={BAO_HA}&amp;group={group['uuid']}" in page
    assert 'action="/posters/print"' in page and f'name="group" value="{group["uuid"]}"' in page
    response = client.post("/posters/print", data={"commune": BAO_HA, "group": group["uuid"], "size": "A4"})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_ethnic_groups_are_checkboxes_not_a_hold_ctrl_list(client, auth, group):
    auth.login("admin")
    page = client.get(f"/rosters/groups/{group['uuid']}/edit").get_data(as_text=True)
    assert page.count('name="ethnic_groups" type="checkbox"') == 54
    assert "Ctrl" not in page and "multiple" not in page
    assert "data-filters=" in page  # the search box over them


def test_lists_name_people_by_their_display_name(app, client, auth, group):
    with app.app_context():
        get_db()["users"].update(1, {"display_name": "Lò Thị Huyền"})  # user "officer"
    auth.login("officer")
    definition = client.get("/api/v1/forms/broadcast").get_json()
    record = record_for(
        definition, data={"date": "2026-11-20", "time": "06:30", "topic": "survey_participation", "minutes": 10}
    )
    assert client.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 201
    for path in ("/records/", f"/records/{record['uuid']}", f"/records/{record['uuid']}/history"):
        page = client.get(path).get_data(as_text=True)
        assert "Lò Thị Huyền" in page, path
    history = client.get(f"/rosters/groups/{group['uuid']}/history").get_data(as_text=True)
    assert "system" not in history and "Quản trị viên (dòng lệnh" in history
