"""Drawing helpers shared by every PDF fieldkit prints: the embedded font, wrapping, the QR path.

No Flask here: these take values and draw on a ReportLab canvas.
"""

import io

import fontpkg
import qrcode
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"


def register_fonts():
    """Register Be Vietnam Pro (regular, bold) with ReportLab once per process; it has every Vietnamese letter."""
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR not in registered:
        pdfmetrics.registerFont(TTFont(REGULAR, fontpkg.path("Be Vietnam Pro")))
    if BOLD not in registered:
        pdfmetrics.registerFont(TTFont(BOLD, fontpkg.path("Be Vietnam Pro", weight=700)))


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
    """Split text into lines no wider than `width` points, breaking at spaces."""
    # Widths add up word by word (ReportLab does not kern), so each word is measured once.
    space = pdfmetrics.stringWidth(" ", font, size)
    lines = []
    for paragraph in str(text).split("\n"):
        words, line_width = [], 0.0
        for word in paragraph.split():
            word_width = pdfmetrics.stringWidth(word, font, size)
            if words and line_width + space + word_width > width:
                lines.append(" ".join(words))
                words, line_width = [word], word_width
            else:
                line_width += (space if words else 0) + word_width
                words.append(word)
        lines.append(" ".join(words))
    return lines


def draw_lines(canvas, lines, x, y, font, size, leading=None, align="left", width=None):
    """Draw lines top-down from baseline y; return the y below the last line."""
    leading = leading or size * 1.3
    canvas.setFont(font, size)
    for line in lines:
        if align == "center":
            canvas.drawCentredString(x + width / 2, y, line)
        else:
            canvas.drawString(x, y, line)
        y -= leading
    return y


def draw_text(canvas, text, x, y, width, font, size, leading=None, align="left"):
    """Wrap and draw text in a column; return the y below it."""
    return draw_lines(canvas, wrap(text, font, size, width), x, y, font, size, leading, align, width)


def qr_matrix(data):
    """The QR modules of `data` (error correction M, no quiet zone) as rows of booleans."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


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
    for r, row in enumerate(matrix):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                # One rectangle per run of dark modules keeps the path short.
                path.rect(origin_x + start * module, top - (r + 1) * module, (c - start) * module, module)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


__all__ = ["mm", "REGULAR", "BOLD", "new_canvas", "wrap", "draw_lines", "draw_text", "draw_qr", "qr_matrix"]
