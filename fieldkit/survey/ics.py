"""The survey team's visits as an iCalendar file, so they land in the phone's own calendar: data in, bytes out."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

# RFC 5545 STATUS of an event, by visit status.
EVENT_STATUS = {"planned": "TENTATIVE", "moved": "TENTATIVE", "confirmed": "CONFIRMED", "done": "CONFIRMED"}


@dataclass(frozen=True)
class CalendarVisit:
    """One visit as the calendar shows it."""

    uid: str
    start: str
    end: str
    status: str
    summary: str
    place: str
    description: str
    updated_at: str


def visits_ics(name, visits):
    """An iCalendar file with one all-day event per visit (its last day included)."""
    calendar = Calendar()
    calendar.add("prodid", "-//fieldkit//PAPI survey visits//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for visit in visits:
        event = Event()
        event.add("uid", f"{visit.uid}@fieldkit")
        event.add("summary", visit.summary)
        event.add("dtstart", date.fromisoformat(visit.start))
        # DTEND of an all-day event is the day after the last one.
        event.add("dtend", date.fromisoformat(visit.end) + timedelta(days=1))
        event.add("location", visit.place)
        event.add("description", visit.description)
        event.add("status", EVENT_STATUS.get(visit.status, "TENTATIVE"))
        stamp = datetime.fromisoformat(visit.updated_at) if visit.updated_at else datetime.now(UTC)
        event.add("dtstamp", stamp.astimezone(UTC))
        calendar.add_component(event)
    return calendar.to_ical()
