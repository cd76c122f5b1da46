"""Demo posters: a contact officer and a printed sheet per group of Xã Bảo Hà, a few scans, and the
officers' poster form records of posting and checking sheets in every demo commune."""

import random
from datetime import timedelta

from ..auth.scope import SYSTEM
from ..demo import DEMO_COMMUNE
from ..formspec import registry
from ..instance import site_id
from ..rosters.groups import list_groups
from ..submissions.demo import DEMO_NOTE, WEEKS, add_demo_record, demo_communes, first_demo_day
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


def demo_poster_checks(db, app, role):
    """Two groups a week posted, then checked, through the poster form (runs after the records demo,
    which gives a commune without roster groups some of its own)."""
    forms = registry(app)
    for commune, site, officer in demo_communes(app, role):
        groups = list_groups(db, officer, commune)
        rng = random.Random(int(commune) + 1)
        start = first_demo_day()
        posted = set()
        for week in range(WEEKS):
            for group in rng.sample(groups, min(2, len(groups))):
                day = start + timedelta(days=7 * week + rng.randrange(5))
                data = {
                    "date": day.isoformat(),
                    # A sheet of the register: the form refuses codes that were never printed.
                    "poster_code": register.code_for_group(db, officer, site, group, app.config["PUBLIC_BASE_URL"]),
                    "action": "checked" if group["uuid"] in posted else "posted",
                    **({"status": rng.choice(["good", "good", "damaged"])} if group["uuid"] in posted else {}),
                    "residential_group": group["uuid"],
                    "place": "Bảng tin nhà văn hóa",
                    "notes": DEMO_NOTE,
                }
                add_demo_record(db, officer, site, forms, commune, "poster", data)
                posted.add(group["uuid"])
