"""Roster files in and out, through `fieldkit roster import/export`, with files made like communes make them."""

import unicodedata

import pytest
from openpyxl import load_workbook

from fieldkit.changes import current_seq
from fieldkit.db import get_db
from fieldkit.rosters.groups import find_by_name, list_groups
from fieldkit.testing import BAO_HA

from .roster_files import bad_roster, commune_roster, messy_roster, xlsx


@pytest.fixture
def import_file(runner, tmp_path):
    """Factory: write bytes to a file and run `fieldkit roster import` on it."""

    def run(data, name="danh-sach.xlsx", *options, commune=BAO_HA):
        path = tmp_path / name
        path.write_bytes(data)
        return runner.invoke(args=["roster", "import", str(path), "--commune", commune, *options])

    return run


def groups(app, commune=BAO_HA):
    from fieldkit.auth.scope import SYSTEM

    with app.app_context():
        return {g["name"]: g for g in list_groups(get_db(), SYSTEM, commune, active_only=False)}


def test_a_clean_commune_file_imports_whole(app, import_file):
    result = import_file(commune_roster())
    assert result.exit_code == 0, result.output
    assert "Đã thêm 3, cập nhật 0, giữ nguyên 0" in result.output
    stored = groups(app)
    assert set(stored) == {"Thôn Bảo Vinh", "Thôn Khe Bá", "Bản Nặm Rịa"}
    vinh = stored["Thôn Bảo Vinh"]
    assert vinh["head_phone"] == "0912345678" and vinh["households"] == 182 and vinh["population"] == 731
    assert vinh["ethnic_groups"] == ["01", "02"] and vinh["papi_years"] == [2023]
    assert (vinh["cultural_house_lat"], vinh["cultural_house_lon"]) == (22.2031, 104.3458)
    assert stored["Bản Nặm Rịa"]["kind"] == "ban" and stored["Bản Nặm Rịa"]["head_phone"] == "0368123456"
    assert stored["Bản Nặm Rịa"]["papi_years"] == [2021, 2023]


def test_a_messy_file_is_normalised(app, import_file):
    result = import_file(messy_roster())
    assert result.exit_code == 0, result.output
    assert "Cột tự thêm" in result.output  # the ignored column is named
    stored = groups(app)
    assert set(stored) == {"Thôn Bảo Vinh", "TỔ DÂN PHỐ SỐ 1", "Bản Khuổi Phường"}
    for group in stored.values():
        for key in ("name", "head_name", "notes"):
            if group[key]:
                assert unicodedata.is_normalized("NFC", group[key]), (key, group[key])
    vinh = stored["Thôn Bảo Vinh"]
    assert vinh["households"] == 1204 and vinh["population"] == 4820 and vinh["head_phone"] == "0912345678"
    assert vinh["ethnic_groups"] == ["01", "02"] and vinh["name_key"] == "thon bao vinh"
    tdp = stored["TỔ DÂN PHỐ SỐ 1"]
    assert tdp["kind"] == "to_dan_pho" and tdp["households"] == 1050 and tdp["population"] == 3987
    assert tdp["head_phone"] == "02143881234" and tdp["notes"] == "Gần chợ"
    khuoi = stored["Bản Khuổi Phường"]
    assert khuoi["head_phone"] == "0987654321" and khuoi["households"] == 95 and khuoi["ethnic_groups"] == ["09", "08"]


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row(app, import_file):
    result = import_file(bad_roster())
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert "Dòng 6: thiếu tên thôn" in lines
    assert any(line.startswith("Dòng 8: cột “Số điện thoại”: số điện thoại “12345” không hợp lệ") for line in lines)
    assert "Dòng 8: cột “Số hộ”: “khoảng 80” không phải là số" in lines
    assert "Dòng 9: cột “Dân tộc”: dân tộc “Người Sao Hỏa” không có trong danh mục 54 dân tộc" in lines
    assert "Dòng 9: tên “thôn bảo vinh” trùng với dòng 5" in lines
    assert not any(line.startswith("Dòng 5") or line.startswith("Dòng 7") for line in lines)
    assert "chưa nhập dòng nào" in result.output
    assert groups(app) == {}


def test_importing_twice_adds_nothing_and_changes_nothing(app, import_file):
    assert import_file(commune_roster()).exit_code == 0
    with app.app_context():
        seq = current_seq(get_db())
    before = groups(app)
    again = import_file(commune_roster())
    assert again.exit_code == 0 and "Đã thêm 0, cập nhật 0, giữ nguyên 3" in again.output
    assert groups(app) == before
    with app.app_context():
        assert current_seq(get_db()) == seq  # nothing would travel in the next sync


def test_reimport_updates_in_place_by_folded_name(app, import_file):
    import_file(commune_roster())
    uuid = groups(app)["Thôn Bảo Vinh"]["uuid"]
    changed = xlsx([["ten thon", "so ho", "SĐT"], ["THÔN BẢO VINH", "190", "0912 000 111"]])
    result = import_file(changed)
    assert "Đã thêm 0, cập nhật 1, giữ nguyên 0" in result.output, result.output
    assert "Thôn Khe Bá" in result.output  # named as not in the file, and kept
    vinh = groups(app)["THÔN BẢO VINH"]
    assert vinh["uuid"] == uuid and vinh["households"] == 190 and vinh["head_phone"] == "0912000111"
    assert vinh["population"] == 731  # a column the file does not have is left alone
    assert len(groups(app)) == 3


def test_dry_run_saves_nothing(app, import_file):
    result = import_file(commune_roster(), "danh-sach.xlsx", "--dry-run")
    assert result.exit_code == 0 and "Sẽ thêm 3" in result.output
    assert groups(app) == {}


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(app, runner, import_file, tmp_path, extension):
    import_file(messy_roster())
    import_file(commune_roster())
    with app.app_context():
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.rosters.groups import update_group

        db = get_db()
        khe_ba = find_by_name(db, BAO_HA, "Thôn Khe Bá")
        update_group(
            db,
            SYSTEM,
            khe_ba,
            {"active": 0, "languages": ["vi", "dao"], "cultural_house_address": "Cạnh trường tiểu học"},
        )
        seq = current_seq(db)
    before = groups(app)
    out = tmp_path / f"xuat.{extension}"
    result = runner.invoke(args=["roster", "export", "--commune", BAO_HA, "-o", str(out)])
    assert result.exit_code == 0, result.output
    if extension == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        assert "Thôn Bảo Vinh" in out.read_bytes().decode("utf-8-sig")
    else:
        sheet = load_workbook(out).active
        assert sheet["A1"].value.startswith("DANH SÁCH THÔN")
        phone_cell = next(row for row in sheet.iter_rows(values_only=True) if "Thôn Bảo Vinh" in row)[4]
        assert phone_cell == "0912345678"
    again = import_file(out.read_bytes(), out.name)
    assert again.exit_code == 0 and "cập nhật 0, giữ nguyên 5" in again.output, again.output
    assert groups(app) == before
    with app.app_context():
        assert current_seq(get_db()) == seq


def test_semicolon_csv_from_a_vietnamese_excel(app, import_file):
    data = "Danh sách thôn;;\r\nTên thôn;Số hộ;Số khẩu\r\nThôn Bảo Vinh;1.204;4.820\r\n".encode("utf-8-sig")
    result = import_file(data, "thon.csv")
    assert result.exit_code == 0, result.output
    assert groups(app)["Thôn Bảo Vinh"]["population"] == 4820


@pytest.mark.parametrize(
    "data, message",
    [
        (
            xlsx([["Danh sách"], ["a", "b"]]),
            "Không tìm thấy dòng tiêu đề cột: trong 25 dòng đầu cần một dòng có cột “Tên thôn”",
        ),
        (xlsx([["Tên thôn", "Số hộ"]]), "không có dòng dữ liệu"),
        (
            xlsx([["Tên thôn", "SĐT", "Số điện thoại"], ["Thôn A", "0912345678", "0912345678"]]),
            "cùng chỉ một thông tin",
        ),
    ],
)
def test_files_fieldkit_cannot_read_say_why(app, import_file, data, message):
    result = import_file(data)
    assert result.exit_code != 0 and message in result.output


def test_unknown_commune_and_bad_output_are_refused(runner, import_file, tmp_path):
    assert "Không có xã, phường mã “99999”" in import_file(commune_roster(), commune="99999").output
    result = runner.invoke(args=["roster", "export", "--commune", BAO_HA, "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and ".xlsx" in result.output


def test_two_row_headers_under_merged_cells_and_other_officials(app, import_file):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH THÔN, NHÀ VĂN HÓA VÀ CÁN BỘ THÔN"])
    sheet.append(
        [
            "STT",
            "Tên thôn",
            "Trưởng thôn",
            None,
            "Bí thư chi bộ",
            None,
            "Nhà văn hóa",
            None,
            None,
            "Thôn được chọn khảo sát PAPI 2023",
        ]
    )
    sheet.append([None, None, "Họ tên", "Số điện thoại", "Họ tên", "Số điện thoại", "Tên", "Địa chỉ", "Tọa độ", None])
    for merged in ("C2:D2", "E2:F2", "G2:I2", "A2:A3", "B2:B3", "J2:J3"):
        sheet.merge_cells(merged)
    sheet.append(
        [
            1,
            "Thôn Bảo Vinh",
            "Nguyễn Văn An",
            "0912345678",
            "Lò Văn Bảy",
            "0987000111",
            "NVH Bảo Vinh",
            "Cạnh chợ",
            "22.2031, 104.3458",
            "x",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    result = import_file(out.getvalue())
    assert result.exit_code == 0, result.output
    vinh = groups(app)["Thôn Bảo Vinh"]
    assert vinh["head_name"] == "Nguyễn Văn An" and vinh["head_phone"] == "0912345678"
    assert vinh["cultural_house_name"] == "NVH Bảo Vinh" and vinh["cultural_house_address"] == "Cạnh chợ"
    assert vinh["cultural_house_lat"] == 22.2031 and vinh["papi_years"] == [2023]


def test_the_table_may_sit_on_a_later_sheet(app, import_file):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Hướng dẫn"
    workbook.active.append(["Điền danh sách ở trang sau."])
    data_sheet = workbook.create_sheet("Danh sách")
    data_sheet.append(["Tên thôn", "Số hộ"])
    data_sheet.append(["Thôn Bảo Vinh", 1.204])  # "1.204" typed into an Excel set to English
    out = io.BytesIO()
    workbook.save(out)
    result = import_file(out.getvalue())
    assert "Đọc trang tính “Danh sách”" in result.output
    assert "Dòng 2: cột “Số hộ”: “1.204” không phải là số nguyên; nếu là 1204 thì gõ 1204" in result.output
    assert result.exit_code != 0


def test_demo_gives_bao_ha_marked_groups_two_sampled(tmp_path):
    from click.testing import CliRunner

    from fieldkit.cli import main
    from fieldkit.db import connect

    instance = tmp_path / "demo"
    assert CliRunner().invoke(main, ["--instance", str(instance), "init", "--demo"]).exit_code == 0
    db = connect(str(instance / "fieldkit.sqlite3"))
    rows = list(db["residential_groups"].rows_where("commune_code = ?", [BAO_HA]))
    assert 6 <= len(rows) <= 8
    assert all("Dữ liệu mẫu" in row["notes"] and row["cultural_house_name"] for row in rows)
    assert sum(row["papi_years"] == "[2023]" for row in rows) == 2


def test_a_sheet_without_diacritics_keeps_the_names_that_have_them(app, import_file):
    import_file(commune_roster())
    plain = xlsx([["Ten thon", "Truong thon", "So ho"], ["Thon Bao Vinh", "Nguyen Van An", "190"]])
    result = import_file(plain)
    assert result.exit_code == 0, result.output
    vinh = groups(app)["Thôn Bảo Vinh"]
    assert vinh["head_name"] == "Nguyễn Văn An" and vinh["households"] == 190
    assert "Thon Bao Vinh" not in groups(app)
    corrected = xlsx([["Tên thôn", "Trưởng thôn"], ["Thôn Bảo Vinh", "Nguyễn Văn Ân"]])
    import_file(corrected)  # a mark corrected in the sheet is taken
    assert groups(app)["Thôn Bảo Vinh"]["head_name"] == "Nguyễn Văn Ân"


def test_dry_run_says_what_each_row_changes(app, import_file):
    import_file(commune_roster())
    changed = xlsx(
        [["Tên thôn", "Số hộ", "Trưởng thôn"], ["Thon Khe Ba", "101", "Triệu Văn Sơn"], ["Thôn Mới", "12", None]]
    )
    result = import_file(changed, "thay-doi.xlsx", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dòng 2: Thôn Khe Bá: Số hộ: 97 → 101" in result.output
    assert "Dòng 3: thêm mới “Thôn Mới”" in result.output
    assert "Sẽ thêm 1, cập nhật 1" in result.output
    assert groups(app)["Thôn Khe Bá"]["households"] == 97
