"""Public explainer pages: Vietnamese, the eight dimensions, no login, small; versions; export."""

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.explainer import content
from fieldkit.paths import resource_dir
from fieldkit.testing import PAPI_ORDER

# The eight dimensions as PAPI names them in Vietnamese.
DIMENSIONS_VI = (
    "Tham gia của người dân ở cấp cơ sở",
    "Công khai, minh bạch trong việc ra quyết định ở địa phương",
    "Trách nhiệm giải trình với người dân",
    "Kiểm soát tham nhũng trong khu vực công",
    "Thủ tục hành chính công",
    "Cung ứng dịch vụ công",
    "Quản trị môi trường",
    "Quản trị điện tử",
)
TOPICS = ("what-is-papi", "honest-answers", "eight-dimensions", "survey-visit", "your-rights", "contact")
CSS_BYTES = (resource_dir("static") / "css" / "app.css").stat().st_size


def test_index_is_public_vietnamese_and_names_the_eight_dimensions(client):
    response = client.get("/explain/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html and "Tìm hiểu về PAPI" in html
    for label in DIMENSIONS_VI:
        assert label in html
    for slug in TOPICS:
        assert f'href="/explain/{slug}"' in html
    assert len(response.data) + CSS_BYTES < 30_000


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("what-is-papi", "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh"),
        ("honest-answers", "trung thực"),
        ("eight-dimensions", "Quản trị điện tử"),
        ("survey-visit", "18 đến 70 tuổi"),
        ("your-rights", "10/2022/QH15"),
        ("contact", "Trưởng thôn"),
    ],
)
def test_each_topic_is_public_and_small(client, slug, expected):
    response = client.get(f"/explain/{slug}")
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)
    assert len(response.data) + CSS_BYTES < 30_000


def test_survey_page_says_random_selection_face_to_face_on_a_tablet(client):
    html = client.get("/explain/survey-visit").get_data(as_text=True)
    for words in ("chọn ngẫu nhiên", "trực tiếp", "máy tính bảng"):
        assert words in html


def test_rights_page_names_the_four_rights(client):
    html = client.get("/explain/your-rights").get_data(as_text=True)
    for right in ("Được biết", "Được bàn và quyết định", "Được lấy ý kiến", "Được kiểm tra, giám sát"):
        assert right in html


def test_dimension_links_land_on_anchors(client):
    html = client.get("/explain/eight-dimensions").get_data(as_text=True)
    for anchor in PAPI_ORDER:
        assert f'id="{anchor}"' in html


def test_unknown_topic_is_404(client):
    assert client.get("/explain/khong-co").status_code == 404
    assert client.get("/explain/Bad_Slug").status_code == 404


def test_english_by_query_and_remembered(client):
    html = client.get("/explain/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "participation at local levels" in html.lower() and "About PAPI" in html
    assert "What is PAPI?" in client.get("/explain/what-is-papi").get_data(as_text=True)
    assert "PAPI là gì?" in client.get("/explain/what-is-papi?lang=vi").get_data(as_text=True)


def test_every_shipped_language_has_every_topic():
    pages = content.shipped_pages()
    by_lang = {}
    for lang, slug, *_ in pages:
        by_lang.setdefault(lang, set()).add(slug)
    assert by_lang["vi"] == set(TOPICS) and by_lang["en"] == set(TOPICS)


def test_central_admin_edit_makes_a_new_version(app, client, auth):
    auth.login("central")
    assert "PAPI là gì?" in client.get("/explain/manage/").get_data(as_text=True)
    response = client.post(
        "/explain/manage/vi/contact",
        data={"title": "Hỏi ai?", "body": "Hỏi **trưởng thôn**.\n\n<script>alert(1)</script>"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert [v["version"] for v in content.versions(get_db(), "contact", "vi")] == [2, 1]
        # Saved as a draft: public once a second person has checked it and it is published.
        content.review(get_db(), SYSTEM, "contact", "vi", 2, "checked")
        content.review(get_db(), SYSTEM, "contact", "vi", 2, "published")
    html = client.get("/explain/contact").get_data(as_text=True)
    assert "Hỏi ai?" in html and "<strong>trưởng thôn</strong>" in html
    assert "<script>alert(1)" not in html


def test_empty_edit_is_refused_and_nothing_saved(app, client, auth):
    auth.login("central")
    response = client.post("/explain/manage/vi/contact", data={"title": "", "body": ""})
    assert "Hãy nhập tiêu đề." in response.get_data(as_text=True)
    with app.app_context():
        assert len(content.versions(get_db(), "contact", "vi")) == 1


@pytest.mark.parametrize("user", ["officer", "admin"])
def test_only_central_admin_edits(client, auth, user):
    auth.login(user)
    assert client.get("/explain/manage/").status_code == 403
    assert client.post("/explain/manage/vi/contact", data={"title": "x", "body": "y"}).status_code == 403


def test_export_writes_a_static_site(runner, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(args=["explainer", "export", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert names == {"index.html", "style.css", *(f"{slug}.html" for slug in TOPICS)}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="style.css"' in index and 'href="eight-dimensions.html#participation"' in index
    for label in DIMENSIONS_VI:
        assert label in index
    assert 'href="eight-dimensions.html"' in (out / "what-is-papi.html").read_text(encoding="utf-8")
    assert "/explain/" not in index


def test_export_in_english_and_refuses_an_unknown_language(runner, tmp_path):
    result = runner.invoke(args=["explainer", "export", str(tmp_path / "en"), "--lang", "en"])
    assert result.exit_code == 0
    assert "participation at local levels" in (tmp_path / "en" / "index.html").read_text(encoding="utf-8").lower()
    refused = runner.invoke(args=["explainer", "export", str(tmp_path / "x"), "--lang", "hmn"])
    assert refused.exit_code != 0 and "Chưa có nội dung" in refused.output


def test_a_translator_adds_a_page_in_mong_and_readers_get_it(app, client, auth):
    auth.login("central")
    manage = client.get("/explain/manage/").get_data(as_text=True)
    assert "Thêm bản dịch" in manage and "Tiếng Mông" in manage
    start = client.get("/explain/manage/translate?lang=hmn&slug=what-is-papi", follow_redirects=True).get_data(
        as_text=True
    )
    assert "PAPI là gì?" in start
    client.post("/explain/manage/hmn/what-is-papi", data={"title": "PAPI yog dab tsi?", "body": "PAPI ..."})
    with app.app_context():
        for step in ("checked", "published"):
            content.review(get_db(), SYSTEM, "what-is-papi", "hmn", 1, step)
    assert "PAPI yog dab tsi?" in client.get("/explain/what-is-papi?lang=hmn").get_data(as_text=True)
    # Topics not translated yet still show, in Vietnamese.
    assert "Vì sao cần trả lời trung thực?" in client.get("/explain/?lang=hmn").get_data(as_text=True)
    assert client.get("/explain/manage/xx/what-is-papi").status_code == 404
