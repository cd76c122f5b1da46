"""Offline, server side: the service worker route and its version stamp, the outbox and offline
pages, the plain-HTTP banner, and gzip on text responses."""

import gzip
import json
import re

import pytest

from fieldkit.db import close_connections
from fieldkit.offline import sw
from fieldkit.testing import make_app


def worker(client):
    return client.get("/sw.js").get_data(as_text=True)


def worker_config(body):
    """The CONFIG the route puts on the worker's first line."""
    first = body.split("\n", 1)[0]
    assert first.startswith("const CONFIG = ") and first.endswith(";")
    return json.loads(first.removeprefix("const CONFIG = ").removesuffix(";"))


def cache_name(body):
    name = worker_config(body)["cache"]
    assert re.fullmatch(r"fieldkit-[0-9a-f]{16}", name)
    return name


def script_data(html):
    """Every JSON block a page gives its scripts (templates/_script_data.html), merged as text.js does."""
    merged = {"words": {}, "urls": {}, "settings": {}}
    for block in re.findall(r'<script type="application/json" data-script-data>(.*?)</script>', html, re.S):
        for part, values in json.loads(block).items():
            merged[part].update(values)
    return merged


def test_service_worker_route(client):
    response = client.get("/sw.js")  # nobody signed in: the worker must load on /login too
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert cache_name(body)
    for url in ("/outbox", "/offline", "/static/js/outbox.js", "/static/js/formpage.js", "/static/css/app.css"):
        assert f'"{url}"' in body
    assert 'request.method !== "GET"' in body  # POSTs are never handled by the worker


def test_version_stamp_changes_with_any_file(tmp_path):
    files = [tmp_path / "a.js", tmp_path / "b.toml"]
    for f in files:
        f.write_text("x")
    first = sw.version_stamp(files)
    assert sw.version_stamp(files) == first
    files[1].write_text("y")
    assert sw.version_stamp(files) != first


def test_cache_name_follows_the_forms(tmp_path, app, client):
    before = cache_name(worker(client))
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "new.toml").write_text('id = "new"\n')
    app.config["FORMS_DIR"] = str(forms)
    assert cache_name(worker(client)) != before


@pytest.mark.parametrize("path", ["/outbox", "/offline"])
def test_outbox_and_offline_pages_are_public_and_vietnamese(client, path):
    html = client.get(path).get_data(as_text=True)
    assert '<html lang="vi"' in html
    assert "hộp thư đi" in html.lower()


def test_outbox_page_warns_about_clearing_browser_data(client, auth):
    auth.login()
    html = client.get("/outbox").get_data(as_text=True)
    assert "Gửi ngay" in html
    assert "Không xóa dữ liệu duyệt web" in html and "sẽ mất hẳn" in html and "xoá" not in html.lower()
    assert 'src="/static/js/outbox-page.js"' in html
    assert script_data(html)["settings"]["user"] == "officer"


def test_every_page_carries_the_banner_and_the_register_script_but_no_inline_code(client, auth):
    auth.login()
    html = client.get("/home").get_data(as_text=True)
    assert 'id="insecure-banner"' in html and "hidden" in html
    assert 'href="/ca"' in html
    assert '<script type="module" src="/static/js/sw-register.js"></script>' in html
    # Data for the scripts (JSON, never run) is the only script without a src.
    assert not re.search(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>', html)
    assert "style=" not in html


def test_menu_links_to_the_outbox(client, auth):
    auth.login()
    assert 'href="/outbox"' in client.get("/home").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/static/js/outbox.js", "/static/css/app.css", "/login", "/sw.js"])
def test_text_is_gzipped_when_the_client_accepts_it(client, path):
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)


def test_small_and_binary_responses_are_not_gzipped(client):
    small = client.get("/static/icons/icon.svg", headers={"Accept-Encoding": "gzip"})
    if len(small.data) < 500:
        assert "Content-Encoding" not in small.headers
    redirect = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert redirect.status_code == 302 and "Content-Encoding" not in redirect.headers


def test_form_page_weighs_at_most_60_kb_as_sent(client, auth):
    from bench.bench_pages import FORM, page_weight
    from bench.harness import GOALS

    auth.login()
    sent = page_weight(client, FORM)
    # Everything the page loads is counted, the modules it imports included.
    for url in (
        "/static/css/app.css",
        "/static/js/sw-register.js",
        "/static/js/formpage.js",
        "/static/js/outbox.js",
        "/static/js/store.js",
        "/static/js/record.js",
    ):
        assert url in sent
    assert sum(sent.values()) <= GOALS["form_page_kb"].threshold * 1024


def test_pages_give_the_scripts_the_servers_retry_settings_and_urls(tmp_path):
    app = make_app(tmp_path, OUTBOX_RETRY_BASE_MS=1234, OUTBOX_RETRY_CAP_MS=56789)
    client = app.test_client()
    for path in ("/login", "/offline"):
        given = script_data(client.get(path).get_data(as_text=True))
        assert given["settings"] == {"user": "", "retry_base_ms": 1234, "retry_cap_ms": 56789}
        assert given["urls"]["submissions"] == "/api/v1/submissions"
        assert given["urls"]["media"] == "/api/v1/media"
        assert given["urls"]["worker"] == "/sw.js"
        assert given["urls"]["form_page"] == "/forms/{form_id}/new"
        assert given["urls"]["record_page"] == "/records/{root_uuid}"
        # The words are the server's, in the page's language.
        assert given["words"]["sent"] == "Đã gửi lên máy chủ."
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert script_data(client.get("/login").get_data(as_text=True))["words"]["sent"] == "Sent to the server."
    close_connections(app)


def test_the_worker_is_given_the_same_urls_as_the_pages(client):
    html = client.get("/login").get_data(as_text=True)
    config = worker_config(worker(client))
    pages = script_data(html)["urls"]
    assert [config["urls"][name] for name in ("worker", "form_page")] == [pages["worker"], pages["form_page"]]
    assert config["urls"]["forms"] == "/api/v1/forms"
    assert config["urls"]["edit_page"] == "/records/{root_uuid}/edit"
    assert config["urls"]["offline"] in config["shell"]
