"""Dashboard and coverage reports on a central holding the demo sites' records."""

import csv
import io
import json
import re
import uuid

import pytest
from openpyxl import load_workbook

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.demo import load_demo
from fieldkit.reports import queries
from fieldkit.reports.exports import Sheet, add_report_sheet
from fieldkit.testing import BAO_HA, PHO_LU, make_app

from .pdftools import pdf_fonts, pdf_text

HYPERLINK = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


@pytest.fixture
def central(tmp_path):
    """A central with the demo: four communes' records, each as from its own site."""
    app = make_app(tmp_path, role="central")
    with app.app_context():
        load_demo(get_db(), app, "central")
    return app


@pytest.fixture
def central_client(central):
    client = central.test_client()
    client.post("/login", data={"username": "central", "password": "mat-khau-thu-nghiem"})
    return client


def login(app, username):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "mat-khau-thu-nghiem"})
    return client


def add_session(app, commune, presenter="Cán bộ xã", day="2026-11-20", total=40, group_uuid=None, code=None):
    """Insert a session as a synced row would arrive (the rollup counts it through its trigger)."""
    version = str(uuid.uuid4())
    data = {
        "date": day,
        "start_time": "08:00",
        "channel": "village_meeting",
        "topics": ["participation"],
        "presenter": presenter,
        "attendees_total": total,
        "attendees_women": total // 2,
        "attendees_ethnic_minority": 0,
        "residential_group": group_uuid,
    }
    with app.app_context():
        get_db()["submissions"].insert(
            {
                "uuid": version,
                "origin_site": "site-x",
                "form_id": "session",
                "form_version": "1",
                "commune_code": code or commune,
                "data": json.dumps(data, ensure_ascii=False),
                "received_at": f"{day}T10:00:00Z",
                "root_uuid": version,
                "deleted": 0,
                "event_date": day,
                "group_uuid": group_uuid,
                "channel": "village_meeting",
            }
        )


# --- the dashboard ---------------------------------------------------------------------------


def test_central_dashboard_has_svg_charts_and_a_row_per_commune(central_client):
    page = central_client.get("/dashboard").get_data(as_text=True)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 3
    for code, name in [(BAO_HA, "Xã Bảo Hà"), (PHO_LU, "Thị trấn Phố Lu"), ("02947", "Thị trấn Phố Ràng")]:
        row = re.search(rf'<tr data-commune="{code}">.*?</tr>', page, re.S)
        assert row and name in row.group(0)
    # Each chart has its text alternative: a title, a sentence, and a table of its figures.
    assert page.count("<desc id=") >= 3 and page.count("Bảng số liệu") >= 3
    assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", page).replace("http://localhost", "")


def test_admins_land_on_the_dashboard_officers_on_their_tiles(central, tmp_path):
    assert "Tổng hợp kết quả tuyên truyền" in login(central, "central").get("/home").get_data(as_text=True)
    assert "Tổng hợp kết quả tuyên truyền" in login(central, "admin").get("/home").get_data(as_text=True)
    assert "Xin chào" in login(central, "officer").get("/home").get_data(as_text=True)


def test_a_commune_sees_only_its_own_rows(central):
    page = login(central, "pholu").get("/dashboard").get_data(as_text=True)
    assert 'data-commune="02905"' in page
    assert "Bảo Hà" not in page
    # Asking for another commune by filter gives nothing of it.
    page = login(central, "pholu").get(f"/dashboard?commune={BAO_HA}").get_data(as_text=True)
    assert "Bảo Hà" not in page and "Chưa có số liệu" in page


def sampled_names(app):
    """Bảo Hà's groups in a PAPI sample, read without the dashboard: a year on the roster, or a survey sample."""
    with app.app_context():
        db = get_db()
        names = {
            row[0]
            for row in db.execute(
                "SELECT name FROM residential_groups WHERE commune_code = ? AND papi_years != '[]'", [BAO_HA]
            )
        }
        if "survey_samples" in db.table_names():
            names |= {
                row[0]
                for row in db.execute(
                    "SELECT g.name FROM residential_groups g JOIN survey_samples s ON s.group_key = g.name_key"
                    " AND s.commune_code = g.commune_code WHERE s.removed = 0 AND g.commune_code = ?",
                    [BAO_HA],
                )
            }
    return names


