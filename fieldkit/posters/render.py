"""Posters, leaflets, attendance sheets and loudspeaker scripts as PDF: data in, bytes out.

Every layout is drawn once in A4 units; A3 is the same page scaled by √2 and an A5 leaflet the
same page scaled by 1/√2, two to a landscape A4 sheet. Black on white only, large type, so a
commune laser printer gives a legible sheet; nothing relies on colour.
"""

import math
from dataclasses import dataclass

from reportlab.lib.pagesizes import A3, A4, landscape

from .pdfkit import BOLD, REGULAR, draw_lines, draw_qr, draw_text, mm, new_canvas, wrap
from .wording import ATTENDANCE, POSTER, SCRIPT

SIZES = ("A4", "A3", "A5")
# How many printed pieces (each with its own code) one PDF page holds.
PIECES_PER_PAGE = {"A4": 1, "A3": 1, "A5": 2}
# The QR block sits at the same place on every sheet (A4 units).
QR_SIZE = 64 * mm
QR_BASE = 28 * mm
BULLET_INDENT = 9 * mm
AUDIO_QR_SIZE = 27 * mm


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
    width, height = A4
    margin = 16 * mm
    column = width - 2 * margin
    canvas.setLineWidth(3)
    canvas.rect(9 * mm, 9 * mm, width - 18 * mm, height - 18 * mm)

    y = height - 24 * mm
    y = draw_text(
        canvas,
        text["authority"].format(commune=sheet.commune_name.upper()),
        margin,
        y,
        column,
        BOLD,
        13,
        align="center",
    )
    y -= 13 * mm
    y = draw_text(canvas, text["title"], margin, y, column, BOLD, 48, leading=54, align="center")
    y = draw_text(canvas, text["subtitle"], margin, y, column, REGULAR, 15, align="center")
    y += 1 * mm
    canvas.setLineWidth(2)
    canvas.line(margin, y, width - margin, y)
    # The message shrinks (never below 80 %) when a long group name would push it into the QR block.
    y -= 13 * mm
    # y is one leading below the last baseline, so the ink stays about 9 mm clear of the QR block.
    qr_top = QR_BASE + QR_SIZE
    blocks = _message_blocks(text, sheet)
    scale = 1.0
    laid_out, needed = _layout(blocks, column, scale)
    while scale > 0.8 and y - needed < qr_top:
        scale -= 0.04
        laid_out, needed = _layout(blocks, column, scale)
    for kind, lines, font, size, leading, gap in laid_out:
        if kind == "bullet":
            bullet = 3.6 * mm * scale
            canvas.rect(margin, y - 0.3 * mm, bullet, bullet, stroke=0, fill=1)
            y = draw_lines(canvas, lines, margin + BULLET_INDENT, y, font, size, leading)
        else:
            y = draw_lines(canvas, lines, margin, y, font, size, leading)
        y -= gap

    # The lower block is anchored to the bottom so every sheet has the QR in the same place.
    draw_qr(canvas, sheet.url, margin, QR_BASE, QR_SIZE)
    right = margin + QR_SIZE + 7 * mm
    right_width = width - margin - right - (AUDIO_QR_SIZE + 4 * mm if sheet.audio_url else 0)
    if sheet.audio_url:
        _audio_qr(canvas, sheet, text, width - margin - AUDIO_QR_SIZE)
    y = QR_BASE + QR_SIZE - 5 * mm
    y = draw_text(canvas, text["scan"], right, y, right_width, BOLD, 15, leading=19)
    y = draw_text(canvas, sheet.url, right, y, right_width, REGULAR, 10.5, leading=13)
    y -= 4 * mm
    y = draw_text(canvas, text["contact"], right, y, right_width, REGULAR, 12.5)
    y = draw_text(canvas, sheet.officer_name or text["no_contact"], right, y, right_width, BOLD, 16, leading=20)
    if sheet.officer_phone:
        y = draw_text(canvas, sheet.officer_phone, right, y, right_width, BOLD, 22, leading=26)
    details = []
    if sheet.cultural_house:
        details.append(f"{text['posted_at']} {sheet.cultural_house}")
    if sheet.meeting_schedule:
        details.append(f"{text['meeting']} {sheet.meeting_schedule}")
    for detail in details:
        y -= 1 * mm
        y = draw_text(canvas, detail, right, y, right_width, REGULAR, 11.5, leading=14.5)

    draw_text(canvas, text["law"], margin, 20 * mm, column, REGULAR, 9.5, leading=12)
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(width - margin, 12.5 * mm, f"{text['code']}: {sheet.code}")


def _audio_qr(canvas, sheet, text, x):
    """The audio QR at the right of the contact block, its language named above it."""
    draw_qr(canvas, sheet.audio_url, x, QR_BASE, AUDIO_QR_SIZE)
    y = QR_BASE + AUDIO_QR_SIZE + 10 * mm
    y = draw_text(canvas, text["listen"], x, y, AUDIO_QR_SIZE, REGULAR, 11, align="center")
    draw_text(canvas, sheet.audio_label, x, y, AUDIO_QR_SIZE, BOLD, 14, align="center")


def _message_blocks(text, sheet):
    """(kind, text, font, size, leading, gap after) for the message under the title."""
    blocks = [
        ("text", text["to_residents"].format(group=sheet.group_name), BOLD, 24, 30, 1 * mm),
        ("text", text["lead"], REGULAR, 17, 23, 4 * mm),
    ]
    blocks += [("bullet", point, REGULAR, 16.5, 22, 3 * mm) for point in text["points"]]
    return blocks


def _layout(blocks, column, scale):
    """The blocks wrapped at `scale`, and the height they take."""
    laid_out, height = [], 0
    for kind, words, font, size, leading, gap in blocks:
        width = column - (BULLET_INDENT if kind == "bullet" else 0)
        lines = wrap(words, font, size * scale, width)
        laid_out.append((kind, lines, font, size * scale, leading * scale, gap * scale))
        height += len(lines) * leading * scale + gap * scale
    return laid_out, height


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
