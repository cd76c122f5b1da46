"""Explainer pages: versioned Markdown per topic and language. Append-only."""

from sqlite_utils.migrations import Migrations

from ..changes import synced_table

migrations = Migrations("fieldkit.explainer")


@migrations()
def m001_explainer_pages(db):
    # Every edit is a new row with the next version; the page shows the highest version.
    synced_table(
        db,
        "explainer_pages",
        {
            "slug": str,
            "lang": str,
            "version": int,
            "position": int,
            "title": str,
            "body": str,
            "created_at": str,
            "created_by": str,
        },
    )
    db["explainer_pages"].create_index(["slug", "lang", "version"], unique=True)
    from .content import seed_pages

    seed_pages(db)


@migrations()
def m002_explainer_recordings(db):
    # A recording of an explainer page ("page") or a loudspeaker script ("script") in one language.
    # Replacing one adds the next version; the file is in the media store under its sha256.
    synced_table(
        db,
        "recordings",
        {
            "kind": str,
            "slug": str,
            "lang": str,
            "version": int,
            # The commune of the site that made it (sync sends it up); empty when made at Sở Nội vụ.
            "commune_code": str,
            "sha256": str,
            "mime": str,
            "extension": str,
            "seconds": float,
            "bytes": int,
            # Whose voice it is, as the person saving it wrote it (their user name when left empty).
            "speaker": str,
            "created_at": str,
            "created_by": str,
        },
    )
    db["recordings"].create_index(["kind", "slug", "lang", "version"], unique=True)


@migrations()
def m003_explainer_page_review(db):
    # A version is public only once published: draft, then checked by a second person, then published.
    # Everything written before the review existed was public already.
    table = db["explainer_pages"]
    table.add_column("status", str, not_null_default="draft")
    table.add_column("checked_by", str)
    table.add_column("checked_at", str)
    table.add_column("published_by", str)
    table.add_column("published_at", str)
    db.execute("UPDATE explainer_pages SET status = 'published'")


@migrations()
def m004_recording_versions_per_installation(db):
    # Recordings travel both ways, so a site's v1 and Sở Nội vụ's v1 of the same page and language
    # meet in one database: the version is a label per installation, not a unique key.
    db.execute("DROP INDEX IF EXISTS idx_recordings_kind_slug_lang_version")
    db["recordings"].create_index(["kind", "slug", "lang", "version"])
