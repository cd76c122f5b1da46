"""Posters, leaflets, attendance sheets and loudspeaker scripts as PDF: data in, bytes out.

Every layout is drawn once in A4 units; A3 is the same page scaled by √2 and an A5 leaflet the
same page scaled by 1/√2, two to a landscape A4 sheet. Black on white only, large type, so a
commune laser printer gives a legible sheet; nothing relies on colour.
"""

import math
from dataclasses import dataclass

from reportlab.lib.pagesizes import A3, A4, landscape

from ..pdf import (
    BOLD,
    REGULAR,
    Column,
    draw_blocks,
    draw_lines,
    draw_qr,
    draw_text,
    fitting_scale,
    framed_page,
    mm,
    new_canvas,
    wrap,
)
from .wording import ATTENDANCE, POSTER, SCRIPT

SIZES = ("A4", "A3", "A5")
# How many printed pieces (each with its own code) one PDF page holds.
PIECES_PER_PAGE = {"A4": 1, "A3": 1, "A5": 2}
# The QR block sits at the same place on every sheet (A4 units).
QR_SIZE = 64 * mm
QR_BASE = 40 * mm
LAW_BASE = 20 * mm
BULLET_INDENT = 9 * mm
AUDIO_QR_SIZE = 27 * mm
# How far a long group name may shrink the message, and long details the text beside the QR.
MESSAGE_SCALES = tuple(1 - step / 25 for step in range(13))
DETAIL_SCALES = tuple(1 - step / 20 for step in range(11))


@dataclass(frozen=True)
class Sheet:
    """One printed poster or leaflet: whom it speaks to and where its QR code leads."""

    code: str
    url: str
    commune_name: str
    group_name: str
    cultural_house: str = ""
    officer_name: str = ""
    officer_phone: str = ""
    meeting_schedule: str = ""
    lang: str = "vi"
    # A second, smaller QR to a language's recordings, for residents who cannot read the sheet.
    audio_url: str = ""
    audio_label: str = ""


