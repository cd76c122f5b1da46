"""The notice posted at a sampled group's cultural house before the survey team comes: data in, PDF bytes out.

Drawn with the posters' fonts, wrapping and QR helpers, in the poster's frame and with its QR block
in the same place, black on white for a commune laser printer. Only facts from the PAPI domain notes;
nothing about who will be asked beyond what the survey team itself says (chosen at random).
"""

from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4

from ..pdf import BOLD, REGULAR, draw_blocks, draw_qr, draw_text, fitting_scale, framed_page, mm, new_canvas
from ..posters.render import BULLET_INDENT, QR_BASE, QR_SIZE

BULLET = 3.4 * mm
BODY_SCALES = tuple(1 - step / 25 for step in range(9))  # down to 68 %

NOTICE = {
    "vi": {
        "authority": "ỦY BAN NHÂN DÂN {commune}",
        "title": "THÔNG BÁO",
        "subtitle": "Đoàn khảo sát Chỉ số PAPI đến {group}",
        "when": "Thời gian",
        "days": "Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}",
        "where": "Địa điểm",
        "points": (
            "Đoàn khảo sát hỏi ý kiến người dân về cách chính quyền các cấp phục vụ người dân "
            "(Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh – PAPI).",
            "Điều tra viên của đoàn chọn người trả lời một cách ngẫu nhiên; thôn, xã không chọn thay.",
            "Việc trả lời là tự nguyện. Câu trả lời của mỗi người được giữ bí mật.",
            "Nếu được hỏi, xin bà con trả lời đúng điều mình đã thấy, đã trải qua.",
        ),
        "team": "Liên hệ đoàn khảo sát:",
        "guide": "Cán bộ xã đi cùng đoàn:",
        "scan": "Quét mã QR để đọc thêm về khảo sát PAPI",
        "law": "Luật Thực hiện dân chủ ở cơ sở (số 10/2022/QH15): Dân biết, dân bàn, dân làm, "
        "dân kiểm tra, dân giám sát, dân thụ hưởng.",
        "weekdays": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
        "date": "{weekday}, ngày {d:%d/%m/%Y}",
    },
    "en": {
        "authority": "PEOPLE'S COMMITTEE OF {commune}",
        "title": "NOTICE",
        "subtitle": "The PAPI survey team comes to {group}",
        "when": "When",
        "days": "From {first:%d/%m/%Y} to {last:%d/%m/%Y}",
        "where": "Where",
        "points": (
            "The survey team asks residents how the authorities serve them (the Provincial Governance "
            "and Public Administration Performance Index, PAPI).",
            "The team's interviewers choose whom to ask at random; neither the village nor the commune chooses.",
            "Answering is voluntary. Each person's answers are kept confidential.",
            "If you are asked, please answer with what you have seen and lived.",
        ),
        "team": "Survey team contact:",
        "guide": "Commune officer with the team:",
        "scan": "Scan the QR code to read more about the PAPI survey",
        "law": "Law on Implementing Grassroots Democracy (10/2022/QH15): people know, discuss, do, "
        "inspect, supervise and benefit.",
        "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "date": "{weekday} {d:%d/%m/%Y}",
    },
}


@dataclass(frozen=True)
class Notice:
    """One notice: the group it is posted for, the visit's days and place, the contacts, the QR's address."""

    commune_name: str
    group_name: str
    start: str
    end: str
    place: str
    url: str
    team_contact: str = ""
    guide: str = ""
    lang: str = "vi"


def day_text(iso, lang="vi"):
    """'Thứ Ba, ngày 15/09/2026' from an ISO date."""
    text = NOTICE.get(lang, NOTICE["vi"])
    day = date.fromisoformat(iso)
    return text["date"].format(weekday=text["weekdays"][day.weekday()], d=day)


def dates_text(start, end, lang="vi"):
    """The visit's day, or its first and last days."""
    text = NOTICE.get(lang, NOTICE["vi"])
    if not end or end == start:
        return day_text(start, lang)
    return text["days"].format(first=date.fromisoformat(start), last=date.fromisoformat(end))


def _body_blocks(text, notice):
    """(text, font, size, leading, gap after, indent) of the body, from the dates to the last point."""
    blocks = []
    for label, value, size in (
        (text["when"], dates_text(notice.start, notice.end, notice.lang), 25),
        (text["where"], notice.place, 22),
    ):
        # The gap under a label leaves room for the tallest stacked diacritics of the value.
        blocks.append((label.upper(), REGULAR, 12, 12, size * 0.75, 0))
        blocks.append((value, BOLD, size, size * 1.25, 4 * mm, 0))
    blocks += [(point, REGULAR, 16, 21, 3 * mm, BULLET_INDENT) for point in text["points"]]
    return blocks


def notice_pdf(notices):
    """A PDF with one A4 notice per visit."""
    notices = list(notices)
    title = f"PAPI - {notices[0].commune_name}" if notices else "PAPI"
    canvas, buffer = new_canvas(A4, title)
    for notice in notices:
        _notice_page(canvas, notice)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _notice_page(canvas, notice):
    text = NOTICE.get(notice.lang, NOTICE["vi"])
    width, height, margin, column = framed_page(canvas)

    y = height - 24 * mm
    authority = text["authority"].format(commune=notice.commune_name.upper())
    y = draw_text(canvas, authority, margin, y, column, BOLD, 13, align="center")
    y -= 17 * mm
    y = draw_text(canvas, text["title"], margin, y, column, BOLD, 44, leading=50, align="center")
    y = draw_text(canvas, text["subtitle"].format(group=notice.group_name), margin, y, column, BOLD, 19, align="center")
    y += 1 * mm
    canvas.setLineWidth(2)
    canvas.line(margin, y, width - margin, y)
    y -= 12 * mm
    # The body shrinks (to 68 % at most) rather than run into the QR block.
    blocks = _body_blocks(text, notice)
    floor = QR_BASE + QR_SIZE + 8 * mm
    scale = fitting_scale(lambda s: draw_blocks(None, blocks, margin, y, column, s, BULLET), floor, BODY_SCALES)
    draw_blocks(canvas, blocks, margin, y, column, scale, BULLET)

    # The QR block sits where it sits on the posters.
    draw_qr(canvas, notice.url, margin, QR_BASE, QR_SIZE)
    right = margin + QR_SIZE + 7 * mm
    right_width = width - margin - right
    y = QR_BASE + QR_SIZE - 5 * mm
    y = draw_text(canvas, text["scan"], right, y, right_width, BOLD, 14, leading=18)
    y = draw_text(canvas, notice.url, right, y, right_width, REGULAR, 10.5, leading=13)
    for label, value in ((text["team"], notice.team_contact), (text["guide"], notice.guide)):
        if value:
            y -= 3 * mm
            y = draw_text(canvas, label, right, y, right_width, REGULAR, 12, leading=15)
            y = draw_text(canvas, value, right, y, right_width, BOLD, 14, leading=18)

    draw_text(canvas, text["law"], margin, 20 * mm, column, REGULAR, 9.5, leading=12)
