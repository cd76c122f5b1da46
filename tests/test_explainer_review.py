"""Written translations: the Vietnamese beside the draft; draft → checked by a second person → published."""

import pytest

from fieldkit.db import get_db
from fieldkit.explainer import content
from fieldkit.testing import PASSWORD

HMOOB_TITLE = "PAPI yog dab tsi?"


@pytest.fixture
def second_central(app):
    from fieldkit.auth.users import create_user

    with app.app_context():
        create_user(get_db(), app.extensions["fieldkit.hasher"], "central2", PASSWORD, "central_admin", [])
    return "central2"


def public(client, lang="hmn"):
    return client.get(f"/explain/what-is-papi?lang={lang}").get_data(as_text=True)


def review(client, step, version=1):
    return client.post("/explain/manage/hmn/what-is-papi", data={"step": step, "version": version})


def test_draft_translation_is_not_public_until_checked_and_published(app, client, auth, second_central):
    auth.login("central")
    editor = client.get("/explain/manage/hmn/what-is-papi").get_data(as_text=True)
    # The translator sees the Vietnamese text beside the draft.
    assert "Bản tiếng Việt" in editor and "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh" in editor
    saved = client.post("/explain/manage/hmn/what-is-papi", data={"title": HMOOB_TITLE, "body": "PAPI yog …"})
    assert saved.status_code == 302
    assert HMOOB_TITLE not in public(client) and "PAPI là gì?" in public(client)
    assert ">Hmoob</a>" not in public(client, "vi")
    # The author cannot check their own translation.
    refused = client.post(
        "/explain/manage/hmn/what-is-papi", data={"step": "checked", "version": 1}, follow_redirects=True
    )
    assert "Người kiểm tra phải là người khác với người soạn." in refused.get_data(as_text=True)
    assert "Bản nháp" in refused.get_data(as_text=True)
    # Nor publish it before it is checked.
    review(client, "published")
    assert HMOOB_TITLE not in public(client)

    auth.login(second_central)
    assert review(client, "checked").status_code == 302
    assert HMOOB_TITLE not in public(client)
    page = client.get("/explain/manage/hmn/what-is-papi").get_data(as_text=True)
    assert "Đã kiểm tra" in page and "Người kiểm tra: central2" in page
    review(client, "published")
    html = public(client)
    assert HMOOB_TITLE in html and ">Hmoob</a>" in html
    with app.app_context():
        [row] = content.versions(get_db(), "what-is-papi", "hmn")
        assert (row["status"], row["created_by"], row["checked_by"]) == ("published", "central", "central2")


def test_a_new_draft_leaves_the_published_version_public(app, client, auth, second_central):
    auth.login("central")
    client.post("/explain/manage/hmn/what-is-papi", data={"title": HMOOB_TITLE, "body": "Ib"})
    auth.login(second_central)
    review(client, "checked")
    review(client, "published")
    client.post("/explain/manage/hmn/what-is-papi", data={"title": "Draft ob", "body": "Ob"})
    assert HMOOB_TITLE in public(client) and "Draft ob" not in public(client)
    # The editor opens on the newest version, the draft.
    assert "Draft ob" in client.get("/explain/manage/hmn/what-is-papi").get_data(as_text=True)


def test_shipped_pages_are_published(app):
    with app.app_context():
        assert {row["status"] for row in get_db()["explainer_pages"].rows} == {"published"}
