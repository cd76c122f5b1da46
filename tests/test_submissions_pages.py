"""The pages: the mobile form without JavaScript, records, edit, delete, history, conflicts, photos."""

import io
import json
import re
import uuid
from datetime import date

import pytest
from PIL import Image

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, record_for


@pytest.fixture
def groups(create_group):
    return [create_group("Thôn Bảo Vinh"), create_group("Thôn Khuổi Phường")]


def session_form_data(group, **changes):
    data = {
        "date": "2026-11-20",
        "start_time": "08:30",
        "residential_group": group["uuid"],
        "channel": "village_meeting",
        "topics": ["participation", "survey_participation"],
        "presenter": "Nguyễn Thị Hoa",
        "attendees_total": "40",
        "attendees_women": "22",
        "languages": ["vi", "tay"],
        "materials_handed_out": "no",
        "notes": "Người dân hỏi nhiều.",
        "location__lat": "22.25",
        "location__lon": "104.45",
        "uuid": "",
    }
    data.update(changes)
    return data


def png_bytes(color="red", size=(40, 30), kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def test_forms_page_lists_the_four_forms(client, auth):
    auth.login()
    page = client.get("/forms/").get_data(as_text=True)
    for title in ("Buổi tuyên truyền", "Phát thanh trên loa", "Áp phích: dán hoặc kiểm tra", "Thăm hộ gia đình"):
        assert title in page


def test_form_carries_constraints_and_hooks_for_the_offline_script(client, auth, groups):
    auth.login()
    page = client.get("/forms/session/new").get_data(as_text=True)
    assert 'data-form-id="session"' in page and 'data-form-version="1"' in page and f'data-commune="{BAO_HA}"' in page
    assert '"submissions": "/api/v1/submissions"' in page  # the URL the outbox posts to, given by the page
    assert re.search(r'<input[^>]*name="uuid"[^>]*value=""', page)
    total = re.search(r'<input[^>]*name="attendees_total"[^>]*>', page).group(0)
    for attribute in ('type="text"', 'data-min="0"', 'data-max="5000"', 'inputmode="numeric"', "required"):
        assert attribute in total
    assert re.search(r'<input[^>]*name="date"[^>]*type="date"|<input[^>]*type="date"[^>]*name="date"', page)
    assert 'maxlength="120"' in page and "Thôn Khuổi Phường" in page
    # A field shown by a condition is required only once shown.
    assert 'data-show-if-field="materials_handed_out"' in page
    assert "<script>" not in page and "style=" not in page


def test_plain_post_saves_with_a_server_made_uuid(app, client, auth, groups):
    auth.login()
    response = client.post("/forms/session/new", data=session_form_data(groups[0]), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã lưu bản ghi." in page
    assert "20/11/2026" in page and "Thôn Bảo Vinh" in page and "Tham gia trả lời khảo sát PAPI" in page
    with app.app_context():
        (row,) = get_db()["submissions"].rows
    assert uuid.UUID(row["uuid"]) and json.loads(row["data"])["location"] == {"lat": 22.25, "lon": 104.45}


def test_post_with_the_pages_uuid_is_idempotent(app, client, auth, groups):
    auth.login()
    record_uuid = str(uuid.uuid4())
    data = session_form_data(groups[0], uuid=record_uuid)
    client.post("/forms/session/new", data=data)
    again = client.post("/forms/session/new", data=data, follow_redirects=True)
    assert "Bản ghi này đã được lưu trước đó." in again.get_data(as_text=True)
    with app.app_context():
        assert get_db()["submissions"].count == 1


def test_bad_post_shows_vietnamese_messages_and_keeps_values(client, auth, groups):
    auth.login()
    response = client.post("/forms/session/new", data=session_form_data(groups[0], presenter="", attendees_total="-3"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Hãy nhập tên người trình bày." in page and "Số người dự không được âm." in page
    assert "Người dân hỏi nhiều." in page


def test_condition_makes_a_hidden_field_required_only_when_shown(client, auth, groups):
    auth.login()
    shown = client.post("/forms/session/new", data=session_form_data(groups[0], materials_handed_out="yes"))
    assert shown.status_code == 422 and "Hãy chọn tài liệu đã phát." in shown.get_data(as_text=True)


def _one_record(client, groups):
    response = client.post("/forms/session/new", data=session_form_data(groups[0]))
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[1]


def test_edit_delete_and_history_keep_every_version(app, client, auth, groups):
    auth.login()
    root = _one_record(client, groups)
    edit_page = client.get(f"/records/{root}/edit").get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in edit_page
    edited = client.post(
        f"/records/{root}/edit", data=session_form_data(groups[1], presenter="Lò Văn Minh"), follow_redirects=True
    )
    assert "Đã lưu bản sửa." in edited.get_data(as_text=True) and "Lò Văn Minh" in edited.get_data(as_text=True)
    listing = client.get(f"/records/?group={groups[1]['uuid']}").get_data(as_text=True)
    assert "1 bản ghi" in listing
    assert "0 bản ghi" in client.get(f"/records/?group={groups[0]['uuid']}").get_data(as_text=True)
    assert "Bạn có chắc muốn xóa" in client.get(f"/records/{root}/delete").get_data(as_text=True)
    deleted = client.post(f"/records/{root}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Đã xóa bản ghi." in deleted and "0 bản ghi" in deleted
    history = client.get(f"/records/{root}/history").get_data(as_text=True)
    assert history.count('<li class="card">') == 3 and "Nguyễn Thị Hoa" in history and "Lò Văn Minh" in history
    with app.app_context():
        rows = list(get_db()["submissions"].rows_where(order_by="id"))
        actions = [r["action"] for r in get_db()["audit_log"].rows_where("entity = 'submissions'", order_by="id")]
    assert [r["deleted"] for r in rows] == [0, 0, 1] and rows[2]["replaces_uuid"] == rows[1]["uuid"]
    assert actions == ["submission.create", "submission.edit", "submission.delete"]


def test_list_filters_by_date_and_form(client, auth, groups):
    auth.login()
    _one_record(client, groups)
    assert "1 bản ghi" in client.get("/records/?from=2026-11-01&to=2026-11-30&form=session").get_data(as_text=True)
    assert "0 bản ghi" in client.get("/records/?from=2026-11-21").get_data(as_text=True)
    assert "0 bản ghi" in client.get("/records/?channel=loudspeaker").get_data(as_text=True)


def test_other_commune_cannot_see_or_change_a_record(client, auth, groups):
    auth.login()
    root = _one_record(client, groups)
    auth.logout()
    auth.login("pholu")
    for path in (f"/records/{root}", f"/records/{root}/edit", f"/records/{root}/history", f"/records/{root}/delete"):
        assert client.get(path).status_code == 404
    assert client.post(f"/records/{root}/delete").status_code == 404


def test_conflicts_are_reviewed_by_the_commune_admin(app, client, auth, groups):
    auth.login()
    definition = client.get("/api/v1/forms/poster").get_json()
    record = record_for(
        definition,
        data={
            "date": "2026-11-20",
            "poster_code": "BH-001",
            "action": "posted",
            "residential_group": groups[0]["uuid"],
        },
    )
    post = lambda body: client.post("/api/v1/submissions", json=body, headers=HEADERS)  # noqa: E731
    assert post(record).status_code == 201
    assert post({**record, "data": {**record["data"], "poster_code": "BH-002"}}).status_code == 409
    assert client.get("/conflicts/").status_code == 403
    auth.logout()
    auth.login("admin")
    listing = client.get("/conflicts/").get_data(as_text=True)
    assert "Chưa xử lý" in listing
    with app.app_context():
        conflict_uuid = get_db()["conflicts"].get(1)["uuid"]
    review = client.get(f"/conflicts/{conflict_uuid}").get_data(as_text=True)
    assert "BH-001" in review and "BH-002" in review
    assert review.count('class="value changed"') == 2  # the poster code differs, on both sides
    client.post(f"/conflicts/{conflict_uuid}", data={"resolution": "used_copy"})
    items = client.get("/api/v1/submissions").get_json()["items"]
    assert [i["data"]["poster_code"] for i in items] == ["BH-002"] and items[0]["root_uuid"] == record["uuid"]
    assert "Đã xử lý" in client.get("/conflicts/").get_data(as_text=True)


def test_photos_are_checked_by_content_and_stored_by_hash(app, client, auth, groups):
    auth.login()
    root = _one_record(client, groups)
    upload = lambda content, name="a.jpg": client.post(  # noqa: E731
        "/api/v1/media",
        data={"submission_uuid": root, "field": "photo", "file": (io.BytesIO(content), name)},
        headers=HEADERS,
    )
    first = upload(png_bytes())
    assert first.status_code == 201, first.get_json()
    sha = first.get_json()["sha256"]
    assert upload(png_bytes()).status_code == 200
    assert upload(b"<html>not an image</html>").status_code == 422
    assert upload(png_bytes(kind="GIF")).status_code == 422
    assert (
        client.post(
            "/api/v1/media", data={"submission_uuid": root, "file": (io.BytesIO(png_bytes()), "a.png")}
        ).status_code
        == 403
    )
    assert client.get(f"/media/{sha}/thumb").mimetype == "image/jpeg"
    assert client.get(f"/media/{sha}").data == png_bytes()
    assert f"/media/{sha}/thumb" in client.get(f"/records/{root}").get_data(as_text=True)
    auth.logout()
    auth.login("pholu")
    assert client.get(f"/media/{sha}").status_code == 404


def test_photo_through_the_plain_form(app, client, auth, groups):
    auth.login()
    data = session_form_data(groups[0], photo=(io.BytesIO(png_bytes("blue", kind="JPEG")), "p.jpg"))
    response = client.post("/forms/session/new", data=data, content_type="multipart/form-data", follow_redirects=True)
    assert "Đã lưu bản ghi." in response.get_data(as_text=True)
    with app.app_context():
        (photo,) = get_db()["media"].rows
        (row,) = get_db()["submissions"].rows
    assert json.loads(row["data"])["photo"] == [photo["sha256"]] and photo["mime"] == "image/jpeg"
    bad = session_form_data(groups[0], photo=(io.BytesIO(b"GIF89a junk"), "p.jpg"))
    response = client.post("/forms/session/new", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422 and "Chỉ nhận ảnh JPEG, PNG hoặc WebP." in response.get_data(as_text=True)


def test_demo_loader_adds_weeks_of_marked_records(tmp_path):
    from click.testing import CliRunner

    from fieldkit.cli import main

    instance = tmp_path / "demo"
    assert CliRunner().invoke(main, ["--instance", str(instance), "init", "--demo"]).exit_code == 0
    result = CliRunner().invoke(main, ["--instance", str(instance), "stats", "--json"])
    counts = json.loads(result.output)
    assert counts["submissions"] >= 30


def test_central_admin_chooses_the_commune_first(client, auth, groups):
    auth.login("central")
    page = client.get("/forms/broadcast/new").get_data(as_text=True)
    assert "Chọn xã, phường" in page and f'commune={BAO_HA}">' in page
    form = client.get(f"/forms/broadcast/new?commune={BAO_HA}").get_data(as_text=True)
    assert f'data-commune="{BAO_HA}"' in form and "Thôn Bảo Vinh" in form


def test_officer_cannot_open_the_form_for_another_commune(client, auth):
    auth.login()
    assert client.get("/forms/session/new?commune=02905").status_code == 403
    assert client.get("/forms/nope/new").status_code == 404


def test_form_in_english(client, auth, groups):
    auth.login()
    client.post("/language", data={"lang": "en"})
    page = client.get("/forms/session/new").get_data(as_text=True)
    assert "Attendees in total" in page and "Taking part in the PAPI survey" in page and "Save" in page


def test_forms_check_command(runner):
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 0 and "4" in result.output
    listing = runner.invoke(args=["forms", "list"]).output
    assert "session\t1\tBuổi tuyên truyền" in listing


def test_the_broadcast_plan_links_open_the_form_filled_in(client, auth, groups):
    """Each day of the plan opens the broadcast form with its date, topic and day number."""
    auth.login()
    plan = client.get("/posters/scripts?topic=your-rights&start=2026-11-23&days=3").get_data(as_text=True)
    links = re.findall(r'href="(/forms/broadcast/new\?[^"]+)"', plan)
    assert len(links) == 3
    page = client.get(links[1].replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="date"[^>]*value="2026-11-24"', page)
    assert re.search(
        r'<option selected value="grassroots_democracy_law"|value="grassroots_democracy_law" selected', page
    )
    assert re.search(r'<input[^>]*name="consecutive_day"[^>]*value="2"', page)
    # A new record starts at today; a value the form would refuse is left out.
    page = client.get("/forms/broadcast/new?topic=nonsense&minutes=-5").get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="date"[^>]*value="{date.today().isoformat()}"', page)
    assert 'value="-5"' not in page and 'selected value="nonsense"' not in page
