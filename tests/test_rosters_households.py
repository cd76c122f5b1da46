"""Household lists: imported, exported, marked reached; only counts are for leaving the laptop."""

import io

import pytest

from fieldkit.auth.scope import SYSTEM, Scope
from fieldkit.db import get_db
from fieldkit.rosters.households import export_households, household_counts, import_households, list_households
from fieldkit.testing import BAO_HA, PHO_LU

from .roster_files import nfd, xlsx


def household_file(*extra_rows):
    return xlsx(
        [
            ["DANH SÁCH HỘ GIA ĐÌNH THÔN BẢO VINH"],
            [],
            ["STT", "Họ tên chủ hộ", "Địa chỉ", "Số nhân khẩu", "Dân tộc", "SĐT", "Ngày tuyên truyền", "Hình thức"],
            [1, nfd("Nguyễn Văn An"), "Xóm 1", 5, "Kinh", "0912 345 678", "15/08/2025", "Đến từng hộ gia đình"],
            [2, "Nguyễn Văn An", "Xóm 3", "4", "Tày", None, None, None],
            [3, "Triệu Thị Mây", None, 6, "Dao đỏ", None, None, None],
            *extra_rows,
        ]
    )


@pytest.fixture
def vinh(create_group):
    return create_group("Thôn Bảo Vinh")


def test_import_twice_updates_in_place_and_counts(app, vinh):
    with app.app_context():
        db = get_db()
        plan = import_households(db, SYSTEM, vinh, household_file(), "ho.xlsx")
        assert plan.ok and plan.summary() == {"added": 3, "updated": 0, "unchanged": 0}
        again = import_households(db, SYSTEM, vinh, household_file(), "ho.xlsx")
        assert again.summary() == {"added": 0, "updated": 0, "unchanged": 3}
        rows = {(h["head_name"], h["address"]): h for h in list_households(db, SYSTEM, vinh)}
        an = rows[("Nguyễn Văn An", "Xóm 1")]
        assert (
            an["phone"] == "0912345678" and an["reached_on"] == "2025-08-15" and an["reached_channel"] == "door_to_door"
        )
        assert rows[("Triệu Thị Mây", None)]["ethnic_group"] == "09"
        assert household_counts(db, SYSTEM) == {vinh["uuid"]: {"households": 3, "reached": 1}}
        officer_elsewhere = Scope(9, "pholu", "officer", frozenset({PHO_LU}))
        assert household_counts(db, officer_elsewhere) == {}


def test_bad_household_rows_import_nothing(app, vinh):
    with app.app_context():
        db = get_db()
        plan = import_households(
            db,
            SYSTEM,
            vinh,
            household_file(
                [4, None, None, "nhiều"], [5, "Nguyễn Văn An", "Xóm 1", 2, None, None, None, "Loa truyền thanh"]
            ),
            "ho.xlsx",
        )
        messages = [str(p) for p in plan.problems]
        assert "Dòng 7: thiếu họ tên chủ hộ" in messages
        assert "Dòng 7: cột “Số nhân khẩu”: “nhiều” không phải là số" in messages
        assert any(m.startswith("Dòng 8: có hình thức") for m in messages)
        assert list_households(db, SYSTEM, vinh) == []


def test_export_reimports_unchanged(app, vinh):
    with app.app_context():
        db = get_db()
        import_households(db, SYSTEM, vinh, household_file(), "ho.xlsx")
        for name in ("ho.xlsx", "ho.csv"):
            data = export_households(list_households(db, SYSTEM, vinh), name)
            assert import_households(db, SYSTEM, vinh, data, name).summary() == {
                "added": 0,
                "updated": 0,
                "unchanged": 3,
            }


def test_households_never_travel(app):
    with app.app_context():
        columns = get_db()["households"].columns_dict
    assert "seq" not in columns and "origin_site" not in columns and "uuid" in columns


def test_officer_marks_a_household_reached(client, auth, app, vinh):
    with app.app_context():
        import_households(get_db(), SYSTEM, vinh, household_file(), "ho.xlsx")
    auth.login("officer")
    page = client.get(f"/rosters/groups/{vinh['uuid']}/households").get_data(as_text=True)
    assert "1/3 hộ đã được tuyên truyền" in page
    assert "Nhập danh sách hộ từ tệp" not in page  # officers do not import
    cards = page.split('id="h-')[1:]
    uuid = next(card.split('"')[0] for card in cards if "Đánh dấu đã tuyên truyền" in card)
    response = client.post(
        f"/rosters/households/{uuid}/reached",
        data={"reached_on": "2025-09-01", "channel": "village_meeting"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "2/3 hộ đã được tuyên truyền" in html and "Đã tuyên truyền 01/09/2025" in html
    bad = client.post(
        f"/rosters/households/{uuid}/reached",
        data={"reached_on": "", "channel": "village_meeting"},
        follow_redirects=True,
    )
    assert "Hãy nhập ngày." in bad.get_data(as_text=True)
    auth.logout()
    auth.login("pholu")
    assert client.post(f"/rosters/households/{uuid}/reached", data={"clear": "1"}).status_code == 404


def test_admin_uploads_a_household_list(client, auth, vinh):
    auth.login("admin")
    response = client.post(
        f"/rosters/groups/{vinh['uuid']}/households",
        data={"file": (io.BytesIO(household_file()), "ho.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Đã nhập danh sách hộ: thêm 3" in response.get_data(as_text=True)
    export = client.get(f"/rosters/groups/{vinh['uuid']}/households/export")
    assert export.data[:2] == b"PK"


def test_household_commands_round_trip(runner, vinh, tmp_path):
    source = tmp_path / "ho.xlsx"
    source.write_bytes(household_file())
    args = ["--commune", BAO_HA, "--group", "thon bao vinh"]
    result = runner.invoke(args=["roster", "households-import", str(source), *args])
    assert result.exit_code == 0 and "Đã thêm 3" in result.output, result.output
    out = tmp_path / "xuat.csv"
    assert runner.invoke(args=["roster", "households-export", *args, "-o", str(out)]).exit_code == 0
    again = runner.invoke(args=["roster", "households-import", str(out), *args])
    assert "giữ nguyên 3 hộ" in again.output
    missing = runner.invoke(
        args=["roster", "households-import", str(source), "--commune", BAO_HA, "--group", "Thôn Không Có"]
    )
    assert missing.exit_code != 0 and "không có thôn" in missing.output


def test_a_household_file_without_its_header_says_which_column_is_needed():
    from fieldkit.rosters.households import parse_households

    records, problems = parse_households(
        xlsx([["Danh sách hộ"], ["Tên thôn", "Số hộ"], ["Thôn Bảo Vinh", 12]]), "ho.xlsx"
    )
    assert records == [] and "“Họ tên chủ hộ”" in str(problems[0])