def poster_pdf(sheets, size="A4"):
    """A PDF with one poster per page (A4, A3) or two A5 leaflets per landscape A4 page."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}")
    sheets = list(sheets)
    first = sheets[0] if sheets else None
    title = f"PAPI - {first.commune_name}" if first else "PAPI"
    if size == "A5":
        width, height = landscape(A4)
        canvas, buffer = new_canvas((width, height), title)
        for start in range(0, len(sheets), 2):
            for slot, sheet in enumerate(sheets[start : start + 2]):
                canvas.saveState()
                canvas.translate(slot * width / 2, 0)
                canvas.scale(1 / math.sqrt(2), 1 / math.sqrt(2))
                _poster_page(canvas, sheet)
                canvas.restoreState()
            _cut_line(canvas, width, height)
            canvas.showPage()
    else:
        canvas, buffer = new_canvas(A3 if size == "A3" else A4, title)
        for sheet in sheets:
            if size == "A3":
                canvas.scale(math.sqrt(2), math.sqrt(2))
            _poster_page(canvas, sheet)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cut_line(canvas, width, height):
    canvas.saveState()
    canvas.setDash(6, 4)
    canvas.setLineWidth(0.5)
    canvas.line(width / 2, 5 * mm, width / 2, height - 5 * mm)
    canvas.restoreState()


def _poster_page(canvas, sheet):
    """Draw one poster in A4 units (595 × 842 pt)."""
    text = POSTER.get(sheet.lang, POSTER["vi"])
    width, height, margin, column = framed_page(canvas)

    top = Column(canvas, margin, height - 24 * mm, column)
    top.text(text["authority"].format(commune=sheet.commune_name.upper()), BOLD, 13, align="center")
    top.skip(13 * mm)
    top.text(text["title"], BOLD, 48, leading=54, align="center")
    y = top.text(text["subtitle"], REGULAR, 15, align="center")
    y += 1 * mm
    canvas.setLineWidth(2)
    canvas.line(margin, y, width - margin, y)
    # The message shrinks when a long group name would push it into the QR block; the message's
    # lowest ink stays clear of the block's top.
    start = y - 13 * mm
    floor = QR_BASE + QR_SIZE + 4 * mm
    blocks = _message_blocks(text, sheet)
    scale = fitting_scale(lambda s: draw_blocks(None, blocks, margin, start, column, s), floor, MESSAGE_SCALES)
    draw_blocks(canvas, blocks, margin, start, column, scale)

    # The lower block is anchored to the bottom so every sheet has the QR in the same place.
    draw_qr(canvas, sheet.url, margin, QR_BASE, QR_SIZE)
    under = Column(canvas, margin, QR_BASE - 4.5 * mm, QR_SIZE)
    under.text(text["code"], REGULAR, 10.5, align="center")
    under.text(sheet.code, BOLD, 15, align="center")
    right = margin + QR_SIZE + 7 * mm
    right_width = width - margin - right - (AUDIO_QR_SIZE + 4 * mm if sheet.audio_url else 0)
    if sheet.audio_url:
        _audio_qr(canvas, text, sheet, width - margin - AUDIO_QR_SIZE)
    # The right column may reach down to just above the law's line; its details shrink to stay there.
    law_top = LAW_BASE + 9.5 * 1.2
    scale = fitting_scale(
        lambda s: _draw_contact(None, text, sheet, right, right_width, s), law_top + 2 * mm, DETAIL_SCALES
    )
    _draw_contact(canvas, text, sheet, right, right_width, scale)
    Column(canvas, margin, LAW_BASE, column).text(text["law"], REGULAR, 9.5, leading=12)


def _audio_qr(canvas, text, sheet, x):
    """The QR of a language's recordings at the right of the contact block, the language named above it."""
    draw_qr(canvas, sheet.audio_url, x, QR_BASE, AUDIO_QR_SIZE)
    label = Column(canvas, x, QR_BASE + AUDIO_QR_SIZE + 9 * mm, AUDIO_QR_SIZE)
    label.text(text["listen"], REGULAR, 11, align="center")
    label.text(sheet.audio_label, BOLD, 14, align="center")


def _draw_contact(canvas, text, sheet, x, width, scale):
    """Beside the QR: where it leads, whom to call, where the sheet is and when meetings are."""
    flow = Column(canvas, x, QR_BASE + QR_SIZE - 5 * mm, width)
    flow.text(text["scan"], BOLD, 15, leading=19)
    flow.text(sheet.url, REGULAR, 10.5, leading=13)
    flow.skip(4 * mm)
    flow.text(text["contact"], REGULAR, 12.5 * scale)
    flow.text(sheet.officer_name or text["no_contact"], BOLD, 16 * scale, leading=20 * scale)
    if sheet.officer_phone:
        flow.text(sheet.officer_phone, BOLD, 22 * scale, leading=26 * scale)
    details = []
    if sheet.cultural_house:
        details.append(f"{text['posted_at']} {sheet.cultural_house}")
    if sheet.meeting_schedule:
        details.append(f"{text['meeting']} {sheet.meeting_schedule}")
    for detail in details:
        flow.skip(1 * mm)
        flow.text(detail, REGULAR, 11.5 * scale, leading=14.5 * scale)
    return flow.lowest


def _message_blocks(text, sheet):
    """The message under the title, as `draw_blocks` takes it: (text, font, size, leading, gap after, indent)."""
    blocks = [
        (text["to_residents"].format(group=sheet.group_name), BOLD, 24, 30, 1 * mm, 0),
        (text["lead"], REGULAR, 17, 23, 4 * mm, 0),
    ]
    blocks += [(point, REGULAR, 16.5, 22, 3 * mm, BULLET_INDENT) for point in text["points"]]
    return blocks


