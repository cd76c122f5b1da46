"""The published form versions: (form_id, version) → hash and canonical definition. Append-only."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("fieldkit.formspec")


@migrations()
def m001_form_versions(db):
    db["form_versions"].create(
        {
            "form_id": str,
            "version": str,
            # SHA-256 of the canonical JSON of the definition; never changes once stored.
            "sha256": str,
            "definition": str,
            "source": str,
            "published_at": str,
        },
        pk=("form_id", "version"),
    )
