"""Each printed page against the register: the QR on a page leads to the code printed on that page,
and the register gives that code to the group the page is for."""

import re

import pytest

from fieldkit.db import get_db
from fieldkit.posters.codes import ALPHABET
from fieldkit.testing import BAO_HA, PHO_LU

from .pdftools import pdf_pages, pdf_text, qr_codes_per_page

GROUPS = ("Bản Nậm Ỏn", "Thôn Khuổi Phường", "Tổ dân phố Ẩm Hiếu")

PRINTED_CODE = re.compile(rf"\b\d{{5}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}\b")


def register(app):
    """code -> the name of the group the register holds it for."""
    with app.app_context():
        rows = (
            get_db()
            .execute("SELECT p.code, g.name FROM posters p JOIN residential_groups g ON g.uuid = p.group_uuid")
            .fetchall()
        )
    return dict(rows)


@pytest.fixture
def groups(create_group):
    """Three groups of Bảo Hà, and one of Phố Lu that must print nowhere."""
    made = [create_group(name, cultural_house_name=f"Nhà văn hóa {name}") for name in GROUPS]
    create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    return made


@pytest.mark.parametrize("size, per_page", [("A4", 1), ("A5", 2)])
def test_each_pages_qr_is_the_code_printed_on_it_and_registered_to_its_group(
    app,
    runner,
    groups,
    tmp_path,
    size,
    per_page,
):
    pdf = tmp_path / "posters.pdf"
    result = runner.invoke(args=["posters", "--commune", BAO_HA, "--size", size, "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    pages, _ = pdf_pages(pdf)
    base = app.config["PUBLIC_BASE_URL"]
    held = register(app)
    assert len(held) == pages * per_page == len(GROUPS) * per_page
    seen = []
    for number, scanned in enumerate(qr_codes_per_page(pdf, tmp_path), start=1):
        text = pdf_text(pdf, page=number)
        [group] = [name for name in GROUPS if name in text]
        printed = sorted(set(PRINTED_CODE.findall(text)))  # a sheet may print its code more than once
        assert len(printed) == per_page, (number, printed)
        assert all(url.startswith(f"{base}/p/") for url in scanned)
        assert sorted(url.removeprefix(f"{base}/p/") for url in scanned) == printed, f"page {number}"
        assert {held[code] for code in printed} == {group}, f"page {number} is for {group}"
        seen.append(group)
        seen += printed
    assert sorted(name for name in seen if name in GROUPS) == sorted(GROUPS)  # a page per group
    assert sorted(code for code in seen if code in held) == sorted(held)  # every code on one page
