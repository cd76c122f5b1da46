"""What another area does with a record of one of its forms: check it against its own data, act once stored.

The poster form is the example: its code is looked up in the commune's register (an unknown one is
said back as a warning), and a new record writes the register's event in the record's own transaction. Hooks live in
`app.extensions`, added by the owning area's `init_app`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_app_context

EXTENSION = "fieldkit.record_hooks"


@dataclass(frozen=True)
class RecordHook:
    """`prepare(db, scope, commune, clean)` may normalise `clean` in place and returns {field: warning}
    (the record is kept all the same: a phone offline could not have known);
    `stored(db, scope, site_id, row, clean)` runs inside the transaction that stores a new record."""

    prepare: Callable
    stored: Callable


def add_record_hook(app, form_id, hook):
    """Let `hook` check and follow every new record of `form_id`."""
    app.extensions.setdefault(EXTENSION, {}).setdefault(form_id, []).append(hook)


def hooks_for(form_id):
    """The hooks of a form in the current app (none outside an app)."""
    if not has_app_context():
        return []
    return current_app.extensions.get(EXTENSION, {}).get(form_id, [])
