"""Demo survey year: this year's fieldwork around today, Bảo Hà's two sampled villages (and a few more on a central)."""

from datetime import date, timedelta

from ..auth.scope import SYSTEM
from ..demo import CENTRAL_DEMO_COMMUNES, DEMO_COMMUNE
from ..instance import site_id
from ..rosters.groups import list_groups
from .readiness import load_settings
from .visits import save_visit
from .years import add_samples, find_sample, save_year

# Not the groups sampled in 2023 (the rosters demo): each year draws its own.
DEMO_SAMPLED = ("Thôn Bảo Tân", "Thôn Khe Bá")
DEMO_NOTE = "Dữ liệu mẫu (demo)"


def demo_survey(db, app, role):
    """A survey year with visits in the coming weeks, marked as demo."""
    site = site_id(app)
    today = date.today()
    year = today.year
    save_year(
        db,
        SYSTEM,
        site,
        year,
        (today - timedelta(days=7)).isoformat(),
        (today + timedelta(days=60)).isoformat(),
        load_settings(),
        DEMO_NOTE,
    )
    specs = [(DEMO_COMMUNE, name) for name in DEMO_SAMPLED]
    if role == "central":
        for commune in CENTRAL_DEMO_COMMUNES:
            groups = list_groups(db, SYSTEM, commune)
            if commune != DEMO_COMMUNE and groups:
                specs.append((commune, groups[0]["name"]))
    add_samples(db, SYSTEM, site, year, specs)
    plans = [(10, "confirmed"), (25, "planned"), (4, "planned"), (40, "planned")]
    for (code, name), (days, status) in zip(specs, plans * 3, strict=False):
        sample = find_sample(db, SYSTEM, year, code, name)
        save_visit(
            db,
            SYSTEM,
            site,
            sample,
            (today + timedelta(days=days)).isoformat(),
            status=status,
            team_contact="Đoàn khảo sát PAPI (mẫu), 0912 000 000",
            note=DEMO_NOTE,
        )
