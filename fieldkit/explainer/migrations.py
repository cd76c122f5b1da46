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
