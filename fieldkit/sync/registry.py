"""What travels in sync: each area names its tables here, from its own `init_app`.

Up is site → Sở Nội vụ (in every bundle a site pushes or exports); down is Sở Nội vụ → sites
(on every pull). An area registers a table once, in `init_app`, and sync carries it:

    from ..sync.registry import travels

    def init_app(app):
        travels(app, "survey_years", down=True)                  # made at the central, sent to sites
        travels(app, "audio_recordings", up=True, down=True,     # both ways
                media="sha256", mutable=True)

The table must exist by then or later (rules are read when a bundle is made or imported, with the
columns of the database at that moment). Rows are identified by `key` (default the `uuid` of a
table made with `fieldkit.changes.synced_table`) and, unless `snapshot=True`, only rows whose `seq`
is above the last one acknowledged travel. Rows going up must name one of the site's communes in
`commune_column` (the central refuses the whole bundle otherwise); `commune_column=None` only for
tables that travel down alone. Options:

- `exclude`: columns never sent (personal data); `exclude_unless`: {column: config key} sent only
  when that setting is true (a head's phone, for instance).
- `mutable=True`: the origin site edits rows in place (a poster's status); a newer version from the
  row's own site replaces the older one ("updated"), anything else different is a conflict.
  Without it a row never changes once stored, and a different copy is always a conflict.
- `media`: a column holding the SHA-256 of a file in `instance/media/`; the file travels with the
  row when `SYNC_MEDIA` is on.
- `snapshot=True`: the whole table travels every time (small reference tables without `seq`).
- `local`: columns each installation fills for itself (when it stored the row): sent and stored
  with a new row, but not compared, so they never make a conflict.

Household lists never travel; only `household_counts()` does (see `fieldkit.sync.bundle`).
"""

from dataclasses import dataclass, field

EXTENSION = "fieldkit.sync.tables"


@dataclass(frozen=True)
class TravelRule:
    table: str
    up: bool = False
    down: bool = False
    key: tuple = ("uuid",)
    commune_column: str | None = "commune_code"
    exclude: tuple = ()
    exclude_unless: dict = field(default_factory=dict)
    mutable: bool = False
    media: str | None = None
    snapshot: bool = False
    local: tuple = ()
    order: int = 50


def travels(
    app,
    table,
    *,
    up=False,
    down=False,
    key=("uuid",),
    commune_column="commune_code",
    exclude=(),
    exclude_unless=None,
    mutable=False,
    media=None,
    snapshot=False,
    local=(),
    order=50,
):
    """Register `table` to travel up (site → central), down (central → sites), or both."""
    if not (up or down):
        raise ValueError(f"{table}: say whether it travels up, down or both")
    if up and not commune_column:
        raise ValueError(f"{table}: rows going up need a commune column")
    rule = TravelRule(
        table,
        up,
        down,
        tuple(key),
        commune_column,
        tuple(exclude),
        dict(exclude_unless or {}),
        mutable,
        media,
        snapshot,
        tuple(local),
        order,
    )
    app.extensions.setdefault(EXTENSION, {})[table] = rule
    return rule


def rules(app, direction):
    """The registered rules for "up" or "down", in a stable order."""
    found = [r for r in app.extensions.get(EXTENSION, {}).values() if getattr(r, direction)]
    return sorted(found, key=lambda r: (r.order, r.table))
