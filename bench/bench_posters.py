"""Personalised posters per second beside a bare ReportLab page with the same text and QR code.

Both sides make one single-page A4 PDF per poster with Be Vietnam Pro embedded and a distinct QR
code drawn as one vector path. The bare page draws pre-wrapped lines at fixed places; ours lays out
the text, wraps it and fills in the group's details.
"""

import io

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bench.harness import paired_rates, result
from fieldkit.pdf import BOLD, REGULAR, register_fonts, wrap
from fieldkit.posters.render import Sheet, poster_pdf
from fieldkit.posters.wording import POSTER

BASE_URL = "https://papi.laocai.gov.vn"
COUNT = 40


def sheets(count):
    return [
        Sheet(
            code=f"02989-{i:08d}",
            url=f"{BASE_URL}/p/02989-{i:08d}",
            commune_name="Xã Bảo Hà",
            group_name=f"Thôn Bảo Vinh {i}",
            cultural_house=f"Nhà văn hóa thôn Bảo Vinh {i}",
            officer_name="Hoàng Thị Lan",
            officer_phone="0912 345 678",
            meeting_schedule="19 giờ tối thứ Bảy đầu tháng",
        )
        for i in range(count)
    ]


def bare_lines():
    """The same words in the same fonts as a poster, wrapped once in advance: the bare page only draws them."""
    text = POSTER["vi"]
    width = A4[0] - 32 * mm
    bold = [
        text["authority"].format(commune="XÃ BẢO HÀ"),
        text["title"],
        text["to_residents"].format(group="Thôn Bảo Vinh"),
        text["scan"],
        "Hoàng Thị Lan",
        "0912 345 678",
    ]
    regular = [text["subtitle"], *wrap(text["lead"], REGULAR, 17, width)]
    for point in text["points"]:
        regular += wrap(point, REGULAR, 16.5, width)
    regular += [
        text["contact"],
        "Nhà văn hóa thôn Bảo Vinh",
        "19 giờ tối thứ Bảy đầu tháng",
        *wrap(text["law"], REGULAR, 9.5, width),
    ]
    return [(BOLD, line) for line in bold] + [(REGULAR, line) for line in regular]


def bare_page(lines, url):
    """A plain ReportLab page: the lines, top-down, and the QR matrix as one path on white."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=REGULAR, pageCompression=1)
    y = A4[1] - 24 * mm
    for font, line in lines:
        canvas.setFont(font, 16)
        canvas.drawString(16 * mm, y, line)
        y -= 18
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size, module = 64 * mm, 64 * mm / (len(matrix) + 8)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(16 * mm, 28 * mm, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    top = 28 * mm + size - 4 * module
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(16 * mm + (4 + start) * module, top - (r + 1) * module, (c - start) * module, module)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def run():
    register_fonts()
    prepared = sheets(COUNT)
    lines = bare_lines()

    def ours(count):
        for sheet in prepared[:count]:
            poster_pdf([sheet], "A4")

    def bare(count):
        for sheet in prepared[:count]:
            bare_page(lines, sheet.url)

    ours(2), bare(2)  # warm up: font subsetting caches, imports
    value, baseline = paired_rates(ours, bare, COUNT, rounds=7)
    return [result("posters", value, baseline, "posters/s")]
