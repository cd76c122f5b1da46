"""Charts as inline SVG, drawn on the server: data in, markup out; no script, nothing fetched.

Black and greys only, every bar labelled with its value, so a chart reads in grayscale and
printed. Each SVG scales to its container (viewBox, width 100%) and carries a title and a
sentence for screen readers; the page shows the same figures as a table beside it.
"""

from xml.sax.saxutils import escape

INK = "#222"
GREY = "#777"
LIGHT = "#ddd"


def _svg(width, height, title, summary, body, chart_id):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img"'
        f' aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" preserveAspectRatio="xMinYMin meet"'
        f' font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(summary)}</desc>'
        f"{body}</svg>"
    )


def _fit(label, width, size=12):
    """Cut a label to about what `width` px holds at `size` px (SVG text does not wrap)."""
    room = int(width / (size * 0.55))
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def bar_chart(items, title, summary, chart_id, width=320):
    """Horizontal bars, one per (label, value), the label above its bar and the value after it."""
    items = list(items)
    top = max((value for _, value in items), default=0) or 1
    row, bar_height, value_room = 34, 12, 44
    parts = []
    for index, (label, value) in enumerate(items):
        y = index * row
        length = (width - value_room) * value / top
        label = str(label)
        parts.append(
            f'<text x="0" y="{y + 12}" fill="{INK}">{escape(_fit(label, width))}<title>{escape(label)}</title></text>'
        )
        parts.append(
            f'<rect x="0" y="{y + 17}" width="{width - value_room:.1f}" height="{bar_height}" fill="{LIGHT}"/>'
        )
        if value:
            parts.append(f'<rect x="0" y="{y + 17}" width="{max(length, 1):.1f}" height="{bar_height}" fill="{INK}"/>')
        parts.append(f'<text x="{width - value_room + 4}" y="{y + 27}" fill="{INK}">{value}</text>')
    return _svg(width, max(row * len(items), row), title, summary, "".join(parts), chart_id)


def column_chart(columns, title, summary, chart_id, width=320, height=150):
    """Vertical columns over time, one per (label, value); every fourth label shown under the axis."""
    columns = list(columns)
    top = max((value for _, value in columns), default=0) or 1
    base, left = height - 22, 28
    step = (width - left) / max(len(columns), 1)
    parts = [
        f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="{GREY}"/>',
        f'<text x="{left - 4}" y="12" text-anchor="end" fill="{GREY}">{top}</text>',
        f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="{GREY}">0</text>',
    ]
    for index, (label, value) in enumerate(columns):
        x = left + index * step
        bar = (base - 16) * value / top
        if value:
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{base - bar:.1f}" width="{step * 0.7:.1f}" height="{bar:.1f}"'
                f' fill="{INK}"><title>{escape(str(label))}: {value}</title></rect>'
            )
        if index % 4 == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="{INK}">'
                f"{escape(label)}</text>"
            )
    return _svg(width, height, title, summary, "".join(parts), chart_id)
