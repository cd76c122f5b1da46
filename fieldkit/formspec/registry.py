"""The forms an app knows: today's files, plus every version ever published (kept in the database).

A published (form_id, version) never changes: its hash is stored the first time it is seen, and a
file that differs under the same version is refused with an error naming the file. Records keep
the version they were filled with, so old versions stay readable from the stored copy.
"""

import json
import re
from pathlib import Path

from ..auth.audit import utc_now
from .definition import FormDefinition, FormDefinitionError, canonical_json, load_dir, version_text


def version_key(version):
    """Order versions naturally: 2 < 10, "2026.1" < "2026.2"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[._-]", str(version)))


class FormRegistry:
    """Definitions read from forms/ at start; one per app, kept in app.extensions."""

    def __init__(self, forms_dir, shared_lists):
        self.forms_dir = Path(forms_dir)
        self.shared_lists = shared_lists
        self.forms = load_dir(self.forms_dir, shared_lists) if self.forms_dir.is_dir() else {}
        self._published = False

    def ids(self):
        """Form ids in the order the definitions ask for (`order`), then by id."""
        return sorted(self.forms, key=lambda form_id: (self.current(form_id).data.get("order", 100), form_id))

    def current_version(self, form_id):
        return max(self.forms[form_id], key=version_key)

    def current(self, form_id):
        """Today's definition of a form, or None."""
        if form_id not in self.forms:
            return None
        return self.forms[form_id][self.current_version(form_id)]

    def all_current(self):
        return [self.current(form_id) for form_id in self.ids()]

    def get(self, db, form_id, version):
        """The definition of one (form, version): from the files, else the published copy, else None."""
        if not isinstance(form_id, str) or isinstance(version, bool) or not isinstance(version, (int, str)):
            return None
        version = version_text(version)
        found = self.forms.get(form_id, {}).get(version)
        if found is not None:
            return found
        self.publish(db)
        row = db.execute(
            "SELECT definition, sha256 FROM form_versions WHERE form_id = ? AND version = ?", [form_id, version]
        ).fetchone()
        if row is None:
            return None
        return FormDefinition(form_id, version, json.loads(row[0]), "(database)", row[1])

    def publish(self, db):
        """Record the hash of every file's (id, version); refuse a changed one. Once per database."""
        if self._published:
            return
        existing = {
            (row[0], row[1]): row[2]
            for row in db.execute("SELECT form_id, version, sha256 FROM form_versions").fetchall()
        }
        new_rows = []
        for versions in self.forms.values():
            for definition in versions.values():
                stored = existing.get((definition.id, definition.version))
                if stored is None:
                    new_rows.append(
                        {
                            "form_id": definition.id,
                            "version": definition.version,
                            "sha256": definition.sha256,
                            "definition": canonical_json(definition.data),
                            "source": Path(definition.path).name,
                            "published_at": utc_now(),
                        }
                    )
                elif stored != definition.sha256:
                    name = Path(definition.path).name
                    raise FormDefinitionError(
                        f"{name}: biểu mẫu '{definition.id}' phiên bản {definition.version} đã được dùng và "
                        "đã thay đổi;"
                        f" hãy tăng 'version' / form '{definition.id}' version {definition.version} was published"
                        " and has changed; give it a new 'version'"
                    )
        if new_rows:
            with db.atomic():
                db["form_versions"].insert_all(new_rows, pk=("form_id", "version"))
        self._published = True
