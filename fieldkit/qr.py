"""QR codes, drawn the one way fieldkit draws them: one path of horizontal runs of dark modules.

Pure functions: text in, a matrix, runs or SVG markup out. The PDF renderers (fieldkit/pdf.py) and
the pages that show a QR on screen (/ca, enrolment) both start from `dark_runs`.
"""

import qrcode
from markupsafe import Markup, escape


def qr_matrix(data, border=0):
    """The QR modules of `data` (error correction M) as rows of booleans, with `border` light modules around."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def dark_runs(matrix):
    """Yield (row, first column, length) for each run of dark modules: one rectangle per run keeps a path short."""
    for r, row in enumerate(matrix):
        c, count = 0, len(row)
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                yield r, start, c - start
            else:
                c += 1


def qr_svg(text, css_class="qr", label_id=None):
    """A QR code as inline SVG markup, with no style attributes (the CSP forbids them)."""
    matrix = qr_matrix(text, border=2)
    size = len(matrix)
    path = "".join(f"M{x} {y}h{n}v1h{-n}z" for y, x, n in dark_runs(matrix))
    label = f' aria-labelledby="{escape(label_id)}"' if label_id else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="{escape(css_class)}" role="img"'
        f'{label} shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )
