"""`fieldkit roster export`: a cell a spreadsheet would run as a formula is written as text, in xlsx and csv."""

import csv
import io

import pytest
from openpyxl import load_workbook

from fieldkit.testing import BAO_HA

FORMULAS = ['=HYPERLINK("http://example.invalid/","Bấm vào đây")', "+84912345678", "-1+1", "@SUM(1,2)"]


def _cells(path):
    if path.suffix == ".csv":
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to show Vietnamese"
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]
    sheet = load_workbook(path).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "a cell is a formula"
    return [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_roster_export_writes_formulas_as_text(runner, create_group, tmp_path, extension):
    create_group(FORMULAS[0], head_name=FORMULAS[3], notes=FORMULAS[2], cultural_house_address=FORMULAS[1])
    out = tmp_path / f"xuat.{extension}"
    result = runner.invoke(args=["roster", "export", "--commune", BAO_HA, "-o", str(out)])
    assert result.exit_code == 0, result.output
    cells = _cells(out)
    for formula in FORMULAS:
        assert formula not in cells
        assert "'" + formula in cells
