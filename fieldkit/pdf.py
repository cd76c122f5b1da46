"""Drawing helpers shared by every PDF fieldkit prints: the embedded font, wrapping, the QR path.

No Flask here: these take values and draw on a ReportLab canvas.
"""

import functools
import io
import re

import fontpkg
from fontTools.ttLib import TTFont as FontFile
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .qr import dark_runs, qr_matrix

REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"
# Space kept between the lowest ink of a line and the highest ink of the next (1.5 pt is 6 dots at 300 dpi).
CLEARANCE = 1.5
_SPACES = re.compile(r"[ \t]{2,}")


class InkFont(TTFont):
    """A TrueType font that also knows how high and low each of its glyphs inks, for line spacing."""

    def __init__(self, name, path):
        super().__init__(name, path)
        file = FontFile(path, lazy=True)
        glyphs = file["glyf"]
        self.ink = {}
        for codepoint, glyph_name in file.getBestCmap().items():
            glyph = glyphs[glyph_name]
            if glyph.numberOfContours:
                self.ink[codepoint] = (glyph.yMax, glyph.yMin)
        file.close()
        # A sheet's lines come back on every sheet of a print run: each line's extent is worked out once.
        self.line_ink = functools.lru_cache(maxsize=4096)(self._line_ink)

    def _line_ink(self, text):
        marks = [self.ink[ord(ch)] for ch in text if ord(ch) in self.ink]
        if not marks:
            return 0, 0
        return max(top for top, _ in marks), min(bottom for _, bottom in marks)

    def vertical_ink(self, text, size):
        """(highest, lowest) ink of `text` at `size`, in points from the baseline (0, 0 when blank)."""
        top, bottom = self.line_ink(text)
        return top * size / 1000, bottom * size / 1000


def register_fonts():
    """Register Be Vietnam Pro (regular, bold) with ReportLab once per process; it has every Vietnamese letter."""
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR not in registered:
        pdfmetrics.registerFont(InkFont(REGULAR, fontpkg.path("Be Vietnam Pro")))
    if BOLD not in registered:
        pdfmetrics.registerFont(InkFont(BOLD, fontpkg.path("Be Vietnam Pro", weight=700)))


def printable(text, font):
    """The text less what the font cannot draw (emoji, rare symbols), which would print as blanks or boxes."""
    face = pdfmetrics.getFont(font).face
    kept = "".join(ch for ch in str(text) if ch in "\n\t " or ord(ch) in face.charToGlyph)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in kept.split("\n"))


def line_step(previous, font_previous, size_previous, line, font, size, leading):
    """How far below `previous` to put `line`'s baseline: the leading, or more when their inks would touch."""
    if previous is None:
        return 0.0
    low = pdfmetrics.getFont(font_previous).vertical_ink(previous, size_previous)[1]
    high = pdfmetrics.getFont(font).vertical_ink(line, size)[0]
    return max(leading, high - low + CLEARANCE)


