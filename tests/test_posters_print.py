"""Posters print clean: no line's ink touches another's, nothing prints as a blank, the longest names fit."""

import json
import unicodedata
from dataclasses import replace
from pathlib import Path

import fontpkg
import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from fieldkit import pdf as pdfkit
from fieldkit.posters import render
from fieldkit.posters.render import QR_BASE, QR_SIZE, Sheet, poster_pdf

from .pdftools import pdf_text, qr_codes_per_page

UNITS = Path(__file__).parent.parent / "fieldkit" / "units" / "data" / "lao-cai.json"
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
# Every vowel under every tone, lower and upper case: the full set of Vietnamese diacritic stacks.
STACKS = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
STACKS += [s.upper() for s in STACKS]
PT_PER_DOT = 72 / 300


def longest_commune_name():
    eras = json.loads(UNITS.read_text(encoding="utf-8"))["eras"]
    return max((c["name"] for era in eras.values() for c in era["communes"]), key=len)


def stacked_words(letters, limit, start="Hoàng"):
    """`start`, then words of six stacks between a descender and a dot below, up to `limit` characters."""
    words = [start]
    for index in range(0, len(letters), 6):
        word = "g" + "".join(letters[index : index + 6]) + "ị"
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    return " ".join(words)


def long_sheet(code="02989-K7QX-4MZ2", emoji=""):
    """A sheet with every text at the longest the roster and contacts pages accept."""
    half = len(STACKS) // 2
    return Sheet(
        code=code,
        url=f"https://papi.laocai.gov.vn/p/{code}",
        commune_name=longest_commune_name(),
        group_name=emoji + stacked_words(STACKS[:half], 120 - len(emoji), "Thôn"),
        cultural_house=stacked_words(STACKS[half:] + STACKS[:half], 160, "Nhà văn hóa"),
        officer_name=stacked_words(STACKS[::-1], 80),
        officer_phone="0912 345 678 / 0214 3 838 999",
        meeting_schedule=stacked_words(STACKS[::5], 120, "Tối thứ Bảy"),
    )


class RecordingCanvas(Canvas):
    """A canvas that keeps every string drawn: (font, size, left, right, baseline, text)."""

    drawn = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordingCanvas.drawn = []

    def _keep(self, x, y, text, align):
        width = pdfmetrics.stringWidth(text, self._fontname, self._fontsize)
        left = {"left": x, "center": x - width / 2, "right": x - width}[align]
        RecordingCanvas.drawn.append((self._fontname, self._fontsize, left, left + width, y, text))

    def drawString(self, x, y, text, *args, **kwargs):
        self._keep(x, y, text, "left")
        return super().drawString(x, y, text, *args, **kwargs)

    def drawCentredString(self, x, y, text, *args, **kwargs):
        self._keep(x, y, text, "center")
        return super().drawCentredString(x, y, text, *args, **kwargs)

    def drawRightString(self, x, y, text, *args, **kwargs):
        self._keep(x, y, text, "right")
        return super().drawRightString(x, y, text, *args, **kwargs)


@pytest.fixture(scope="module")
def glyph_bounds():
    """(yMax, yMin) per code point, per font name, read straight from the font files with fontTools."""
    bounds = {}
    for name, weight in ((pdfkit.REGULAR, 400), (pdfkit.BOLD, 700)):
        font = TTFont(fontpkg.path("Be Vietnam Pro", weight=weight))
        glyf = font["glyf"]
        bounds[name] = {
            cp: (glyf[g].yMax, glyf[g].yMin) for cp, g in font.getBestCmap().items() if glyf[g].numberOfContours
        }
    return bounds


def ink_boxes(drawn, bounds):
    boxes = []
    for font, size, left, right, baseline, text in drawn:
        marks = [bounds[font][ord(ch)] for ch in text if ord(ch) in bounds[font]]
        if marks:
            top = baseline + max(m[0] for m in marks) * size / 1000
            bottom = baseline + min(m[1] for m in marks) * size / 1000
            boxes.append((left, right, bottom, top, text))
    return boxes


def draw_recorded(monkeypatch, sheet):
    monkeypatch.setattr(pdfkit, "Canvas", RecordingCanvas)
    data = poster_pdf([sheet], "A4")
    return data, RecordingCanvas.drawn


def test_the_test_strings_hold_every_stack_and_the_longest_names():
    assert len(STACKS) == 144 and all(len(s) == 1 for s in STACKS)
    sheet = long_sheet()
    everything = sheet.group_name + sheet.cultural_house + sheet.officer_name
    assert set(STACKS) <= set(everything)
    assert 100 < len(sheet.group_name) <= 120 and 140 < len(sheet.cultural_house) <= 160


@pytest.mark.parametrize("emoji", ["", "🌾🏠 "])
def test_no_line_touches_another_at_300_dpi(monkeypatch, glyph_bounds, emoji):
    _, drawn = draw_recorded(monkeypatch, long_sheet(emoji=emoji))
    boxes = ink_boxes(drawn, glyph_bounds)
    close = []
    for i, (l1, r1, b1, t1, s1) in enumerate(boxes):
        for l2, r2, b2, t2, s2 in boxes[i + 1 :]:
            if min(r1, r2) <= max(l1, l2):
                continue  # side by side, not one above the other
            gap = max(b1 - t2, b2 - t1)
            if gap < 4 * PT_PER_DOT:
                close.append((round(gap / PT_PER_DOT, 1), s1[:30], s2[:30]))
    assert not close, close


@pytest.mark.parametrize(
    "base", ["https://papi.laocai.gov.vn", "https://khao-sat-papi.sonoivu.laocai.gov.vn/tuyen-truyen"]
)
def test_text_stays_off_the_qr_code_and_inside_the_border(monkeypatch, glyph_bounds, base):
    sheet = long_sheet()
    _, drawn = draw_recorded(monkeypatch, replace(sheet, url=f"{base}/p/{sheet.code}"))
    qr_left, qr_right = 16 * render.mm, 16 * render.mm + QR_SIZE
    border = 9 * render.mm + 2
    for left, right, bottom, top, text in ink_boxes(drawn, glyph_bounds):
        assert left >= border and right <= 595.3 - border and bottom >= border and top <= 841.9 - border, text
        overlaps_qr = left < qr_right and right > qr_left and bottom < QR_BASE + QR_SIZE and top > QR_BASE
        assert not overlaps_qr, text


def test_glyphs_the_font_lacks_are_dropped_not_printed_blank(monkeypatch, glyph_bounds, tmp_path):
    data, drawn = draw_recorded(monkeypatch, long_sheet(emoji="🌾 Bản ❤️ Mới\u200d "))
    for font, _size, _left, _right, _baseline, text in drawn:
        missing = [ch for ch in text if ch != " " and ord(ch) not in pdfmetrics.getFont(font).face.charToGlyph]
        assert not missing, (text, missing)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(data)
    text = pdf_text(pdf)
    assert "Bản Mới" in text and "🌾" not in text


def test_the_longest_poster_still_scans_and_reads(monkeypatch, tmp_path):
    sheet = long_sheet()
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(poster_pdf([sheet], "A4"))
    assert qr_codes_per_page(pdf, tmp_path, dpi=300) == [[sheet.url]]
    text = " ".join(pdf_text(pdf).split())
    assert "Mã áp phích" in text and sheet.code in text
    assert sheet.commune_name.upper() in text
