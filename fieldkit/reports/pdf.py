"""The report as a PDF laid out as a Vietnamese administrative report (Decree 30/2020/NĐ-CP).

Heading: the issuing body (under its governing body) and the number on the left; the national
title and motto, then place and date, on the right; the document type and its summary centred;
then the text, the tables, the charts, the recipients and the signature block. Be Vietnam Pro
is embedded (the canvas starts in it, so no unembedded Helvetica enters the file). Pure: a
Report in, bytes out.
"""

import io
from datetime import date

import fontpkg
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..pdf import BOLD, REGULAR, mm, printable, register_fonts
from .exports import shown

ITALIC = "BeVietnamPro-Italic"
# Decree 30/2020/NĐ-CP, appendix I: margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS = {"topMargin": 20 * mm, "bottomMargin": 20 * mm, "leftMargin": 30 * mm, "rightMargin": 15 * mm}
GROUP_ROWS_MAX = 300


def _fonts():
    register_fonts()
    if ITALIC not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(ITALIC, fontpkg.path("Be Vietnam Pro", style="italic")))


def place_and_date(place, iso):
    """'Lào Cai, ngày 02 tháng 12 năm 2026': days below 10 and months 1 and 2 take a leading zero."""
    day = date.fromisoformat(iso)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    day_text = f"{day.day:02d}"
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s", place=place, d=day_text, m=month, y=day.year)


class Heading(Flowable):
    """The two heading columns: issuing body and number; national title, motto, place and date."""

    def __init__(self, report, width):
        super().__init__()
        self.report, self.width, self.height = report, width, 34 * mm

    def draw(self):
        c, r = self.canv, self.report
        left_w = self.width * 0.42
        left_x = left_w / 2
        right_x = left_w + (self.width - left_w) / 2
        y = self.height - 4 * mm
        if r.parent_body:
            c.setFont(REGULAR, 11)
            c.drawCentredString(left_x, y, r.parent_body.upper())
            y -= 5 * mm
        c.setFont(BOLD, 11)
        issuer = r.issuer.upper()
        c.drawCentredString(left_x, y, issuer)
        rule = min(pdfmetrics.stringWidth(issuer, BOLD, 11), 30 * mm)
        c.line(left_x - rule / 2, y - 2 * mm, left_x + rule / 2, y - 2 * mm)
        c.setFont(REGULAR, 11)
        number = r.number or "\u2007" * 6
        c.drawCentredString(left_x, y - 8 * mm, f"Số: {number}/{r.symbol}")
        top = self.height - 4 * mm
        c.setFont(BOLD, 11)
        c.drawCentredString(right_x, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        c.setFont(BOLD, 12)
        motto = "Độc lập - Tự do - Hạnh phúc"
        c.drawCentredString(right_x, top - 5 * mm, motto)
        half = pdfmetrics.stringWidth(motto, BOLD, 12) / 2
        c.line(right_x - half, top - 7 * mm, right_x + half, top - 7 * mm)
        c.setFont(ITALIC, 11)
        c.drawCentredString(right_x, top - 14 * mm, place_and_date(r.place, r.issued_on))


def _styles():
    base = {"fontName": REGULAR, "fontSize": 11, "leading": 15}
    return {
        "type": ParagraphStyle("type", **{**base, "fontName": BOLD, "fontSize": 14, "leading": 18}, alignment=1),
        "subject": ParagraphStyle("subject", **{**base, "fontName": BOLD, "fontSize": 13, "leading": 17}, alignment=1),
        "center": ParagraphStyle("center", **base, alignment=1),
        "body": ParagraphStyle("body", **base, alignment=4, firstLineIndent=10 * mm, spaceAfter=4),
        "heading": ParagraphStyle("heading", **{**base, "fontName": BOLD}, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=8, leading=10, alignment=1),
        "small": ParagraphStyle("small", fontName=REGULAR, fontSize=10, leading=13),
        "recipients": ParagraphStyle("recipients", fontName=ITALIC, fontSize=11, leading=14),
        "sign": ParagraphStyle("sign", fontName=BOLD, fontSize=11, leading=15, alignment=1),
    }


def _escape(text):
    """Text for a Paragraph: markup characters escaped, characters the font lacks (emoji) dropped."""
    return printable(text, REGULAR).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(sheet, styles, width, columns=None, number=True):
    """A sheet as a ReportLab table, repeating its header on each page."""
    picked = columns or list(range(len(sheet.columns)))
    head = ([Paragraph("TT", styles["head"])] if number else []) + [
        Paragraph(_escape(sheet.columns[i][0]), styles["head"]) for i in picked
    ]
    data = [head]
    for index, row in enumerate(sheet.rows, start=1):
        cells = [Paragraph(_escape(shown(row[i], sheet.columns[i][1])), styles["cell"]) for i in picked]
        data.append(([Paragraph(str(index), styles["cell"])] if number else []) + cells)
    first = 10 * mm if number else 0
    text_columns = [i for i in picked if sheet.columns[i][1] == "text"]
    numeric = len(picked) - len(text_columns)
    rest = width - first - numeric * 14 * mm
    widths = ([first] if number else []) + [
        (rest / max(len(text_columns), 1)) if sheet.columns[i][1] == "text" else 14 * mm for i in picked
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # Tables set a cell font even around Paragraphs: ours, never Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("GRID", (0, 0), (-1, -1), 0.4, "#000000"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), "#e6e6e6"),
            ]
        )
    )
    return table


