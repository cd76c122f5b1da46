"""One poster flow: the poster form (typed or scanned code) writes the register's event."""

import uuid

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.posters import register
from fieldkit.testing import BAO_HA, HEADERS, PHO_LU


@pytest.fixture
def groups(create_group):
    return [
        create_group("Thôn Bảo Vinh", cultural_house_name="Nhà văn hóa Bảo Vinh"),
        create_group("Thôn Khuổi Phường", cultural_house_name="Nhà văn hóa Khuổi Phường"),
    ]


@pytest.fixture
def printed(app, groups):
    """One A4 sheet printed for each group; their codes in group order."""
    with app.app_context():
        sheets = register.print_sheets(get_db(), SYSTEM, "test", BAO_HA, groups, "A4", "https://papi.example.vn")
    return [sheet.code for sheet in sheets]


def form_data(group, code, action="posted", **changes):
    data = {"date": "2026-11-20", "poster_code": code, "action": action, "residential_group": group["uuid"]}
    data.update({"uuid": "", "place": "Bảng tin nhà văn hóa", **changes})
    return data


def api_record(group, code, action="posted", **data):
    return {
        "uuid": str(uuid.uuid4()),
        "form_id": "poster",
        "form_version": 2,
        "commune": BAO_HA,
        "data": {
            "date": "2026-11-20",
            "poster_code": code,
            "action": action,
            "residential_group": group["uuid"],
            **data,
        },
    }


def register_page(client):
    return client.get("/posters/register").get_data(as_text=True)


def events(app):
    with app.app_context():
        return list(get_db()["poster_events"].rows_where("event != 'printed'", order_by="id"))


def test_posting_with_the_form_changes_the_register(app, client, auth, groups, printed):
    auth.login()
    page = register_page(client)
    assert "Nhà văn hóa chưa có áp phích đang dán (2)" in page and "Đã in, chưa dán" in page
    typed = printed[0].lower().replace("-", " ")  # as a person may type it
    response = client.post("/forms/poster/new", data=form_data(groups[0], typed))
    assert response.status_code == 302
    page = register_page(client)
    assert "Nhà văn hóa chưa có áp phích đang dán (1)" in page and "Đang dán" in page
    assert "Nhà văn hóa Khuổi Phường" in page and "Nhà văn hóa Bảo Vinh ·" not in page
    record = client.get(response.headers["Location"]).get_data(as_text=True)
    assert printed[0] in record  # stored as printed, not as typed
    [event] = events(app)
    assert event["event"] == "posted" and event["place"] == "Bảng tin nhà văn hóa" and event["submission_uuid"]
    sheet = client.get(f"/posters/sheet/{printed[0]}").get_data(as_text=True)
    assert "Dán mới" in sheet and f"/records/{event['submission_uuid']}" in sheet


@pytest.mark.parametrize(
    "status, register_status, label",
    [
        ("good", "posted", "Kiểm tra: Còn tốt"),
        ("damaged", "damaged", "Kiểm tra: Bị rách, mờ"),
        ("removed", "removed", "Kiểm tra: Bị gỡ, mất"),
    ],
)
def test_a_check_through_the_api_sets_the_sheets_state(
    app, client, auth, groups, printed, status, register_status, label
):
    auth.login()
    assert (
        client.post("/api/v1/submissions", json=api_record(groups[1], printed[1]), headers=HEADERS).status_code == 201
    )
    record = api_record(groups[1], printed[1], "checked", status=status)
    response = client.post("/api/v1/submissions", json=record, headers=HEADERS)
    assert response.status_code == 201 and "warnings" not in response.get_json()
    with app.app_context():
        assert register.get_poster(get_db(), SYSTEM, printed[1])["status"] == register_status
    missing = "Nhà văn hóa chưa có áp phích đang dán (1)" if status == "good" else "áp phích đang dán (2)"
    assert missing in register_page(client)
    assert label in client.get(f"/posters/sheet/{printed[1]}").get_data(as_text=True)


def test_sending_the_same_record_again_writes_one_event(app, client, auth, groups, printed):
    auth.login()
    record = api_record(groups[0], printed[0].lower())
    assert client.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 201
    assert client.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 200
    assert len(events(app)) == 1


