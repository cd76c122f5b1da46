"""Explainer content: seeded from the Markdown shipped in content/<lang>/, versioned, rendered safely.

A translator adds a language (Mông, Dao, Tày…) by adding content/<code>/ with the same file names,
or a central admin adds versions in the app; pages missing in a language fall back to Vietnamese.
A version saved in the app is a draft until a second person checks it and it is published: the
public pages show published versions only (REVIEW), and nothing is ever machine-translated.
"""

import re
import uuid as uuid_module
from pathlib import Path

import markdown
import nh3
from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..changes import new_uuid
from ..errors import UserFacingError
from ..text import nfc

CONTENT_DIR = Path(__file__).parent / "content"
DEFAULT_LANG = "vi"
SLUG = re.compile(r"^[a-z0-9-]{1,60}$")
# Shipped content gets the same uuid on every installation, so sync sees one row, not one per site.
SEED_NAMESPACE = uuid_module.UUID("6f1c7a52-3c1e-4d5e-9a57-1d2f0f0e7a11")
SEED_SITE = "fieldkit"
REVIEW = ("draft", "checked", "published")

ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "br",
    "blockquote",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}}


def shipped_pages():
    """(lang, slug, position, title, body) for every Markdown file in the package."""
    pages = []
    for lang_dir in sorted(p for p in CONTENT_DIR.iterdir() if p.is_dir()):
        for path in sorted(lang_dir.glob("*.md")):
            prefix, _, slug = path.stem.partition("-")
            title, body = split_title(path.read_text(encoding="utf-8"))
            pages.append((lang_dir.name, slug, int(prefix), title, body))
    return pages


def split_title(text):
    """The first '# ' heading as the title, and the rest as the body."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    if first.startswith("# "):
        return nfc(first[2:]), rest.strip() + "\n"
    return "", text + "\n"


def seed_pages(db):
    """Insert version 1 of every shipped page not in the database yet; return how many."""
    have = {(r["lang"], r["slug"]) for r in db["explainer_pages"].rows} if db["explainer_pages"].exists() else set()
    rows = [
        {
            "uuid": str(uuid_module.uuid5(SEED_NAMESPACE, f"{lang}/{slug}/1")),
            "origin_site": SEED_SITE,
            "slug": slug,
            "lang": lang,
            "version": 1,
            "position": position,
            "title": title,
            "body": body,
            "created_at": audit.utc_now(),
            "created_by": SEED_SITE,
        }
        for lang, slug, position, title, body in shipped_pages()
        if (lang, slug) not in have
    ]
    db["explainer_pages"].insert_all(rows)
    return len(rows)


def languages(db):
    """Languages that have at least one published page, Vietnamese first."""
    found = {row[0] for row in db.execute("SELECT DISTINCT lang FROM explainer_pages WHERE status = 'published'")}
    return [DEFAULT_LANG] + sorted(found - {DEFAULT_LANG})


def list_pages(db, lang, published=True):
    """The latest (published) version of each page in `lang`, else in Vietnamese, in reading order."""
    shown = "status = 'published'" if published else "1 = 1"
    latest = {}
    for row in db.query(
        f"SELECT * FROM explainer_pages p WHERE lang IN (?, ?) AND {shown} AND version ="
        f" (SELECT max(version) FROM explainer_pages q WHERE q.slug = p.slug AND q.lang = p.lang AND {shown})"
        " ORDER BY position, slug",
        [lang, DEFAULT_LANG],
    ):
        if row["slug"] not in latest or row["lang"] == lang:
            latest[row["slug"]] = row
    return sorted(latest.values(), key=lambda r: (r["position"], r["slug"]))


def get_page(db, slug, lang, published=True):
    """The latest (published) version of one page in `lang`, else the published Vietnamese one, else None."""
    for each in (lang, DEFAULT_LANG):
        shown = "status = 'published'" if published or each != lang else "1 = 1"
        rows = list(
            db["explainer_pages"].rows_where(
                f"slug = ? AND lang = ? AND {shown}", [slug, each], order_by="version desc", limit=1
            )
        )
        if rows:
            return rows[0]
    return None


def versions(db, slug, lang):
    return list(db["explainer_pages"].rows_where("slug = ? AND lang = ?", [slug, lang], order_by="version desc"))


def save_version(db, scope, site_id, slug, lang, title, body):
    """Store an edit as the next version of a page, a draft until checked and published; return the new row."""
    if not SLUG.match(slug) or not re.match(r"^[a-z]{2,8}$", lang):
        raise ValueError("bad slug or language")
    with db.atomic():
        current = get_page(db, slug, lang, published=False)
        top = (
            db.execute("SELECT max(version) FROM explainer_pages WHERE slug = ? AND lang = ?", [slug, lang]).fetchone()[
                0
            ]
            or 0
        )
        row = {
            "uuid": new_uuid(),
            "origin_site": site_id,
            "slug": slug,
            "lang": lang,
            "version": top + 1,
            "position": current["position"] if current else 99,
            "title": nfc(title),
            "body": body.replace("\r\n", "\n").strip() + "\n",
            "created_at": audit.utc_now(),
            "created_by": scope.username,
            "status": "draft",
        }
        db["explainer_pages"].insert(row)
        audit.record(
            db,
            scope,
            "explainer.edit",
            "explainer_pages",
            row["uuid"],
            None,
            {"slug": slug, "lang": lang, "version": row["version"]},
        )
    return row


class ReviewError(UserFacingError, ValueError):
    """A review step that does not apply to this version (as a Vietnamese message)."""


def review(db, scope, slug, lang, version, step):
    """Mark a version "checked" (by someone other than its author) or "published" (once checked)."""
    rows = list(db["explainer_pages"].rows_where("slug = ? AND lang = ? AND version = ?", [slug, lang, version]))
    if not rows:
        raise ReviewError(_l("Không tìm thấy phiên bản này."))
    row = rows[0]
    if step == "checked":
        if row["status"] != "draft":
            raise ReviewError(_l("Phiên bản này không còn là bản nháp."))
        if row["created_by"] == scope.username:
            raise ReviewError(_l("Người kiểm tra phải là người khác với người soạn."))
        change = {"status": "checked", "checked_by": scope.username, "checked_at": audit.utc_now()}
    elif step == "published":
        if row["status"] != "checked":
            raise ReviewError(_l("Chỉ công bố phiên bản đã được người thứ hai kiểm tra."))
        change = {"status": "published", "published_by": scope.username, "published_at": audit.utc_now()}
    else:
        raise ReviewError(_l("Thao tác không hợp lệ."))
    with db.atomic():
        db["explainer_pages"].update(row["id"], change)
        audit.record(db, scope, f"explainer.{step}", "explainer_pages", row["uuid"], None, {"slug": slug, "lang": lang})
    return {**row, **change}


def render_markdown(body, link_suffix=""):
    """Markdown to HTML with only safe tags kept; `link_suffix` turns topic links into file names."""
    html = markdown.markdown(body, extensions=["attr_list", "tables"], output_format="html")
    html = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"}
    )
    if link_suffix:
        html = re.sub(r'href="([a-z0-9-]+)(#[a-z0-9-]+)?"', lambda m: f'href="{m[1]}{link_suffix}{m[2] or ""}"', html)
    return html