def _drawing(width, height):
    """A Drawing whose initial font is ours (else the renderer sets Helvetica, unembedded)."""
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = REGULAR, 8
    return drawing


def _bar_drawing(items, width, title):
    """Horizontal bars (black on grey, values printed) as a vector drawing."""
    items = list(items)
    top = max((value for _label, value in items), default=0) or 1
    row = 9 * mm
    height = row * len(items) + 8 * mm
    drawing = _drawing(width, height)
    drawing.add(String(0, height - 5 * mm, title, fontName=BOLD, fontSize=10))
    room = 16 * mm
    for index, (label, value) in enumerate(items):
        y = height - 8 * mm - (index + 1) * row
        drawing.add(String(0, y + 5 * mm, str(label), fontName=REGULAR, fontSize=8))
        drawing.add(Rect(0, y + 1 * mm, width - room, 3 * mm, fillColor="#dddddd", strokeColor=None))
        if value:
            length = max((width - room) * value / top, 0.5)
            drawing.add(Rect(0, y + 1 * mm, length, 3 * mm, fillColor="#222222", strokeColor=None))
        drawing.add(String(width - room + 2 * mm, y + 1.2 * mm, str(value), fontName=REGULAR, fontSize=8))
    return drawing


def _column_drawing(columns, width, title):
    columns = list(columns)
    top = max((value for _label, value in columns), default=0) or 1
    height = 45 * mm
    base = 8 * mm
    drawing = _drawing(width, height)
    drawing.add(String(0, height - 5 * mm, title, fontName=BOLD, fontSize=10))
    step = width / max(len(columns), 1)
    for index, (label, value) in enumerate(columns):
        bar = (height - base - 12 * mm) * value / top
        if value:
            drawing.add(Rect(index * step + step * 0.15, base, step * 0.7, bar, fillColor="#222222", strokeColor=None))
        if index % 4 == 0:
            drawing.add(String(index * step, 2 * mm, label, fontName=REGULAR, fontSize=7))
    drawing.add(String(0, height - 10 * mm, f"max {top}", fontName=REGULAR, fontSize=7))
    return drawing


def to_pdf(report):
    """The report as an A4 PDF with the administrative heading, tables and charts."""
    _fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Báo cáo kết quả tuyên truyền về Chỉ số PAPI"),
        author=report.issuer,
        creator="fieldkit",
        # The canvas starts in our font, so Helvetica (not embedded) never enters the file.
        initialFontName=REGULAR,
        initialFontSize=11,
        **MARGINS,
    )
    width = doc.width
    styles = _styles()
    sheets = {sheet.name: sheet for sheet in report.sheets}
    board = report.board
    story = [
        Heading(report, width),
        Spacer(1, 4 * mm),
        Paragraph(_("BÁO CÁO"), styles["type"]),
        Paragraph(_("Kết quả tuyên truyền về Chỉ số PAPI"), styles["subject"]),
        Paragraph(_escape(report.period), styles["center"]),
        Spacer(1, 6 * mm),
        Paragraph(_escape(report.summary_sentence), styles["body"]),
        Paragraph(_("1. Số liệu tổng hợp"), styles["heading"]),
        _table(sheets["summary"], styles, width, number=False),
        Paragraph(_("2. Theo xã, phường, thị trấn"), styles["heading"]),
        _table(sheets["communes"], styles, width, columns=[1, 2, 3, 5, 6, 7, 12, 13, 10]),
        Paragraph(_("3. Biểu đồ"), styles["heading"]),
        KeepTogether(
            _column_drawing(
                [(date.fromisoformat(w).strftime("%d/%m"), s) for w, s, _b, _r in board.trend],
                width,
                _("Buổi tuyên truyền theo tuần"),
            )
        ),
        KeepTogether(_bar_drawing([(label, n) for _v, label, n in board.channels], width, _("Hình thức tuyên truyền"))),
        KeepTogether(_bar_drawing([(label, n) for _v, label, n in board.topics], width, _("Nội dung đã tuyên truyền"))),
    ]
    groups = sheets["groups"]
    if groups.rows and len(groups.rows) <= GROUP_ROWS_MAX:
        story += [Paragraph(_("4. Theo thôn, bản, tổ dân phố"), styles["heading"]), _table(groups, styles, width)]
    for extra in report.sheets[4:]:
        story += [Paragraph(_escape(extra.title), styles["heading"]), _table(extra, styles, width)]
    signer = Table(
        [
            [
                Paragraph(_("Nơi nhận:"), styles["recipients"]),
                Paragraph(_("THỦ TRƯỞNG CƠ QUAN"), styles["sign"]),
            ],
            [
                [Paragraph(_("- Như trên;"), styles["small"]), Paragraph(_("- Lưu: VT."), styles["small"])],
                Paragraph(_("(Ký, ghi rõ họ tên)"), styles["center"]),
            ],
        ],
        colWidths=[width * 0.5, width * 0.5],
        style=[("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    story += [Spacer(1, 8 * mm), KeepTogether(signer)]
    doc.build(story)
    return buffer.getvalue()
