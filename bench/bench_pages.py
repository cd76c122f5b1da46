"""Page weight as a phone receives it: HTML, CSS and every JS module the page loads, gzip as the
server sends it. `form_page_kb` is the longest shipped form, logged in (goal: at most 60 KB);
`explainer_page_kb` the heaviest public explainer page a resident reaches from a poster (at most
30 KB). Both stand beside the login page, the smallest page fieldkit sends, weighed the same way.
"""

import gzip
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from bench.harness import result

FORM = "/forms/session/new"  # the longest of the shipped forms
EXPLAINER = "/explain/"
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
    from fieldkit.testing import PASSWORD, make_app

    app = make_app(Path(tempfile.mkdtemp(prefix="fieldkit-bench-")))
    client = app.test_client()
    client.post("/login", data={"username": "officer", "password": PASSWORD})
    return client


def explainer_pages(client):
    """The explainer's index and every page it links to."""
    html = client.get(EXPLAINER).get_data(as_text=True)
    return [EXPLAINER, *sorted(set(re.findall(r'href="(/explain/[a-z0-9-]+)"', html)))]


def run():
    client = measured_client()
    form = sum(page_weight(client, FORM).values()) / 1024
    client.post("/logout")
    login = sum(page_weight(client, "/login", dynamic=False).values()) / 1024
    explainer = max(sum(page_weight(client, path, dynamic=False).values()) / 1024 for path in explainer_pages(client))
    return [
        result("form_page_kb", form, login, "KB", higher_is_better=False),
        result("explainer_page_kb", explainer, login, "KB", higher_is_better=False),
    ]