def test_an_unknown_code_is_said_in_vietnamese_and_leaves_the_register_alone(app, client, auth, groups, printed):
    auth.login()
    response = client.post("/forms/poster/new", data=form_data(groups[0], "02989-ZZZZ-ZZZZ"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Sổ theo dõi của xã không có tờ áp phích mã 02989-ZZZZ-ZZZZ" in page
    answer = client.post("/api/v1/submissions", json=api_record(groups[0], "BH-0001"), headers=HEADERS)
    assert answer.status_code == 201
    assert "không có tờ áp phích mã BH-0001" in answer.get_json()["warnings"]["poster_code"]
    assert events(app) == [] and "áp phích đang dán (2)" in register_page(client)


def test_another_communes_sheet_is_not_found(app, client, auth, groups, printed, create_group):
    other = create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    with app.app_context():
        [sheet] = register.print_sheets(get_db(), SYSTEM, "test", PHO_LU, [other], "A4", "https://papi.example.vn")
    auth.login()
    answer = client.get(f"/posters/lookup?code={sheet.code}").get_json()
    assert answer["found"] is False and "không có tờ áp phích" in answer["message"]
    client.post("/api/v1/submissions", json=api_record(groups[0], sheet.code), headers=HEADERS)
    assert events(app) == []


def test_lookup_reads_what_a_person_types(client, auth, groups, printed):
    auth.login()
    typed = " " + printed[1].lower().replace("0", "o").replace("-", " ") + " "
    answer = client.get("/posters/lookup", query_string={"code": typed}).get_json()
    assert answer == {
        "found": True,
        "code": printed[1],
        "commune": BAO_HA,
        "group": groups[1]["uuid"],
        "message": "Tờ in cho Thôn Khuổi Phường.",
    }


def test_old_printed_codes_still_post(app, client, auth, groups):
    old = "02989-yIzob_LJ"
    with app.app_context():
        db = get_db()
        db["posters"].insert(
            {
                "uuid": str(uuid.uuid4()),
                "origin_site": "old",
                "code": old,
                "group_uuid": groups[0]["uuid"],
                "commune_code": BAO_HA,
                "size": "A4",
                "lang": "vi",
                "printed_at": "2026-01-01T00:00:00Z",
                "printed_by": "system",
                "status": "printed",
            }
        )
    auth.login()
    assert client.post("/forms/poster/new", data=form_data(groups[0], old)).status_code == 302
    assert [e["poster_code"] for e in events(app)] == [old]


def test_the_sheet_page_opens_the_poster_form_for_its_code(client, auth, groups, printed):
    auth.login()
    page = client.get(f"/posters/sheet/{printed[0]}").get_data(as_text=True)
    assert f"/forms/poster/new?commune={BAO_HA}&amp;poster_code={printed[0]}&amp;group={groups[0]['uuid']}" in page
    assert 'name="event"' not in page  # no second check-in form with other words
    assert client.post(f"/posters/sheet/{printed[0]}", data={"event": "posted"}).status_code == 405


def test_the_demo_posts_sheets_that_exist(tmp_path, runner):
    from fieldkit.testing import make_app

    demo = make_app(tmp_path / "demo")
    with demo.app_context():
        from fieldkit.demo import load_demo

        load_demo(get_db(), demo, "site")
        db = get_db()
        codes = {row["code"] for row in db["posters"].rows}
        posted = [row["data"] for row in db["submissions"].rows_where("form_id = 'poster'")]
        assert posted and all('"poster_code":"' in data for data in posted)
        import json

        assert {json.loads(data)["poster_code"] for data in posted} <= codes
        assert db["poster_events"].count_where("event = 'posted'") >= 1


def test_the_form_opened_from_a_sheet_starts_with_its_code_and_group(client, auth, groups, printed):
    auth.login()
    page = client.get(f"/posters/sheet/{printed[1]}").get_data(as_text=True)
    link = page.split('class="button primary" href="')[1].split('"')[0].replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert f'value="{printed[1]}"' in form
    assert f'<option selected value="{groups[1]["uuid"]}"' in form or f'value="{groups[1]["uuid"]}" selected' in form
