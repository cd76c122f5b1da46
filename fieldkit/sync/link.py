"""A site's link to Sở Nội vụ: made at enrolment, advanced by push and pull, shown as status."""

import json
from pathlib import Path

import tomli_w

from ..auth import audit
from ..config import CONFIG_FILE, load_instance_config
from .exchange import pending_seqs


def get_link(db):
    """The site's enrolment with Sở Nội vụ, or None before enrolment."""
    row = db["sync_link"].get(1) if db.execute("SELECT 1 FROM sync_link WHERE id = 1").fetchone() else None
    return {**row, "communes": json.loads(row["communes"] or "[]")} if row else None


def save_link(db, central_url, answer):
    """Store what Sở Nội vụ answered at enrolment (its id, key and name, the site's communes)."""
    row = {
        "id": 1,
        "central_url": central_url.rstrip("/"),
        "central_id": answer["central_id"],
        "central_name": answer["central_name"],
        "central_public_key": answer["central_public_key"],
        "communes": json.dumps(answer["communes"]),
        "enrolled_at": audit.utc_now(),
        "last_ack": 0,
        "last_pulled": 0,
        "last_success": None,
        "last_error": None,
    }
    with db.atomic():
        db["sync_link"].upsert(row, pk="id")
        audit.record(db, None, "sync.enrolled", "sync_link", 1, None, {"central": row["central_url"]})
    return get_link(db)


def update_link(db, **values):
    db["sync_link"].update(1, values)


def status(db, app):
    """{"pending", "last_ack", "last_success"} and, for pages, the rest of the link."""
    link = get_link(db)
    last_ack = link["last_ack"] if link else 0
    return {
        "pending": len(pending_seqs(db, app, last_ack)),
        "last_ack": last_ack,
        "last_success": link["last_success"] if link else None,
        "enrolled": link is not None,
        "central_url": link["central_url"] if link else None,
        "central_name": link["central_name"] if link else None,
        "last_error": link["last_error"] if link else None,
    }


def set_public_base_url(app, url):
    """Keep `url` as public_base_url in instance/config.toml and in the running app."""
    path = Path(app.instance_path) / CONFIG_FILE
    if path.exists():
        settings = {key.lower(): value for key, value in load_instance_config(path).items()}
        if settings.get("public_base_url") != url:
            settings["public_base_url"] = url
            with open(path, "wb") as f:
                f.write(b"# fieldkit settings for this installation. Keep secret_key private.\n")
                tomli_w.dump(settings, f)
    app.config["PUBLIC_BASE_URL"] = url
