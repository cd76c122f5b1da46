"""Demo records: sessions and broadcasts over several weeks (the posters demo adds poster checks).

A site gets Xã Bảo Hà's; a central gets those of several communes, each as if from its own site.
"""

import random
from datetime import date, timedelta

from ..auth.scope import Scope
from ..changes import new_uuid
from ..demo import CENTRAL_DEMO_COMMUNES, DEMO_COMMUNE
from ..formspec import registry
from ..formspec.resolve import choice_values
from ..instance import site_id
from ..rosters.groups import create_group, list_groups
from . import records

DEMO_NOTE = "Dữ liệu mẫu"
# Used only when the rosters demo has not added groups of its own.
FALLBACK_GROUPS = ("Thôn Mẫu Một (DEMO)", "Thôn Mẫu Hai (DEMO)", "Bản Mẫu Ba (DEMO)", "Tổ dân phố Mẫu (DEMO)")
WEEKS = 6


def demo_communes(app, role):
    """(commune, site id, the commune officer's scope) for each commune that gets demo records."""
    if role == "central":
        sites = [(commune, f"demo-site-{commune}") for commune in CENTRAL_DEMO_COMMUNES]
    else:
        sites = [(DEMO_COMMUNE, site_id(app))]
    for commune, site in sites:
        username = "canbo.baoha" if commune == DEMO_COMMUNE else f"canbo.{commune}"
        yield commune, site, Scope(None, username, "officer", frozenset({commune}))


def demo_records(db, app, role):
    """Add about six weeks of marked demo records for each demo commune of this role."""
    for commune, site, officer in demo_communes(app, role):
        _commune_records(db, app, commune, site, officer)


def _commune_records(db, app, commune, site, officer):
    groups = list_groups(db, officer, commune)
    if not groups:
        for name in FALLBACK_GROUPS:
            kind = "to_dan_pho" if name.startswith("Tổ") else ("ban" if name.startswith("Bản") else "thon")
            create_group(db, officer, site, commune, name, kind, notes=DEMO_NOTE)
        groups = list_groups(db, officer, commune)
    forms = registry(app)
    rng = random.Random(int(commune))
    start = first_demo_day()
    topics = [value for value, _ in choice_values(forms.current("session").field("topics"), forms.shared_lists, [])]
    channels = ["village_meeting", "party_cell", "cultural_house_posting", "commune_conference"]

    def add(form_id, data):
        add_demo_record(db, officer, site, forms, commune, form_id, data)

    for week in range(WEEKS):
        for group in rng.sample(groups, min(2, len(groups))):
            day = start + timedelta(days=7 * week + rng.randrange(5))
            total = rng.randrange(25, 80)
            add(
                "session",
                {
                    "date": day.isoformat(),
                    "start_time": rng.choice(["08:00", "14:00", "19:30"]),
                    "residential_group": group["uuid"],
                    "channel": rng.choice(channels),
                    "topics": rng.sample(topics, 3),
                    "presenter": "Cán bộ xã (DEMO)",
                    "attendees_total": total,
                    "attendees_women": total // 2,
                    "attendees_ethnic_minority": total * 2 // 3,
                    "languages": ["vi", rng.choice(["tay", "dao", "hmn"])],
                    "materials_handed_out": True,
                    "materials": ["leaflet"],
                    "materials_count": total,
                    "notes": DEMO_NOTE,
                },
            )
        if week % 2 == 0:
            first = start + timedelta(days=7 * week + 1)
            topic = topics[week % len(topics)]
            for n in range(3):
                add(
                    "broadcast",
                    {
                        "date": (first + timedelta(days=n)).isoformat(),
                        "time": "06:30",
                        "topic": topic,
                        "minutes": 10,
                        "consecutive_day": n + 1,
                        "notes": DEMO_NOTE,
                    },
                )


def first_demo_day():
    """The demo's weeks end today."""
    return date.today() - timedelta(weeks=WEEKS)


def add_demo_record(db, scope, site, forms, commune, form_id, data):
    """Receive one record of today's version of `form_id`, as the officer's phone would send it."""
    definition = forms.current(form_id)
    payload = {
        "uuid": new_uuid(),
        "form_id": form_id,
        "form_version": definition.version,
        "commune": commune,
        "data": data,
    }
    records.receive(db, scope, site, forms, payload)