def test_one_commune_shows_its_groups_sampled_first_with_unreached_flagged(central, central_client):
    page = central_client.get(f"/dashboard?commune={BAO_HA}").get_data(as_text=True)
    groups = re.search(r"Theo thôn, bản, tổ dân phố.*?</table>", page, re.S).group(0)
    names = re.findall(r'<th scope="row">([^<]+?)\s*(?:<span|</th>)', groups)
    expected = sampled_names(central)
    assert {"Thôn Bảo Vinh", "Thôn Bảo Ân"} <= expected
    assert set(names[: len(expected)]) == expected
    assert groups.count("Khảo sát PAPI</span>") == len(expected)


def test_rows_link_to_the_records_behind_them(central_client):
    page = central_client.get("/dashboard?from=01/11/2026&to=30/11/2026").get_data(as_text=True)
    link = re.search(r'href="(/records/\?[^"]*commune=02989[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "from=2026-11-01" in link and "to=2026-11-30" in link
    listed = central_client.get(link).get_data(as_text=True)
    total = int(re.search(r"(\d+) bản ghi", listed).group(1))
    with central_client.application.app_context():
        board = queries.dashboard(
            get_db(), SYSTEM, queries.Filters("2026-11-01", "2026-11-30", communes=(BAO_HA,)), today="2026-12-01"
        )
    assert total == board.total.records > 0


def test_a_bad_date_gets_a_vietnamese_message(central_client):
    page = central_client.get("/dashboard?from=31/02/2026").get_data(as_text=True)
    assert "không hợp lệ" in page and "ngày/tháng/năm" in page


def test_old_codes_roll_up_to_2025_communes_and_back(central):
    # Phường Duyên Hải (02635, 2023) became Phường Lào Cai (02647 in 2025); Kim Tân (02647, 2023) too.
    add_session(central, "02635", total=11)
    with central.app_context():
        db = get_db()
        old = queries.dashboard(db, SYSTEM, queries.Filters(era="2023"), today="2026-12-01")
        new = queries.dashboard(db, SYSTEM, queries.Filters(era="2025"), today="2026-12-01")
        by_code_old = {row.code: row for row in old.communes}
        by_code_new = {row.code: row for row in new.communes}
        assert by_code_old["02635"].name == "Phường Duyên Hải" and by_code_old["02635"].attendees == 11
        merged = by_code_new["02647"]
        assert merged.name == "Phường Lào Cai"
        assert merged.attendees == by_code_old["02647"].attendees + 11
        assert sorted(merged.raw_codes) == ["02635", "02647"]
        # The district filter (2023) keeps only its communes.
        bao_yen = queries.dashboard(db, SYSTEM, queries.Filters(district="087"), today="2026-12-01")
        assert {row.code for row in bao_yen.communes} == {BAO_HA, "02947"}


# --- exports ---------------------------------------------------------------------------------


def test_xlsx_has_typed_sheets_frozen_headers_and_neutralised_text(central, central_client):
    add_session(central, BAO_HA, presenter=HYPERLINK, total=33)
    response = central_client.get("/dashboard/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:4] == ["summary", "communes", "groups", "sessions"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    communes = book["communes"]
    names = [row[1] for row in communes.iter_rows(min_row=2, values_only=True)]
    assert "Xã Bảo Hà" in names
    bao_ha = next(row for row in communes.iter_rows(min_row=2, values_only=True) if row[1] == "Xã Bảo Hà")
    assert isinstance(bao_ha[3], int) and bao_ha[4].year == 2026
    presenters = [row[4] for row in book["sessions"].iter_rows(min_row=2, values_only=True)]
    assert "'" + HYPERLINK in presenters
    assert not any(isinstance(p, str) and p.startswith("=") for p in presenters)


def test_csv_is_utf8_with_a_bom_and_neutralised(central, central_client):
    add_session(central, BAO_HA)
    with central.app_context():
        get_db().execute("UPDATE units SET name = ? WHERE era = '2023' AND code = ?", ["=1+1 Bảo Hà", BAO_HA])
    content = central_client.get("/dashboard/report.csv").data
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][1] == "Xã, phường, thị trấn"
    assert "'=1+1 Bảo Hà" in [row[1] for row in rows[1:]]


def test_pdf_is_an_administrative_report_with_embedded_fonts(central_client, tmp_path):
    response = central_client.get("/dashboard/report.pdf?from=01/10/2026&to=31/12/2026")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    text = " ".join(pdf_text(path).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Số:",
        "Lào Cai, ngày",
        "Xã Bảo Hà",
        "Thị trấn Phố Lu",
        "Từ ngày 01/10/2026 đến ngày 31/12/2026",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    fonts = pdf_fonts(path)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert not any("Helvetica" in name for name, _ in fonts)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_cli_report_writes_each_format(central, tmp_path, fmt):
    out = tmp_path / f"r.{fmt}"
    result = central.test_cli_runner().invoke(
        args=["report", "--format", fmt, "-o", str(out), "--from", "01/10/2026", "--commune", BAO_HA]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        names = {row[1] for row in book["communes"].iter_rows(min_row=2, values_only=True)}
        assert names == {"Xã Bảo Hà"}
    elif fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf") and "Xã Bảo Hà" in data.decode("utf-8-sig")
        assert "Phố Lu" not in data.decode("utf-8-sig")
    else:
        path = tmp_path / "r.pdf"
        assert "Xã Bảo Hà" in pdf_text(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "31/02/2026"], "không phải là ngày"),
        (["--from", "01/12/2026", "--to", "01/11/2026"], "Ngày bắt đầu phải trước ngày kết thúc"),
        (["--commune", "bao-ha"], "Không có xã, phường mã “bao-ha”"),
    ],
)
def test_cli_refuses_bad_filters_in_vietnamese(central, tmp_path, args, message):
    out = tmp_path / "r.csv"
    result = central.test_cli_runner().invoke(args=["report", "--format", "csv", "-o", str(out), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()


def test_another_area_can_add_a_sheet(tmp_path):
    app = make_app(tmp_path, role="central")
    add_report_sheet(app, lambda db, scope, filters: Sheet("visits", "Lịch khảo sát", [("Thôn", "text")], [["=x"]]))
    out = tmp_path / "r.xlsx"
    result = app.test_cli_runner().invoke(args=["report", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames[-1] == "visits" and book["visits"]["A2"].value == "'=x"


def test_sampled_groups_without_a_recent_session_are_listed(central):
    with central.app_context():
        db = get_db()
        later = queries.dashboard(db, SYSTEM, queries.Filters(), today="2027-06-01")
        listed = {name for name, commune, _uuid in later.sampled_unreached if commune == "Xã Bảo Hà"}
        assert listed == sampled_names(central)
        sessions = db.execute(
            "SELECT g.name, json_extract(s.data, '$.date') FROM submissions s JOIN residential_groups g"
            " ON g.uuid = s.group_uuid WHERE s.form_id = 'session' AND g.name IN ('Thôn Bảo Vinh', 'Thôn Bảo Ân')"
        ).fetchall()
        name, day = max(sessions, key=lambda pair: pair[1])
        now = queries.dashboard(db, SYSTEM, queries.Filters(), today=day)
        assert name not in {n for n, _commune, _uuid in now.sampled_unreached}


def test_a_group_in_the_survey_years_sample_counts_as_sampled(central):
    before = sampled_names(central)
    assert "Thôn Tân Thành" not in before
    result = central.test_cli_runner().invoke(
        args=["survey", "year", "2027", "--from", "01/08/2027", "--to", "30/11/2027", "--group", "02989:Thôn Tân Thành"]
    )
    assert result.exit_code == 0, result.output
    with central.app_context():
        db = get_db()
        board = queries.dashboard(db, SYSTEM, queries.Filters(communes=(BAO_HA,)), today="2027-06-01")
        sampled = [g.name for g in board.groups if g.sampled]
        assert set(sampled) == before | {"Thôn Tân Thành"}
        assert [g.name for g in board.groups[: len(sampled)]] == sampled
        assert "Thôn Tân Thành" in {name for name, _commune, _uuid in board.sampled_unreached}
