"""Posters and leaflets from a roster: one page per group, embedded fonts, text, distinct QR codes."""

import ast
import json
from pathlib import Path

import pytest

from fieldkit.db import get_db
from fieldkit.posters.codes import CURRENT
from fieldkit.testing import BAO_HA, PHO_LU

from .pdftools import pdf_fonts, pdf_pages, pdf_text, qr_codes_per_page

GROUPS = ("Bản Nậm Ỏn", "Thôn Khuổi Phường", "Tổ dân phố Ẩm Hiếu")
A4 = (595.3, 841.9)
A3 = (841.9, 1190.6)


@pytest.fixture
def roster(create_group):
    """Three groups in Bảo Hà (names chosen for their hard letters) and one in Phố Lu."""
    groups = [create_group(name, cultural_house_name=f"Nhà văn hóa {name}") for name in GROUPS]
    create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    return groups


def print_posters(runner, tmp_path, *args):
    out = tmp_path / "posters.pdf"
    result = runner.invoke(args=["posters", "--commune", BAO_HA, *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def registered_codes(app):
    with app.app_context():
        return {row["code"] for row in get_db()["posters"].rows}


def close(size, expected):
    return all(abs(a - b) < 1 for a, b in zip(size, expected, strict=True))


@pytest.mark.parametrize("size, page_size", [("A4", A4), ("A3", A3)])
def test_one_poster_page_per_group(app, runner, roster, tmp_path, size, page_size):
    pdf = print_posters(runner, tmp_path, "--size", size)
    count, sizes = pdf_pages(pdf)
    assert count == len(GROUPS)
    assert all(close(s, page_size) for s in sizes), sizes
    text = pdf_text(pdf)
    for name in GROUPS:
        assert name in text
    assert "Tổ dân phố 1" not in text
    assert "KHẢO SÁT PAPI" in text and "18 đến 70 tuổi" in text


def test_every_font_is_embedded_and_none_is_helvetica(runner, roster, tmp_path):
    fonts = pdf_fonts(print_posters(runner, tmp_path))
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)


def test_each_page_has_its_own_decodable_qr_code(app, runner, roster, tmp_path):
    pdf = print_posters(runner, tmp_path)
    per_page = qr_codes_per_page(pdf, tmp_path)
    assert [len(codes) for codes in per_page] == [1] * len(GROUPS)
    urls = [codes[0] for codes in per_page]
    assert len(set(urls)) == len(urls)
    base = app.config["PUBLIC_BASE_URL"]
    codes = [url.removeprefix(f"{base}/p/") for url in urls]
    assert all(url.startswith(f"{base}/p/") for url in urls)
    assert set(codes) <= registered_codes(app)
    assert all(CURRENT.match(code) for code in codes)


def test_a5_leaflets_two_per_landscape_a4_page(app, runner, roster, tmp_path):
    pdf = print_posters(runner, tmp_path, "--size", "A5")
    count, sizes = pdf_pages(pdf)
    assert count == len(GROUPS)
    assert all(close(s, (A4[1], A4[0])) for s in sizes)
    per_page = qr_codes_per_page(pdf, tmp_path)
    assert [len(codes) for codes in per_page] == [2] * len(GROUPS)
    everything = [url for codes in per_page for url in codes]
    assert len(set(everything)) == 2 * len(GROUPS)
    assert len(registered_codes(app)) == 2 * len(GROUPS)


@pytest.mark.parametrize("key", ["id", "uuid"])
def test_one_group_by_id_or_uuid(runner, roster, tmp_path, key):
    pdf = print_posters(runner, tmp_path, "--group", str(roster[1][key]))
    assert pdf_pages(pdf)[0] == 1
    assert GROUPS[1] in pdf_text(pdf) and GROUPS[0] not in pdf_text(pdf)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--commune", "99999"], "Không có xã, phường mã “99999”"),
        (["--commune", BAO_HA, "--group", "12345"], "không có thôn, tổ dân phố 12345"),
        (["--commune", PHO_LU, "--group", "1"], "không có thôn, tổ dân phố 1"),
    ],
)
def test_bad_commune_or_group_is_refused(runner, roster, tmp_path, args, message):
    result = runner.invoke(args=["posters", *args, "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_commune_without_groups_is_refused(runner, tmp_path):
    result = runner.invoke(args=["posters", "--commune", BAO_HA, "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "chưa có thôn" in result.output


def test_poster_carries_the_contact_officer_and_meeting_schedule(app, client, auth, roster, tmp_path, runner):
    auth.login("admin")
    response = client.post(
        "/posters/contacts",
        data={
            "commune": BAO_HA,
            "officer_name": "Lò Thị Huyền",
            "officer_phone": "0912 345 678",
            f"schedule-{roster[0]['uuid']}": "19 giờ thứ Bảy đầu tháng",
        },
    )
    assert response.status_code == 302
    pdf = print_posters(runner, tmp_path, "--group", roster[0]["uuid"])
    text = pdf_text(pdf)
    assert "Lò Thị Huyền" in text and "0912 345 678" in text and "19 giờ thứ Bảy đầu tháng" in text


def test_contacts_refuse_a_bad_phone_and_keep_nothing(app, client, auth, roster):
    auth.login("admin")
    response = client.post(
        "/posters/contacts", data={"commune": BAO_HA, "officer_name": "A", "officer_phone": "gọi tôi"}
    )
    assert response.status_code == 200
    assert "Số điện thoại chỉ gồm chữ số" in response.get_data(as_text=True)
    with app.app_context():
        assert get_db()["commune_contacts"].count == 0


def test_officers_cannot_edit_contacts(client, auth, roster):
    auth.login("officer")
    assert client.get("/posters/contacts").status_code == 403


def test_scan_is_counted_and_redirects_to_the_explainer(app, client, runner, roster, tmp_path):
    print_posters(runner, tmp_path)
    code = sorted(registered_codes(app))[0]
    response = client.get(f"/p/{code}", headers={"User-Agent": "Zalo/1.0"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/explain/")
    with app.app_context():
        scans = list(get_db()["poster_scans"].rows)
    assert [s["poster_code"] for s in scans] == [code]
    stored = " ".join(str(v) for v in scans[0].values())
    assert "Zalo" not in stored and "127.0.0.1" not in stored
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("code", ["02989-nothere", "x", "a%20b"])
def test_unknown_code_redirects_and_records_nothing(app, client, code):
    response = client.get(f"/p/{code}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/explain/")
    with app.app_context():
        assert get_db()["poster_scans"].count == 0


def test_stats_count_posters_and_scans(app, client, runner, roster, tmp_path):

    print_posters(runner, tmp_path)
    client.get(f"/p/{sorted(registered_codes(app))[0]}")
    counts = json.loads(runner.invoke(args=["stats", "--json"]).output)
    assert counts["posters"] == len(GROUPS) and counts["poster_scans"] == 1


def test_print_page_downloads_registered_pdfs(app, client, auth, roster):
    assert client.get("/posters/").status_code == 302
    auth.login("officer")
    page = client.get("/posters/").get_data(as_text=True)
    for name in GROUPS:
        assert name in page
    response = client.post("/posters/print", data={"commune": BAO_HA, "size": "A3"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    response = client.post("/posters/print", data={"commune": BAO_HA, "size": "A4", "group": roster[2]["uuid"]})
    assert response.status_code == 200
    assert len(registered_codes(app)) == len(GROUPS) + 1


def test_officer_of_another_commune_cannot_print_or_see_the_register(client, auth, roster):
    auth.login("pholu")
    assert client.post("/posters/print", data={"commune": BAO_HA, "size": "A4"}).status_code == 403
    assert client.get(f"/posters/register?commune={BAO_HA}").status_code == 403
    assert client.get(f"/posters/attendance/{roster[0]['uuid']}.pdf").status_code == 404


def test_attendance_sheet_is_prefilled_from_the_roster(client, auth, roster, tmp_path):
    auth.login("officer")
    response = client.get(f"/posters/attendance/{roster[0]['uuid']}.pdf?date=2026-12-05&topic=Giới thiệu PAPI")
    assert response.status_code == 200
    pdf = tmp_path / "att.pdf"
    pdf.write_bytes(response.data)
    text = pdf_text(pdf)
    for expected in (
        "DANH SÁCH NGƯỜI DÂN THAM DỰ",
        "XÃ BẢO HÀ",
        "Bản Nậm Ỏn",
        "05/12/2026",
        "Giới thiệu PAPI",
        "Họ và tên",
        "Dân tộc",
        "Ký tên",
        "22",
    ):
        assert expected in text
    bad = client.get(f"/posters/attendance/{roster[0]['uuid']}.pdf?date=31-02-2026")
    assert bad.status_code == 302


def test_scripts_last_two_to_three_minutes(client, auth, tmp_path):
    from fieldkit.explainer.scripts import list_scripts

    scripts = list_scripts()
    assert len(scripts) >= 5
    for script in scripts:
        assert 300 <= script["words"] <= 400, (script["slug"], script["words"])
    auth.login("officer")
    response = client.get(f"/posters/scripts/{scripts[0]['slug']}.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(response.data)
    assert "BÀI PHÁT THANH" in pdf_text(pdf) and "XÃ BẢO HÀ" in pdf_text(pdf)


def test_broadcast_plan_has_at_least_three_consecutive_days(client, auth):
    auth.login("officer")
    page = client.get("/posters/scripts?topic=survey-visit&start=2026-12-01&days=2").get_data(as_text=True)
    assert "ít nhất 3 ngày" in page
    for day in ("01/12/2026", "02/12/2026", "03/12/2026"):
        assert day in page
    assert "04/12/2026" not in page
    # The form's topic for the script, not its slug, and the day of the run (a filled-in form).
    assert "/forms/broadcast/new?date=2026-12-03&amp;topic=survey_participation&amp;consecutive_day=3" in page


def test_renderers_do_not_import_flask():
    package = Path(__file__).parent.parent / "fieldkit"
    for name in ("posters/render.py", "posters/wording.py", "pdf.py", "qr.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(module.startswith("flask") for module in imported), name


def test_posters_is_a_group_that_still_prints_alone(app, runner, roster, tmp_path):
    """`fieldkit posters --commune CODE -o FILE.pdf` prints as the README says; `posters register` lists."""
    print_posters(runner, tmp_path, "--size", "A5")
    listed = runner.invoke(args=["posters", "register", "--commune", BAO_HA, "--json"])
    assert listed.exit_code == 0, listed.output
    sheets = json.loads(listed.output)
    assert {sheet["code"] for sheet in sheets} == registered_codes(app)
    assert {sheet["group_name"] for sheet in sheets} == set(GROUPS) and {s["size"] for s in sheets} == {"A5"}
    for missing, args in (("--commune", ["-o", str(tmp_path / "x.pdf")]), ("-o", ["--commune", BAO_HA])):
        result = runner.invoke(args=["posters", *args])
        assert result.exit_code == 2 and f"Thiếu {missing}" in result.output
