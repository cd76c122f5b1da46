"""What the server gives the pages' scripts and the service worker: the URLs they call and the outbox's
settings. Scripts hold no address and no setting of their own; every page carries these in one JSON
block (templates/_script_data.html, read by static/js/text.js), the worker in its first line (sw.py).
"""

from flask import current_app, g, url_for


def url_template(endpoint, *names):
    """The URL of `endpoint` with `{name}` where each named value goes (scripts fill them in)."""
    marks = {name: f"__{name}__" for name in names}
    url = url_for(endpoint, **marks)
    for name, mark in marks.items():
        url = url.replace(mark, "{" + name + "}")
    return url


# Which URLs each kind of script is given: no more than it uses (tests/test_scripts.py).
PAGE_URLS = ("worker", "outbox", "submissions", "media", "form_page", "record_page")
WORKER_URLS = ("worker", "static", "offline", "forms", "form_definition", "form_page", "edit_page")


def _every_url():
    return {
        "worker": url_for("sw.service_worker"),
        "static": url_for("static", filename=""),
        "outbox": url_for("offline.outbox"),
        "offline": url_for("offline.offline_page"),
        "forms": url_for("submissions_api.list_forms"),
        "form_definition": url_template("submissions_api.form_definition", "form_id"),
        "submissions": url_for("submissions_api.post_submission"),
        "media": url_for("submissions_api.post_media"),
        "form_page": url_template("submissions.new_record", "form_id"),
        "record_page": url_template("submissions.record_detail", "root_uuid"),
        "edit_page": url_template("submissions.record_edit", "root_uuid"),
    }


def page_urls():
    """The URLs every page's scripts use, by name."""
    every = _every_url()
    return {name: every[name] for name in PAGE_URLS}


def worker_urls():
    """The URLs the service worker uses, by name."""
    every = _every_url()
    return {name: every[name] for name in WORKER_URLS}


def script_settings():
    """The signed-in user (empty when nobody is) and the outbox's retry backoff, from config.py."""
    scope = g.get("scope")
    config = current_app.config
    return {
        "user": scope.username if scope else "",
        "retry_base_ms": config["OUTBOX_RETRY_BASE_MS"],
        "retry_cap_ms": config["OUTBOX_RETRY_CAP_MS"],
    }
