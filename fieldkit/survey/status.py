"""Where each sampled group stands: its visit, days to go, and its readiness item by item."""

from datetime import date

from ..auth.scope import SYSTEM
from ..units.units import commune_by_code
from .readiness import Context, group_items, settings_of
from .visits import default_place, visits_by_sample
from .years import group_of, list_samples, mark_groups, require_year


def visit_summary(visit, group, sample):
    """A visit as pages and JSON show it; None when none is planned."""
    if visit is None:
        return None
    return {
        "uuid": visit["uuid"],
        "date": visit["start_date"],
        "end": visit["end_date"] or visit["start_date"],
        "status": visit["status"],
        "place": visit["place"] or default_place(group, sample),
        "team_contact": visit["team_contact"] or "",
        "guide": visit["guide"] or "",
        "note": visit["note"] or "",
        "updated_at": visit["updated_at"],
    }


def survey_status(db, scope, commune_code=None, year=None, today=None, lang="vi"):
    """(the survey year, one entry per sampled group the scope holds, of one commune if given)."""
    year_row = require_year(db, year)
    settings = settings_of(year_row)
    today = today or date.today()
    samples = list_samples(db, scope, year_row["year"], commune_code)
    groups = {s["uuid"]: group_of(db, s) for s in samples}
    if any(g and year_row["year"] not in g["papi_years"] for g in groups.values()):
        # A year that came down from the central is marked on the roster the first time it is looked at.
        mark_groups(db, SYSTEM, year_row["year"])
        groups = {s["uuid"]: group_of(db, s) for s in samples}
    visits = visits_by_sample(db, samples)
    names = {}
    entries = []
    for sample in samples:
        group, visit = groups[sample["uuid"]], visits.get(sample["uuid"])
        reference = date.fromisoformat(visit["start_date"]) if visit else today
        items = group_items(Context(db, scope, sample, group, visit, reference), settings, lang)
        ready_count = sum(1 for item in items if item["ready"])
        code = sample["commune_code"]
        if code not in names:
            commune = commune_by_code(db, code)
            names[code] = commune["name"] if commune else code
        entries.append(
            {
                "group": group["name"] if group else sample["group_name"],
                "group_uuid": group["uuid"] if group else None,
                "sample_uuid": sample["uuid"],
                "commune": code,
                "commune_2025": sample["commune_code_2025"],
                "commune_name": names[code],
                "district": sample["district_code"],
                "visit": visit_summary(visit, group, sample),
                "days_to_visit": (reference - today).days if visit else None,
                "ready": ready_count == len(items),
                "ready_count": ready_count,
                "item_count": len(items),
                "items": items,
            }
        )
    return year_row, entries


def urgency(entry):
    """Sort key: upcoming visits nearest first, then groups with no date, then past visits; least ready first."""
    days = entry["days_to_visit"]
    if days is None:
        band, distance = 1, 0
    elif days >= 0:
        band, distance = 0, days
    else:
        band, distance = 2, -days
    return (band, distance, entry["ready_count"] / max(entry["item_count"], 1), entry["commune"], entry["group"])
