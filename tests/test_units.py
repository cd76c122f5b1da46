import re

import pytest

from fieldkit.db import get_db
from fieldkit.units.units import commune_by_code, district_key, successors


def lines(runner, *args):
    result = runner.invoke(args=["units", "list", *args])
    assert result.exit_code == 0, result.output
    return [re.match(r"^(\d{5}) (.+)$", line).groups() for line in result.output.splitlines()]


@pytest.mark.parametrize("district", ["Bảo Yên", "Huyện Bảo Yên", "huyen bao yen", "BẢO YÊN"])
def test_bao_yen_has_17_communes(runner, district):
    communes = dict(lines(runner, "--era", "2023", "--district", district))
    assert len(communes) == 17
    assert communes["02947"] == "Thị trấn Phố Ràng"
    assert communes["02989"] == "Xã Bảo Hà"


@pytest.mark.parametrize(("district", "count"), [("Lào Cai", 17), ("Thành phố Lào Cai", 17), ("Bảo Thắng", 14)])
def test_district_counts(runner, district, count):
    assert len(lines(runner, "--era", "2023", "--district", district)) == count


def test_2025_era_holds_the_15_successors(runner):
    names = {name for _, name in lines(runner, "--era", "2025")}
    expected = {
        "Phường Lào Cai",
        "Phường Cam Đường",
        "Xã Hợp Thành",
        "Xã Cốc San",
        "Xã Bảo Thắng",
        "Xã Phong Hải",
        "Xã Xuân Quang",
        "Xã Tằng Loỏng",
        "Xã Gia Phú",
        "Xã Bảo Yên",
        "Xã Nghĩa Đô",
        "Xã Thượng Hà",
        "Xã Xuân Hòa",
        "Xã Bảo Hà",
        "Xã Phúc Khánh",
    }
    assert expected <= names and len(names) == 99


def test_old_communes_map_to_new(app):
    with app.app_context():
        db = get_db()
        assert [u["name"] for u in successors(db, "02989")] == ["Xã Bảo Hà"]
        thong_nhat = next(c for c in db["units"].rows_where("era='2023' and name='Xã Thống Nhất'"))
        assert successors(db, thong_nhat["code"])[0]["name"] == "Xã Gia Phú"
        ban_phiet = next(c for c in db["units"].rows_where("era='2023' and name='Xã Bản Phiệt'"))
        assert successors(db, ban_phiet["code"])[0]["name"] == "Phường Lào Cai"
        old = db.execute("select count(*) from units where era='2023' and level='commune'").fetchone()[0]
        mapped = db.execute("select count(distinct old_code) from unit_successors").fetchone()[0]
        assert old == mapped == 151


def test_same_code_differs_between_eras(app):
    with app.app_context():
        db = get_db()
        assert commune_by_code(db, "02647", "2023")["name"] == "Phường Kim Tân"
        assert commune_by_code(db, "02647", "2025")["name"] == "Phường Lào Cai"


def test_unknown_district_is_an_error(runner):
    result = runner.invoke(args=["units", "list", "--district", "Hà Nội"])
    assert result.exit_code != 0 and "Không tìm thấy huyện" in result.output


def test_district_key_ignores_prefix_case_and_marks():
    assert district_key("Thị xã Sa Pa") == district_key("sa pa") == "sa pa"


def test_generated_data_matches_the_generator():
    """The committed data is what the script makes from the maintained package."""
    generate = pytest.importorskip("fieldkit.units.generate")
    pytest.importorskip("vietnamadminunits")
    import json

    from fieldkit.units.units import DATA_DIR

    committed = json.loads((DATA_DIR / "lao-cai.json").read_text(encoding="utf-8"))
    fresh = generate.build()
    assert fresh["eras"] == committed["eras"] and fresh["successors"] == committed["successors"]
