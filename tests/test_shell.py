import pytest

from fieldkit.testing import make_app


def test_security_headers(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_in_pages(client, auth):
    auth.login()
    for path in ("/login", "/home", "/nowhere"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "onclick=" not in html


@pytest.mark.parametrize(("path", "code", "text"), [("/khong-co-trang-nay", 404, "Không tìm thấy trang")])
def test_error_pages_are_vietnamese(client, path, code, text):
    response = client.get(path)
    assert response.status_code == code and text in response.get_data(as_text=True)


def test_403_page(tmp_path):
    from werkzeug.exceptions import Forbidden

    app = make_app(tmp_path)

    @app.route("/cam")
    def forbidden():
        raise Forbidden()

    response = app.test_client().get("/cam")
    assert response.status_code == 403 and "Bạn không có quyền" in response.get_data(as_text=True)


def test_500_page_is_vietnamese(tmp_path):
    app = make_app(tmp_path, TESTING=False)

    @app.route("/hong")
    def broken():
        raise RuntimeError("boom")

    response = app.test_client().get("/hong")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in response.get_data(as_text=True)


def test_english_switch(client):
    client.get("/login")
    client.post("/language", data={"lang": "en"}, headers={"Referer": "http://localhost/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page and "Password" in page


def test_navigation_depends_on_role(app, client, auth):
    from flask_babel import lazy_gettext as _l

    from fieldkit.nav import add_nav

    app.add_url_rule("/only-admin", "only_admin", lambda: "ok")
    add_nav(app, "only_admin", _l("Chỉ quản trị"), roles=("commune_admin",))
    auth.login("officer")
    assert "Chỉ quản trị" not in client.get("/home").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert "Chỉ quản trị" in client.get("/home").get_data(as_text=True)


def test_dates_shown_as_dd_mm_yyyy(app):
    from fieldkit.i18n import format_date

    assert format_date("2026-11-27") == "27/11/2026"
    assert format_date("") == ""