def attendance_pdf(commune_name, group_name, place, date_text, topic, rows=22):
    """A blank attendance sheet for one session: header pre-filled, numbered rows to sign."""
    text = ATTENDANCE
    canvas, buffer = new_canvas(A4, f"{text['title']} - {group_name}")
    width, height = A4
    margin = 15 * mm
    column = width - 2 * margin
    half = column / 2
    draw_text(
        canvas,
        text["authority"].format(commune=commune_name.upper()),
        margin,
        height - 18 * mm,
        half - 5 * mm,
        BOLD,
        10.5,
        align="center",
    )
    draw_text(canvas, text["motto"], margin + half, height - 18 * mm, half, BOLD, 10.5, align="center")
    draw_text(canvas, text["motto2"], margin + half, height - 23 * mm, half, BOLD, 11, align="center")
    y = height - 38 * mm
    y = draw_text(canvas, text["title"], margin, y, column, BOLD, 17, align="center")
    y -= 2 * mm
    for line in (
        text["group"].format(group=group_name),
        text["place"].format(place=place or "................................................"),
        text["date"].format(date=date_text),
        text["topic"].format(topic=topic or "................................................"),
    ):
        y = draw_text(canvas, line, margin, y, column, REGULAR, 12, leading=16)
    y -= 3 * mm
    widths = [12 * mm, 68 * mm, 22 * mm, 30 * mm]
    widths.append(column - sum(widths))
    row_height = 8.6 * mm
    canvas.setLineWidth(0.8)
    xs = [margin]
    for w in widths:
        xs.append(xs[-1] + w)
    top = y + 4 * mm
    bottom = top - row_height * (rows + 1)
    canvas.rect(margin, bottom, column, top - bottom)
    for x in xs[1:-1]:
        canvas.line(x, top, x, bottom)
    for i in range(1, rows + 1):
        canvas.line(margin, top - i * row_height, margin + column, top - i * row_height)
    canvas.setFont(BOLD, 11)
    for x, w, label in zip(xs, widths, text["columns"], strict=False):
        canvas.drawCentredString(x + w / 2, top - row_height + 2.8 * mm, label)
    canvas.setFont(REGULAR, 11)
    for i in range(1, rows + 1):
        canvas.drawCentredString(xs[0] + widths[0] / 2, top - (i + 1) * row_height + 2.8 * mm, str(i))
    y = bottom - 9 * mm
    draw_text(canvas, text["signer"], margin + half, y, half, BOLD, 11, align="center")
    draw_text(canvas, text["signer_hint"], margin + half, y - 5 * mm, half, REGULAR, 10, align="center")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def script_pdf(commune_name, title, paragraphs, officer_name="", officer_phone=""):
    """A loudspeaker script for one topic, in large type for reading aloud."""
    canvas, buffer = new_canvas(A4, f"{SCRIPT['heading']} - {title}")
    width, height = A4
    margin = 20 * mm
    column = width - 2 * margin
    closing = []
    if officer_name:
        template = SCRIPT["contact"] if officer_phone else SCRIPT["contact_no_phone"]
        closing.append(template.format(officer=officer_name, phone=officer_phone))
    body = list(paragraphs) + closing
    words = sum(len(p.split()) for p in body)

    def header():
        y = height - 20 * mm
        y = draw_text(
            canvas,
            SCRIPT["authority"].format(commune=commune_name.upper()),
            margin,
            y,
            column,
            BOLD,
            11,
            align="center",
        )
        return y - 4 * mm

    y = header()
    y = draw_text(canvas, SCRIPT["heading"], margin, y, column, BOLD, 18, align="center")
    y = draw_text(canvas, title, margin, y, column, BOLD, 15, align="center")
    y = draw_text(canvas, SCRIPT["duration"].format(words=words), margin, y, column, REGULAR, 10.5, align="center")
    y -= 5 * mm
    size, leading = 13, 18.5
    for paragraph in body:
        for line in wrap(paragraph, REGULAR, size, column):
            if y < 20 * mm:
                canvas.showPage()
                y = header()
            y = draw_lines(canvas, [line], margin, y, REGULAR, size, leading)
        y -= 3 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
