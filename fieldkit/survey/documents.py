"""What a commune takes away: its visits as iCalendar, the notices for its cultural houses."""

from flask_babel import lazy_gettext as _l

from ..sync.public_url import require_public
from ..text import fold
from ..units.units import commune_by_code
from .ics import CalendarVisit, visits_ics
from .notice import Notice, notice_pdf
from .status import survey_status
from .visits import STATUS_LABELS
from .years import SurveyError

# The explainer page about the survey team's visit: where the notice's QR code leads.
EXPLAINER_PATH = "/explain/survey-visit"


def _commune_name(db, commune_code):
    commune = commune_by_code(db, commune_code)
    if commune is None:
        raise SurveyError(_l("Không có xã mã %(code)s.", code=commune_code))
    return commune["name"]


def _scheduled(db, scope, commune_code, year, group_name=None):
    year_row, entries = survey_status(db, scope, commune_code, year)
    entries = [e for e in entries if e["visit"]]
    if group_name is not None:
        entries = [e for e in entries if fold(e["group"]) == fold(group_name)]
    if not entries:
        raise SurveyError(_l("Xã chưa có lịch đoàn khảo sát đến thôn nào."))
    return year_row, entries


def commune_calendar(db, scope, commune_code, year=None):
    """The commune's visits as an iCalendar file (bytes)."""
    name = _commune_name(db, commune_code)
    year_row, entries = _scheduled(db, scope, commune_code, year)
    events = []
    for entry in entries:
        visit = entry["visit"]
        lines = [
            str(_l("Trạng thái: %(status)s", status=STATUS_LABELS[visit["status"]])),
            str(_l("Liên hệ đoàn khảo sát: %(contact)s", contact=visit["team_contact"]))
            if visit["team_contact"]
            else "",
            str(_l("Cán bộ xã đi cùng đoàn: %(guide)s", guide=visit["guide"])) if visit["guide"] else "",
            visit["note"],
        ]
        events.append(
            CalendarVisit(
                uid=visit["uuid"],
                start=visit["date"],
                end=visit["end"],
                status=visit["status"],
                summary=str(_l("Đoàn khảo sát PAPI đến %(group)s", group=entry["group"])),
                place=f"{visit['place']}, {entry['group']}, {name}",
                description="\n".join(line for line in lines if line),
                updated_at=visit["updated_at"],
            )
        )
    return visits_ics(str(_l("Khảo sát PAPI %(year)s – %(commune)s", year=year_row["year"], commune=name)), events)


def commune_notices(db, scope, commune_code, base_url, year=None, group_name=None, lang="vi", lan_only=False):
    """One A4 notice per scheduled visit of the commune (or of one group), as PDF bytes.

    Refused (NotPublic) when the QR would point at a LAN-only address, unless `lan_only` is asked for.
    """
    require_public(base_url, lan_only)
    name = _commune_name(db, commune_code)
    _, entries = _scheduled(db, scope, commune_code, year, group_name)
    notices = [
        Notice(
            commune_name=name,
            group_name=entry["group"],
            start=entry["visit"]["date"],
            end=entry["visit"]["end"],
            place=entry["visit"]["place"],
            url=base_url.rstrip("/") + EXPLAINER_PATH + ("" if lang == "vi" else f"?lang={lang}"),
            team_contact=entry["visit"]["team_contact"],
            guide=entry["visit"]["guide"],
            lang=lang,
        )
        for entry in entries
    ]
    return notice_pdf(notices)
