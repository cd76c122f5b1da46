"""Demo posters for Xã Bảo Hà: a contact officer and a few printed, posted and scanned sheets."""

from ..auth.scope import SYSTEM
from ..demo import DEMO_COMMUNE
from ..rosters.groups import list_groups
from . import contacts, register


def demo_posters(db, app, role):
    """Runs after the roster demo (if any); does nothing when Bảo Hà has no groups."""
    site_id = app.config.get("SITE_ID") or "demo"
    groups = list_groups(db, SYSTEM, DEMO_COMMUNE)
    if not groups:
        return
    contacts.save_contact(db, SYSTEM, site_id, DEMO_COMMUNE, "Hoàng Thị Lan (DEMO)", "0912 000 000")
    sheets = register.print_sheets(
        db, SYSTEM, site_id, DEMO_COMMUNE, groups[:3], "A4", app.config["PUBLIC_BASE_URL"], lan_only=True
    )
    for sheet in sheets[:2]:
        poster = register.get_poster(db, SYSTEM, sheet.code)
        register.record_event(db, SYSTEM, site_id, poster, "posted", place=sheet.cultural_house or "Nhà văn hóa")
        register.record_scan(db, site_id, sheet.code)
