"""The service worker, served from a route so that its scope is the whole site and its cache
name carries a version stamp: a hash of every static file, form definition and the worker itself.
The worker's code is sw.js beside this module; the route puts the server's CONFIG before it.
"""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, make_response, url_for

from .scripts import worker_urls

bp = Blueprint("sw", __name__)

WORKER = Path(__file__).with_name("sw.js")
CACHE_PREFIX = "fieldkit-"


def static_files(static_dir):
    """Every file under static/, as paths relative to it, sorted."""
    root = Path(static_dir)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def version_stamp(paths):
    """A short hash of the contents of `paths` (and of their names): changes when any of them does."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def stamped_files(app):
    """Files whose change must give phones a new service worker."""
    static = Path(app.static_folder)
    forms = sorted(Path(app.config["FORMS_DIR"]).glob("*.toml")) if app.config.get("FORMS_DIR") else []
    return [static / name for name in static_files(static)] + forms + [WORKER]


def shell_urls(app):
    """What the worker caches on install: every static file, the outbox and the offline page."""
    static = [url_for("static", filename=name) for name in static_files(app.static_folder)]
    return static + [url_for("offline.outbox"), url_for("offline.offline_page")]


@bp.route("/sw.js")
def service_worker():
    app = current_app._get_current_object()
    config = {
        "cache": CACHE_PREFIX + version_stamp(stamped_files(app)),
        "cache_prefix": CACHE_PREFIX,
        "shell": shell_urls(app),
        "urls": worker_urls(),
    }
    body = f"const CONFIG = {json.dumps(config, ensure_ascii=False)};\n" + WORKER.read_text(encoding="utf-8")
    response = make_response(body)
    response.mimetype = "application/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response
