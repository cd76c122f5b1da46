"""Demo posters for Xã Bảo Hà: a contact officer, a printed sheet per group, a few scans.

Posting and checking them is in the demo's poster form records (submissions), which write the
register's events as an officer's records would.
"""

from ..auth.scope import SYSTEM
from ..demo import DEMO_COMMUNE
from ..instance import site_id
from ..rosters.groups import list_groups
from . import contacts, register


def demo_posters(db, app, role):
    """Runs after the roster demo (if any); does nothing when Bảo Hà has no groups."""
    site = site_id(app)
    groups = list_groups(db, SYSTEM, DEMO_COMMUNE)
    if not groups:
        return
    contacts.save_contact(db, SYSTEM, site, DEMO_COMMUNE, "Hoàng Thị Lan (DEMO)", "0912 000 000")
    sheets = register.print_sheets(
        db, SYSTEM, site, DEMO_COMMUNE, groups, "A4", app.config["PUBLIC_BASE_URL"], lan_only=True
    )
    for sheet in sheets[:2]:
        register.record_scan(db, site, sheet.code)
