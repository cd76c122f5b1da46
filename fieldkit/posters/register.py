"""The poster register: printing gives each sheet a code; events follow it; scans are counted."""

from ..auth import audit
from ..changes import new_uuid
from ..sync.public_url import require_public
from ..text import nfc
from ..units.units import commune_by_code
from . import codes
from .contacts import get_contact, schedules
from .render import PIECES_PER_PAGE, Sheet

EVENTS = ("posted", "checked", "replaced", "removed")
CONDITIONS = ("ok", "damaged")
# A poster counts as current at its cultural house while its latest state is one of these.
CURRENT = ("posted",)


def _unused_codes(db, commune_code, count):
    """`count` new codes for a commune, none already in the register."""
    made = set()
    while len(made) < count:
        code = codes.new_code(commune_code)
        if code not in made and not db.execute("SELECT 1 FROM posters WHERE code = ?", [code]).fetchone():
            made.add(code)
    return sorted(made)


def poster_url(base_url, code):
    return f"{base_url.rstrip('/')}/p/{code}"


def commune_name(db, commune_code):
    commune = commune_by_code(db, commune_code)
    return commune["name"] if commune else commune_code


def print_sheets(db, scope, site_id, commune_code, groups, size, base_url, lang="vi", lan_only=False):
    """Register new sheets for `groups` (PIECES_PER_PAGE[size] each) and return them as Sheets to render.

    Raises NotPublic when `base_url` is a LAN-only address and the user did not ask for a LAN-only poster.
    """
    scope.require(commune_code)
    require_public(base_url, lan_only)
    name = commune_name(db, commune_code)
    contact = get_contact(db, scope, commune_code)
    meeting = schedules(db, scope, commune_code)
    now = audit.utc_now()
    sheets, rows = [], []
    fresh = iter(_unused_codes(db, commune_code, len(groups) * PIECES_PER_PAGE[size]))
    for group in groups:
        for _ in range(PIECES_PER_PAGE[size]):
            code = next(fresh)
            rows.append(
                {
                    "uuid": new_uuid(),
                    "origin_site": site_id,
                    "code": code,
                    "group_uuid": group["uuid"],
                    "commune_code": commune_code,
                    "size": size,
                    "lang": lang,
                    "printed_at": now,
                    "printed_by": scope.username,
                    "status": "printed",
                }
            )
            sheets.append(
                Sheet(
                    code=code,
                    url=poster_url(base_url, code),
                    commune_name=name,
                    group_name=group["name"],
                    cultural_house=group.get("cultural_house_name") or "",
                    officer_name=contact["officer_name"] or "",
                    officer_phone=contact["officer_phone"] or "",
                    meeting_schedule=meeting.get(group["uuid"], ""),
                    lang=lang,
                )
            )
    events = [
        {
            "uuid": new_uuid(),
            "origin_site": site_id,
            "poster_code": row["code"],
            "commune_code": commune_code,
            "event": "printed",
            "at": now,
            "username": scope.username,
        }
        for row in rows
    ]
    with db.atomic():
        db["posters"].insert_all(rows)
        db["poster_events"].insert_all(events)
        audit.record(
            db,
            scope,
            "posters.print",
            "posters",
            None,
            commune_code,
            {"size": size, "codes": [row["code"] for row in rows]},
        )
    return sheets


def code_for_group(db, scope, site_id, group, base_url):
    """The code of the group's first printed sheet, printing one (A4) when it has none."""
    found = db.execute("SELECT code FROM posters WHERE group_uuid = ? ORDER BY id LIMIT 1", [group["uuid"]]).fetchone()
    if found:
        return found[0]
    # Only the code is wanted here, no sheet leaves the machine, so the address need not be public.
    return print_sheets(db, scope, site_id, group["commune_code"], [group], "A4", base_url, lan_only=True)[0].code


def get_poster(db, scope, typed):
    """One poster within the scope by its code as a person typed or a camera read it, or None."""
    for code in codes.candidates(typed):
        rows = list(scope.rows(db["posters"], "code = ?", [code], limit=1))
        if rows:
            return rows[0]
    return None


def status_after(event, condition):
    if event == "checked":
        return "damaged" if condition == "damaged" else "posted"
    return {"posted": "posted", "replaced": "replaced", "removed": "removed"}[event]


def record_event(db, scope, site_id, poster, event, place="", condition="", note="", photo="", submission_uuid=None):
    """Add an event (posted, checked, replaced, removed) to a poster and update its status."""
    scope.require(poster["commune_code"])
    if event not in EVENTS:
        raise ValueError(event)
    if event == "checked" and condition not in CONDITIONS:
        raise ValueError(condition)
    row = {
        "uuid": new_uuid(),
        "origin_site": site_id,
        "poster_code": poster["code"],
        "commune_code": poster["commune_code"],
        "event": event,
        "condition": condition or None,
        "place": nfc(place) or None,
        "note": nfc(note) or None,
        "photo": photo or None,
        "at": audit.utc_now(),
        "username": scope.username,
        "submission_uuid": submission_uuid,
    }
    with db.atomic():
        db["poster_events"].insert(row)
        db["posters"].update(poster["id"], {"status": status_after(event, condition)})
        audit.record(
            db,
            scope,
            f"poster.{event}",
            "posters",
            poster["uuid"],
            poster["commune_code"],
            {"code": poster["code"], "condition": condition, "place": row["place"]},
        )
    return row


def events_of(db, scope, code):
    return list(scope.rows(db["poster_events"], "poster_code = ?", [code], order_by="id"))


def record_scan(db, site_id, code, count_unknown=False):
    """Count a QR scan of a known code (time only); return False for an unknown code.

    With `count_unknown` (Sở Nội vụ, which phones reach before the poster's row arrives by sync) a
    well-formed unknown code is counted too, with no commune until the poster arrives.

    No audit entry: a scan is an anonymous public visit, not a user's change, and logging each
    one would let anyone fill the audit log.
    """
    if not codes.is_well_formed(code):
        return False
    found = db.execute("SELECT commune_code FROM posters WHERE code = ?", [code]).fetchone()
    if not found and not count_unknown:
        return False
    db["poster_scans"].insert(
        {
            "uuid": new_uuid(),
            "origin_site": site_id or "unknown",
            "poster_code": code,
            "commune_code": found[0] if found else None,
            "scanned_at": audit.utc_now(),
        }
    )
    return True


def register(db, scope, commune_code):
    """Every poster of a commune with its group name and scan count, newest first."""
    scope.require(commune_code)
    return [
        dict(row)
        for row in db.query(
            "SELECT p.*, g.name AS group_name, g.cultural_house_name,"
            " (SELECT count(*) FROM poster_scans s WHERE s.poster_code = p.code) AS scans"
            " FROM posters p LEFT JOIN residential_groups g ON g.uuid = p.group_uuid"
            " WHERE p.commune_code = ? ORDER BY p.id DESC",
            [commune_code],
        )
    ]


def houses_without_poster(db, scope, commune_code):
    """Active groups of a commune with no poster currently up at their cultural house."""
    scope.require(commune_code)
    marks = ", ".join("?" for _ in CURRENT)
    return [
        dict(row)
        for row in db.query(
            "SELECT g.* FROM residential_groups g WHERE g.commune_code = ? AND g.active = 1"
            f" AND NOT EXISTS (SELECT 1 FROM posters p WHERE p.group_uuid = g.uuid AND p.status IN ({marks}))"
            " ORDER BY g.name_key",
            [commune_code, *CURRENT],
        )
    ]
