"""Every page, as every role, at 360 px: none scrolls sideways. The pages come from the URL map."""

import os

import pytest

from fieldkit.auth.demo import DEMO_PASSWORD, DEMO_USERS
from fieldkit.db import close_connections, get_db
from fieldkit.demo import load_demo
from fieldkit.testing import PASSWORD, LiveServer, make_app, sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FIELDKIT_SCREENSHOTS")  # a folder, to look at the pages
# Not pages: the API, files, the worker, the public scan redirect.
NOT_PAGES = ("/api/", "/static/", "/media/", "/sw.js", "/p/", "/ca.crt", "/posters/photo/", "/explain/audio/")
# Downloads, not pages.
FILES = (".pdf", ".ics", ".csv", ".xlsx", ".zip", ".fkb", ".crt", "/export")
LONG_WORD = "x" * 400


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A site with the demo data, one record with a long unbroken note, served on 127.0.0.1."""
    app = make_app(tmp_path_factory.mktemp("every-page"), WTF_CSRF_ENABLED=True, TESTING=False)
    with app.app_context():
        db = get_db()
        load_demo(db, app, "site")
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.formspec import registry
        from fieldkit.submissions import records

        row = db.execute("SELECT data, form_version FROM submissions WHERE form_id = 'session' LIMIT 1").fetchone()
        import json

        data = {**json.loads(row[0]), "notes": LONG_WORD}
        payload = {"uuid": None, "form_id": "session", "form_version": row[1], "commune": "02989", "data": data}
        from fieldkit.changes import new_uuid

        payload["uuid"] = new_uuid()
        records.receive(db, SYSTEM, "test", registry(app), payload)
        # The same record with other content: a conflict to review.
        records.receive(db, SYSTEM, "test", registry(app), {**payload, "data": {**data, "notes": "Bản khác"}})
    server = LiveServer(app)
    yield app, server
    server.stop()
    close_connections(app)


def argument_values(app):
    """Values for each URL argument name, taken from the demo data."""
    with app.app_context():
        db = get_db()

        def column(sql):
            return [row[0] for row in db.execute(sql).fetchall()]

        from fieldkit.formspec import registry

        return {
            "form_id": [d.id for d in registry(app).all_current()],
            "group_uuid": column("SELECT uuid FROM residential_groups ORDER BY id LIMIT 1"),
            "root_uuid": column("SELECT root_uuid FROM submissions WHERE data LIKE '%" + LONG_WORD[:50] + "%' LIMIT 1")
            + column("SELECT root_uuid FROM submissions WHERE form_id = 'poster' LIMIT 1"),
            "code": column("SELECT code FROM posters ORDER BY id LIMIT 1"),
            "conflict_uuid": column("SELECT uuid FROM conflicts LIMIT 1"),
            "slug": column("SELECT DISTINCT slug FROM explainer_pages LIMIT 1")
            if "explainer_pages" in db.table_names()
            else [],
            "lang": ["vi"],
            "kind": ["page"],
            "sample_uuid": column("SELECT uuid FROM survey_samples LIMIT 1")
            if "survey_samples" in db.table_names()
            else [],
        }


def page_urls(app):
    """Every GET page of the URL map, arguments filled from the demo; and the rules that could not be."""
    values = argument_values(app)
    urls, unfilled = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.rule.startswith(NOT_PAGES) or rule.rule.endswith(FILES):
            continue
        choices = [{}]
        for name in sorted(rule.arguments):
            choices = [{**c, name: v} for c in choices for v in values.get(name, [])]
        if not choices:
            unfilled.append(rule.rule)
            continue
        with app.test_request_context():
            from flask import url_for

            urls += [url_for(rule.endpoint, **args) for args in choices]
    # Pages whose look changes with a query: the records' filters open, a roster search.
    urls += ["/records/?form=session", "/rosters/?q=bao"]
    return urls, unfilled


# Each role: nobody, the demo's officer and commune admin, and a central admin (a site has none in its demo).
ROLES = [("anonymous", None, None)]
ROLES += [(role, username, DEMO_PASSWORD) for username, role, _, _ in DEMO_USERS if role != "central_admin"]
ROLES += [("central_admin", "central", PASSWORD)]


@pytest.mark.parametrize("role, username, password", ROLES, ids=[r for r, _, _ in ROLES])
def test_no_page_scrolls_sideways_at_360_px(demo, browser, role, username, password):
    app, server = demo
    urls, unfilled = page_urls(app)
    assert len(urls) >= 30, urls
    print("not visited (no demo value for an argument):", unfilled)
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20000)
    if username:
        sign_in(page, server.url, username, password)
    wide, seen = [], 0
    from playwright.sync_api import Error

    for url in urls:
        try:
            response = page.goto(server.url(url))
        except Error as error:
            if "Download is starting" in str(error):
                continue  # a file, not a page
            raise
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append((url, width))
        if SHOTS:
            name = f"{role}-{url.strip('/').replace('/', '_').replace('?', '_') or 'root'}.png"
            page.screenshot(path=os.path.join(SHOTS, name), full_page=True)
    context.close()
    assert seen >= 5
    assert not wide, wide
