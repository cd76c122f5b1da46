"""Page weight: the form page as a phone receives it (HTML, CSS and every JS module it loads,
gzip as the server sends it), against the 60 KB budget of issue 5 and against the login page."""

import gzip
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from bench.harness import result

BUDGET_KB = 60
FORM = "/forms/session/new"  # the longest of the shipped forms
ASSETS = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="(/static/[^"]+\.(?:js|css))"')
STATIC_IMPORTS = re.compile(r'(?:\bfrom\s*|\bimport\s+)"(\.{1,2}/[^"]+\.js)"')
DYNAMIC_IMPORTS = re.compile(r'\bimport\s*\(\s*"(\.{1,2}/[^"]+\.js)"')


def _get(client, url):
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, (url, response.status_code)
    return response


def page_weight(client, path, dynamic=True):
    """Bytes sent for `path` and everything it loads: {url: bytes on the wire}. `dynamic` counts
    the modules loaded by import() too: a logged-in form page loads them all; a logged-out page none."""
    sent = {}
    page = _get(client, path)
    sent[path] = len(page.data)
    html = page.get_data(as_text=False)
    text = (gzip.decompress(html) if page.headers.get("Content-Encoding") == "gzip" else html).decode()
    queue = ASSETS.findall(text)
    while queue:
        url = queue.pop()
        if url in sent:
            continue
        response = _get(client, url)
        sent[url] = len(response.data)
        if url.endswith(".js"):
            body = response.data
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            names = STATIC_IMPORTS.findall(body.decode()) + (DYNAMIC_IMPORTS.findall(body.decode()) if dynamic else [])
            queue += [urljoin(url, name) for name in names]
    return sent


def measured_client():
    """A logged-in test client on a throwaway instance."""
    from tests.conftest import PASSWORD, make_app

    app = make_app(Path(tempfile.mkdtemp(prefix="fieldkit-bench-")))
    client = app.test_client()
    client.post("/login", data={"username": "officer", "password": PASSWORD})
    return client


def run():
    client = measured_client()
    form = sum(page_weight(client, FORM).values()) / 1024
    client.post("/logout")
    login = sum(page_weight(client, "/login", dynamic=False).values()) / 1024
    return [
        result("form page weight vs 60 KB budget (gzip, HTML+CSS+JS)", form, BUDGET_KB, "KB", higher_is_better=False),
        result("form page weight vs login page (gzip, HTML+CSS+JS)", form, login, "KB", higher_is_better=False),
    ]
