"""`lighthouse_min`: the lowest Lighthouse mobile score over performance, accessibility, best
practices and SEO, for the login page, the form page (logged in) and the explainer's index.

Lighthouse is the npm package (installed by `make bench` into bench/.lighthouse) driving Debian's
Chromium; it downloads no browser. The baseline is the same lowest score of the smallest
well-made page, served by the same server in the same run.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from .harness import result
from .load import ServerProcess, demo_instance
from .serve import PLAIN

LIGHTHOUSE = Path(__file__).parent / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("/login", "/forms/session/new", "/explain/")


def scores(url, cookie=None):
    """{category: score out of 100} for one page, as a phone sees it (Lighthouse's mobile default)."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"{LIGHTHOUSE} is missing: `make bench` installs it")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        if cookie:
            command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(command, check=True, env=env, cwd=folder, timeout=180)
        audited = json.loads(report.read_text())
    if audited["finalDisplayedUrl"] != url:  # a page behind the login must not score the login page
        raise RuntimeError(f"{url} ended at {audited['finalDisplayedUrl']}")
    categories = audited["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def run():
    server = ServerProcess(demo_instance())
    try:
        cookie = server.login()
        found = {}
        for path in PAGES:
            found[path] = scores(server.url(path), cookie if path.startswith("/forms/") else None)
            print(f"  {path}: {found[path]}", flush=True)
        plain = scores(server.url(PLAIN))
        print(f"  {PLAIN} (baseline): {plain}", flush=True)
    finally:
        server.stop()
    lowest = min(min(page.values()) for page in found.values())
    entry = result("lighthouse_min", lowest, min(plain.values()), "score")
    entry["scores"] = found
    return [entry]