def new_canvas(pagesize, title, author="fieldkit"):
    """A canvas writing into a BytesIO, whose initial font is ours so Helvetica never enters the file."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize, initialFontName=REGULAR, initialFontSize=12, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("fieldkit")
    return canvas, buffer


def wrap(text, font, size, width):
    """Split text into lines no wider than `width` points, breaking at spaces (and inside a word, such as a
    long web address, only when it is wider than the column by itself)."""
    return list(_wrapped(str(text), font, size, width))


# The same wording is wrapped on every sheet of a print run, and again for each scale tried: once is enough.
@functools.lru_cache(maxsize=4096)
def _wrapped(text, font, size, width):
    # Widths add up word by word (ReportLab does not kern), so each word is measured once.
    space = pdfmetrics.stringWidth(" ", font, size)
    lines = []
    for paragraph in printable(text, font).split("\n"):
        words, line_width = [], 0.0
        for word in _pieces(paragraph.split(), font, size, width):
            word_width = pdfmetrics.stringWidth(word, font, size)
            if words and line_width + space + word_width > width:
                lines.append(" ".join(words))
                words, line_width = [word], word_width
            else:
                line_width += (space if words else 0) + word_width
                words.append(word)
        lines.append(" ".join(words))
    return tuple(lines)


def _pieces(words, font, size, width):
    """The words, each one wider than `width` cut into pieces that fit (after a '/', '-' or '.' when it can)."""
    for word in words:
        while pdfmetrics.stringWidth(word, font, size) > width and len(word) > 1:
            cut = 1
            while cut < len(word) and pdfmetrics.stringWidth(word[: cut + 1], font, size) <= width:
                cut += 1
            soft = max(word.rfind(mark, 0, cut) for mark in "/-.")
            cut = soft + 1 if soft > 0 else cut
            yield word[:cut]
            word = word[cut:]
        yield word


class Column:
    """Text drawn top-down in one column: `y` is the next baseline, pushed lower when inks would touch."""

    def __init__(self, canvas, x, y, width=None):
        # canvas None: measure only (how low the text would reach), draw nothing.
        self.canvas, self.x, self.y, self.width = canvas, x, y, width
        self.last = None  # (line, font, size, baseline) of the line drawn last
        self.lowest = y

    def lines(self, lines, font, size, leading=None, align="left", indent=0):
        """Draw already wrapped lines; return the y one leading below the last."""
        leading = leading or size * 1.3
        if self.canvas is not None:
            self.canvas.setFont(font, size)
        for line in lines:
            baseline = self.y
            if self.last is not None:
                previous, previous_font, previous_size, previous_baseline = self.last
                step = line_step(previous, previous_font, previous_size, line, font, size, 0)
                baseline = min(baseline, previous_baseline - step)
            x = self.x + indent
            if self.canvas is None:
                pass
            elif align == "center":
                self.canvas.drawCentredString(x + (self.width - indent) / 2, baseline, line)
            else:
                self.canvas.drawString(x, baseline, line)
            self.lowest = baseline + pdfmetrics.getFont(font).vertical_ink(line, size)[1]
            self.last = (line, font, size, baseline)
            self.y = baseline - leading
        return self.y

    def text(self, text, font, size, leading=None, align="left", indent=0):
        """Wrap and draw text in the column; return the y one leading below the last line."""
        return self.lines(wrap(text, font, size, self.width - indent), font, size, leading, align, indent)

    def skip(self, space):
        self.y -= space
        return self.y


def draw_lines(canvas, lines, x, y, font, size, leading=None, align="left", width=None):
    """Draw lines top-down from baseline y, never letting one line's ink touch the next; return the y below."""
    return Column(canvas, x, y, width).lines(lines, font, size, leading, align)


def draw_text(canvas, text, x, y, width, font, size, leading=None, align="left"):
    """Wrap and draw text in a column; return the y below it."""
    return draw_lines(canvas, wrap(text, font, size, width), x, y, font, size, leading, align, width)


def framed_page(canvas, margin=16 * mm):
    """The heavy frame of a public A4 sheet (posters, survey notices); return (width, height, margin, column)."""
    width, height = A4
    canvas.setLineWidth(3)
    canvas.rect(9 * mm, 9 * mm, width - 18 * mm, height - 18 * mm)
    return width, height, margin, width - 2 * margin


def draw_blocks(canvas, blocks, x, y, width, scale=1.0, bullet=3.6 * mm):
    """Paragraphs top-down at `scale`, each (text, font, size, leading, gap after, indent); an indented one
    is a point with a square bullet. With canvas None, only measure. Return how low the ink reaches."""
    flow = Column(canvas, x, y, width)
    for words, font, size, leading, gap, indent in blocks:
        if indent and canvas is not None:
            side = bullet * scale
            canvas.rect(x, flow.y - 0.3 * mm, side, side, stroke=0, fill=1)
        flow.text(words, font, size * scale, leading * scale, indent=indent)
        flow.skip(gap * scale)
    return flow.lowest


def fitting_scale(lowest_at, floor, scales):
    """The largest of `scales` at which `lowest_at(scale)` stays above `floor` (the smallest one otherwise)."""
    for scale in scales:
        if lowest_at(scale) >= floor:
            return scale
    return scales[-1]


def draw_qr(canvas, data, x, y, size, quiet=4):
    """Draw a QR code as one vector path on a white square with its quiet zone; (x, y) is the lower left."""
    matrix = qr_matrix(data)
    count = len(matrix)
    module = size / (count + 2 * quiet)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    origin_x, top = x + quiet * module, y + size - quiet * module
    for r, start, length in dark_runs(matrix):
        path.rect(origin_x + start * module, top - (r + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


__all__ = [
    "mm",
    "REGULAR",
    "BOLD",
    "new_canvas",
    "printable",
    "wrap",
    "line_step",
    "Column",
    "draw_lines",
    "draw_text",
    "framed_page",
    "draw_blocks",
    "fitting_scale",
    "draw_qr",
]
