"""Implementation documents on the central: the count on a day, in one click, as a sentence."""

import io
import re

import pytest

from fieldkit.db import get_db
from fieldkit.demo import load_demo
from fieldkit.testing import PASSWORD, make_app


@pytest.fixture
def central(tmp_path):
    app = make_app(tmp_path, role="central")
    with app.app_context():
        load_demo(get_db(), app, "central")
    client = app.test_client()
    client.post("/login", data={"username": "central", "password": PASSWORD})
    return app, client


def sentence(client, query=""):
    page = client.get(f"/documents{query}").get_data(as_text=True)
    return re.search(r'class="status-sentence" role="status">(.*?)</p>', page, re.S).group(1)


def test_the_notice_sentence_on_30_september_2023(central):
    _app, client = central
    page = client.get("/documents").get_data(as_text=True)
    assert 'href="/documents?on=2023-09-30"' in page
    text = sentence(client, "?on=2023-09-30")
    assert text.startswith("Tính đến ngày 30/09/2023, mới có 3/")
    assert "(Sở Kế hoạch và Đầu tư, Sở Nội vụ, Huyện Si Ma Cai)" in text
    assert "Bảo Yên" not in text
    assert "mới có 5/" in sentence(client, "?on=30/11/2023")


def test_a_new_document_with_its_file_counts_from_its_date(central, tmp_path):
    app, client = central
    with app.app_context():
        body = get_db().execute("SELECT id FROM implementation_bodies WHERE name = 'Sở Tư pháp'").fetchone()[0]
    response = client.post(
        "/documents",
        data={
            "action": "add_document",
            "body_id": str(body),
            "number": "15/KH-STP",
            "issued_on": "29/09/2023",
            "title": "Kế hoạch triển khai Chỉ thị 10/CT-UBND",
            "implements": "directive_10",
            "file": (io.BytesIO(b"%PDF-1.4 test"), "ke-hoach.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "mới có 4/" in sentence(client, "?on=2023-09-30") and "Sở Tư pháp" in sentence(client, "?on=2023-09-30")
    assert "mới có 3/" in sentence(client, "?on=2023-09-28")
    page = client.get("/documents").get_data(as_text=True)
    link = re.search(r'href="(/documents/[0-9a-f-]+/file)"', page).group(1)
    download = client.get(link)
    assert download.data == b"%PDF-1.4 test" and "15-KH-STP.pdf" in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"number": ""}, "Hãy nhập số, ký hiệu văn bản"),
        ({"issued_on": "31/02/2023"}, "Hãy nhập ngày ban hành"),
        ({"implements": "other"}, "Hãy chọn văn bản của tỉnh"),
        ({"file": (io.BytesIO(b"MZ\x90\x00"), "virus.pdf")}, "PDF hoặc DOCX"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_kept(central, fields, message):
    app, client = central
    with app.app_context():
        before = get_db()["implementation_documents"].count
    data = {
        "action": "add_document",
        "body_id": "1",
        "number": "16/KH-STC",
        "issued_on": "01/09/2023",
        "title": "Kế hoạch",
        "implements": "plan_166",
        **fields,
    }
    response = client.post("/documents", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert get_db()["implementation_documents"].count == before


def test_bodies_can_be_added_once_and_units_in_bulk(central):
    app, client = central
    client.post("/documents", data={"action": "add_body", "name": "Sở Y tế", "kind": "department"})
    client.post("/documents", data={"action": "add_body", "name": "sở y tế", "kind": "department"})
    client.post("/documents", data={"action": "add_units"})
    with app.app_context():
        db = get_db()
        assert db["implementation_bodies"].count_where("name_key = 'so y te'") == 1
        assert db["implementation_bodies"].count_where("kind = 'commune'") == 151


def test_only_central_admins_on_a_central(central, tmp_path):
    app, _client = central
    officer = app.test_client()
    officer.post("/login", data={"username": "admin", "password": PASSWORD})
    assert officer.get("/documents").status_code == 403
    site = make_app(tmp_path / "site")
    client = site.test_client()
    client.post("/login", data={"username": "central", "password": PASSWORD})
    assert client.get("/documents").status_code == 404
