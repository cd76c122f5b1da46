"""Spreadsheets as communes keep them: reading, finding the header, parsing cells, writing.

Pure functions, no Flask app needed: bytes in, rows and problems out; rows in, bytes out.
A problem always names the sheet row it is about, so the person fixing the file can find it.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from .. import values
from ..errors import UserFacingError
from ..text import fold, neutralise_formula, nfc, restore_formula_text

# Cells Excel and LibreOffice leave as "blank" but that are not empty strings.
_INVISIBLE = "\u00a0\u2007\u202f\u200b\ufeff"
_SEPARATORS = re.compile(r"[^0-9a-z]+")
HEADER_SEARCH_ROWS = 25
# What one import reads at most, checked before the rows are: a commune's lists are far smaller.
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_ROWS_TEXT = f"{MAX_ROWS:,}".replace(",", ".")  # as Vietnamese writes numbers: 10.000


class CellError(UserFacingError, ValueError):
    """A cell that cannot be read; its message (lazy, Vietnamese id) says why."""

    def __init__(self, message):
        super().__init__(message)


class NoHeader(CellError):
    """No row of a sheet looks like the header of the table fieldkit wants."""


class PlanOutcome:
    """What an import plan shares: it may go ahead only without problems, and it sums up in counts."""

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        """Counts of rows added, updated and unchanged."""
        return {"added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file; `row` is the sheet row number, None for the file as a whole."""

    row: int | None
    message: object

    def __str__(self):
        from flask_babel import gettext as _

        if self.row is None:
            return str(self.message)
        return _("Dòng %(row)s: %(message)s", row=self.row, message=str(self.message))


def read_cell(record, problems, number, values, key, parse, headers):
    """Put cell `key` of sheet row `number`, read by `parse`, in `record`; a cell `parse` refuses becomes a
    problem naming its column as the file heads it (`headers`). A column the file lacks is left out."""
    if key not in values:
        return
    try:
        record[key] = parse(values[key])
    except CellError as error:
        column = headers.get(key, key)
        problems.append(Problem(number, _l("cột “%(column)s”: %(message)s", column=column, message=error.message)))


@dataclass(frozen=True)
class Column:
    """A column fieldkit knows: its key, and the words that name it in a header (folded)."""

    key: str
    phrases: tuple
    exact: bool = False  # the header must be exactly one of the phrases, not merely contain one
    unless: tuple = ()  # phrases that make a header not this column after all

    def matches(self, header_key):
        if self.exact:
            return header_key in self.phrases
        padded = f" {header_key} "
        if any(f" {phrase} " in padded for phrase in self.unless):
            return False
        return any(f" {phrase} " in padded for phrase in self.phrases)


@dataclass
class Table:
    """The data rows under a header: each as (sheet row number, {column key: raw value})."""

    header_row: int
    columns: dict  # column index -> key
    headers: dict  # key -> header text as written
    rows: list = field(default_factory=list)
    ignored_headers: list = field(default_factory=list)
    header_years: dict = field(default_factory=dict)  # key -> year written in its header
    sheet: str | None = None  # the sheet's name when it is not the first one


# --- reading files ------------------------------------------------------------------------


def read_sheets(data, filename):
    """Every sheet of the file as (sheet name, rows of raw values from row 1); a CSV is one sheet."""
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return [(None, _read_csv(data))]
    if name.endswith(".xls"):
        raise CellError(_l("Tệp .xls (Excel 97-2003) chưa đọc được. Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."))
    raise CellError(_l("Chỉ nhận tệp .xlsx hoặc .csv."))


def read_sheet(data, filename):
    """The rows of the first sheet."""
    return read_sheets(data, filename)[0][1]


def read_table(data, filename, columns, required_label=None):
    """The table of the first sheet that has a header: a cover or instructions sheet may come first."""
    sheets = read_sheets(data, filename)
    first_error = None
    for position, (sheet_name, rows) in enumerate(sheets):
        try:
            table = find_table(rows, columns, required_label=required_label)
        except NoHeader as error:
            first_error = first_error or error
            continue
        table.sheet = sheet_name if position else None
        return table
    if any(looks_like_tcvn3(cell) for _, rows in sheets for row in rows[:HEADER_SEARCH_ROWS] for cell in row):
        raise NoHeader(
            _l(
                "Tệp gõ bằng phông chữ cũ TCVN3 (.VnTime), chưa phải Unicode. Hãy chuyển mã sang Unicode "
                "(ví dụ bằng Unikey) rồi nhập lại."
            )
        )
    raise first_error


# Letters of the old TCVN3 (ABC) encoding that Vietnamese text in Unicode never holds:
# «=ô ¬=ơ ¨=ă ©=â ª=ê ®=đ ¸=á µ=à ¶=ả ¹=ạ.
_TCVN3_MARKS = set("«¬¨©ª®¸µ¶¹")


def looks_like_tcvn3(value):
    """True for text typed with a .VnTime font: "Th«n B¶o Vinh" rather than "Thôn Bảo Vinh"."""
    return isinstance(value, str) and sum(ch in _TCVN3_MARKS for ch in value) >= 2


def _read_xlsx(data):
    from .workbook import read_xlsx

    return read_xlsx(data)


def decode_text(data):
    """Decode a CSV's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else the Windows code pages."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Vietnamese Windows saves "CSV" in its ANSI code page, cp1258; cp1252 is the western fallback.
    for encoding in ("cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CellError(_l("Không đọc được bảng mã của tệp CSV. Hãy lưu lại dưới dạng CSV UTF-8."))


def _read_csv(data):
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            while row and is_blank(row[-1]):
                row.pop()  # Excel pads every line to the widest one with empty cells
            if len(rows) >= MAX_ROWS or len(row) > MAX_COLUMNS:
                raise CellError(_too_big_message())
            rows.append(row)
    except csv.Error:
        raise CellError(_l("Không đọc được tệp CSV này (có ô quá dài hoặc sai định dạng).")) from None
    return rows


def _too_big_message():
    return _l(
        "Tệp vượt giới hạn mỗi lần nhập: tối đa %(rows)s dòng và %(columns)s cột. Hãy chia thành nhiều tệp nhỏ hơn.",
        rows=MAX_ROWS_TEXT,
        columns=MAX_COLUMNS,
    )


# --- header --------------------------------------------------------------------------------


def header_key(text):
    """The form of a header cell used for matching: folded, punctuation as spaces."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


def match_header(text, columns):
    """Return the key of the first column whose phrases name this header, or None."""
    key = header_key(text)
    if not key:
        return None
    for column in columns:
        if column.matches(key):
            return column.key
    return None


def _header_year(text):
    found = re.search(r"\b(20\d\d)\b", str(text or ""))
    return int(found.group(1)) if found else None


def find_table(rows, columns, required="name", ignore=("index", "ignored"), required_label=None):
    """Find the header among the first rows and return the Table under it, or raise CellError.

    The header is the first row naming `required` and at least one other known column: a title
    above it ("DANH SÁCH THÔN ...") names one thing at most. A second header row under merged
    cells ("Nhà văn hóa" over "Tên | Địa chỉ | Tọa độ") is read together with the first.
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _match_row(row, columns)
        if required in found and len(found) >= 2:
            header, last = row, index
            if index + 1 < len(rows):
                combined = _with_sub_headers(row, rows[index + 1], found[required][0])
                if combined is not None:
                    combined_found = _match_row(combined, columns)
                    if required in combined_found and len(combined_found) >= len(found):
                        header, found, last = combined, combined_found, index + 1
            return _table_from_header(rows, last, header, found, columns, ignore)
    raise NoHeader(
        _l(
            "Không tìm thấy dòng tiêu đề cột: trong 25 dòng đầu cần một dòng có cột “%(column)s” và ít "
            "nhất một cột khác.",
            column=required_label or _l("Tên thôn"),
        )
    )


def _match_row(row, columns):
    """{column key: [positions]} for the cells of a row that name a known column."""
    found = {}
    for position, cell in enumerate(row):
        if is_blank(cell):
            continue
        key = match_header(cell, columns)
        if key is not None:
            found.setdefault(key, []).append(position)
    return found


def _with_sub_headers(header, below, name_position):
    """The header joined with the row below when that row holds sub-headers, else None."""
    cells = [cell for cell in below if not is_blank(cell)]
    name_cell = below[name_position] if name_position < len(below) else None
    if not cells or not is_blank(name_cell) or not all(isinstance(cell, str) for cell in cells):
        return None
    if any(re.fullmatch(r"[\d\s.,()+-]+", cell) for cell in cells):
        return None  # numbers: a data row or the "(1) (2) (3)" row, not sub-headers
    combined, parent = [], None
    for position in range(max(len(header), len(below))):
        top = header[position] if position < len(header) else None
        sub = below[position] if position < len(below) else None
        if not is_blank(top):
            parent = top
        if is_blank(sub):
            combined.append(top)
        else:
            # A merged cell keeps its text in its first column only: the parent is the nearest on the left.
            combined.append(f"{parent or ''} {sub}".strip())
    return combined


def _table_from_header(rows, index, row, found, columns, ignore):
    header_row = index + 1
    for key, positions in found.items():
        if len(positions) > 1 and key not in ignore:
            names = ", ".join(f"“{nfc(str(row[p]))}”" for p in positions)
            raise CellError(
                _l(
                    "Dòng %(row)s: các cột %(names)s cùng chỉ một thông tin; hãy giữ một cột.",
                    row=header_row,
                    names=names,
                )
            )
    table = Table(header_row=header_row, columns={}, headers={})
    for key, positions in found.items():
        if key in ignore:
            continue
        table.columns[positions[0]] = key
        table.headers[key] = nfc(str(row[positions[0]]))
        year = _header_year(row[positions[0]])
        if year:
            table.header_years[key] = year
    table.ignored_headers = [
        nfc(str(cell)) for cell in row if not is_blank(cell) and match_header(cell, columns) in (None, "ignored")
    ]
    table.rows = list(_data_rows(rows, index + 1, table.columns))
    return table


# Rows that end the data: a total line, or the signature block under the table.
_END_WORDS = ("tong cong", "tong so", "cong", "tong", "nguoi lap", "nguoi lap bieu", "xac nhan")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")


def _data_rows(rows, start, columns):
    first = True
    for offset, row in enumerate(rows[start:]):
        number = start + offset + 1
        values = {key: (row[position] if position < len(row) else None) for position, key in columns.items()}
        cells = [cell for cell in row if not is_blank(cell)]
        if not cells:
            continue
        if first and _is_column_number_row(cells):
            first = False
            continue
        first = False
        if _ends_table(cells):
            break
        if all(is_blank(value) for value in values.values()):
            continue  # only an STT, or notes beside the table: nothing to import
        yield number, values


def _is_column_number_row(cells):
    """The "(1) (2) (3)" row official tables put under the header."""
    numbers = []
    for cell in cells:
        text = str(cell).strip()
        if isinstance(cell, bool) or not _COLUMN_NUMBER.fullmatch(text):
            return False
        numbers.append(int(text.strip("()")))
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _ends_table(cells):
    """A total line ("Tổng cộng" first), or a short signature or date line under the table."""
    first = header_key(cells[0]) if isinstance(cells[0], str) else ""
    if first in _END_WORDS or first.startswith("tong cong"):
        return True
    if len(cells) > 2:
        return False
    texts = [header_key(cell) for cell in cells if isinstance(cell, str)]
    return any(t.startswith(("nguoi lap", "xac nhan")) or _DATE_LINE.search(t) for t in texts)


# --- cells ---------------------------------------------------------------------------------


def is_blank(value):
    """True for None and for text holding only spaces (the invisible ones too) or a dash meaning "none"."""
    if value is None:
        return True
    if isinstance(value, str):
        # nfc() drops control characters as text() will, so "\x1f" is blank here too and never None there.
        return not (nfc(value) or "").strip(" -–—" + _INVISIBLE)
    return False


def text(value):
    """A cell as NFC text with spaces tidied, or None when blank; 12.0 reads as "12"."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    for ch in _INVISIBLE:
        value = str(value).replace(ch, " ")
    return nfc(restore_formula_text(value)) or None


_UNIT_WORDS = re.compile(r"\s*(nhan khau|khau|ho|nguoi)$")


def parse_count(value):
    """A whole number of households or people: 1204, "1.204", "1,204", "1 204", "1204 hộ"; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_l("“%(value)s” không phải là số", value=value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            # "1.204" typed into an Excel set to English becomes the number 1.204.
            raise CellError(
                _l(
                    "“%(value)s” không phải là số nguyên; nếu là %(guess)s thì gõ %(guess)s, không có dấu chấm",
                    value=value,
                    guess=round(value * 1000),
                )
                if value < 1000 and round(value * 1000, 6).is_integer()
                else _l("“%(value)s” không phải là số nguyên", value=value)
            )
        number = int(value)
    else:
        raw = text(value)
        compact = _UNIT_WORDS.sub("", fold(values.plain(raw)))
        for ch in " " + _INVISIBLE:
            compact = compact.replace(ch, "")
        if re.fullmatch(r"-?\d+", compact):
            number = int(compact)
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", compact) or re.fullmatch(r"\d{1,3}(,\d{3})+", compact):
            # Vietnamese writes thousands with a dot (1.204), spreadsheets in English with a comma.
            number = int(re.sub(r"[.,]", "", compact))
        elif re.fullmatch(r"\d+[.,]0+", compact):
            number = int(re.split(r"[.,]", compact)[0])
        else:
            raise CellError(_l("“%(value)s” không phải là số", value=raw))
    if number < 0:
        raise CellError(_l("“%(value)s” không được là số âm", value=number))
    return number


_PHONE_LABEL = re.compile(r"^(sdt|dt|dd|tel|mobile|di dong|dien thoai)\s*[:.]?\s*")


def normalise_phone(value):
    """A Vietnamese phone number as digits only, with its leading 0: "+84 912.345.678" -> "0912345678"."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = text(value)
    try:
        return values.phone_digits(_PHONE_LABEL.sub("", fold(raw)))
    except ValueError as error:
        if error.args == ("foreign",):
            raise CellError(_l("số điện thoại “%(value)s” không phải số Việt Nam", value=raw)) from None
        if error.args == ("length",):
            raise CellError(
                _l("số điện thoại “%(value)s” không hợp lệ (cần 10 hoặc 11 chữ số, chỉ ghi một số)", value=raw)
            ) from None
        raise CellError(_l("số điện thoại “%(value)s” không hợp lệ", value=raw)) from None


_DECIMAL = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_gps(value):
    """A point "22.2345, 104.4567" (or with decimal commas, or a space between) as (lat, lon); None when blank."""
    if is_blank(value):
        return None
    raw = text(value)
    if "°" in raw:
        return _parse_dms(raw)
    typed = values.plain(raw)  # full-width digits and commas as ASCII
    numbers = _DECIMAL.findall(typed)
    leftover = _DECIMAL.sub("", typed).strip(" ,;/\t")
    if len(numbers) != 2 or leftover:
        raise CellError(_l("tọa độ “%(value)s” không đúng dạng “vĩ độ, kinh độ” (ví dụ 22.2345, 104.4567)", value=raw))
    lat, lon = (values.parse_decimal(n) for n in numbers)
    return check_point(lat, lon, raw)


_DMS = re.compile(
    r"(\d{1,3})\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′’]\s*)?(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:[\"″”]|'')\s*)?([NSEWBĐ]?)",
    re.IGNORECASE,
)


def _parse_dms(raw):
    """Degrees, minutes, seconds as phones and GPS units write them: 22°12'11.2"N 104°20'45.1"E (B/Đ too)."""
    found = _DMS.findall(raw)
    if len(found) != 2:
        raise CellError(_l("tọa độ “%(value)s” không đúng dạng “vĩ độ, kinh độ” (ví dụ 22.2345, 104.4567)", value=raw))
    lat, lon = (
        int(degrees) + float((minutes or "0").replace(",", ".")) / 60 + float((seconds or "0").replace(",", ".")) / 3600
        for degrees, minutes, seconds, _hemisphere in found
    )
    return check_point(lat, lon, raw)


def check_point(lat, lon, raw=None):
    """Refuse a point outside Việt Nam, which is most often a typing slip or swapped numbers."""
    if not values.in_vietnam(lat, lon):
        raw = raw or f"{lat}, {lon}"
        raise CellError(_l("tọa độ “%(value)s” nằm ngoài Việt Nam (vĩ độ trước, kinh độ sau)", value=raw))
    return round(lat, 6), round(lon, 6)


def format_gps(lat, lon):
    """The text a point is written as: "22.2345, 104.4567"."""
    if lat is None or lon is None:
        return None
    return f"{_decimal_text(lat)}, {_decimal_text(lon)}"


def _decimal_text(number):
    return f"{number:.6f}".rstrip("0").rstrip(".")


_YES = {"x", "co", "yes", "1", "v", "dung", "✓", "√"}


def parse_years(value, header_year=None):
    """PAPI survey years: "2023", "2021, 2023"; or, under a header naming a year, a mark such as "x"."""
    if is_blank(value):
        return []
    raw = text(value)
    if header_year and fold(raw) in _YES:
        return [header_year]
    words = [w for w in re.split(r"[\s,;/+&]+|\bva\b", fold(raw)) if w]
    years = []
    for word in words:
        if not re.fullmatch(r"20\d\d", word):
            raise CellError(_l("năm khảo sát PAPI “%(value)s” không hợp lệ (ghi năm, ví dụ 2023)", value=raw))
        years.append(int(word))
    for year in years:
        if not 2009 <= year <= date.today().year + 1:
            raise CellError(_l("năm khảo sát PAPI %(year)s ngoài khoảng 2009 đến nay", year=year))
    return sorted(set(years))


def split_list(value):
    """The items of a list cell: "Kinh, Tày; Dao", "Kinh - Dao", "Mông và Dao"."""
    raw = text(value)
    if raw is None:
        return []
    parts = re.split(r"\s*[,;/+\n]\s*|\s+-\s+|\s+(?:và|va)\s+", raw)
    return [part for part in (nfc(p) for p in parts) if part]


def parse_date(value):
    """A date from a cell: a real date, "15/08/2025", "15-8-2025" or ISO; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raw = text(value)
    try:
        return values.parse_date(raw).isoformat()
    except ValueError:
        raise CellError(_l("ngày “%(value)s” không hợp lệ (ghi dạng ngày/tháng/năm)", value=raw)) from None


# --- writing -------------------------------------------------------------------------------


def write_csv(headers, rows):
    """CSV in UTF-8 with a BOM, so Excel on Windows shows Vietnamese as written."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else neutralise_formula(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(headers, rows, title=None, sheet_name="Danh sách", text_columns=()):
    """An .xlsx with an optional title line, a bold header and the rows; `text_columns` kept as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    if title:
        sheet.append([title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        sheet.append([])
    sheet.append(list(headers))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    text_positions = {headers.index(name) + 1 for name in text_columns if name in headers}
    for row in rows:
        sheet.append([neutralise_formula(value) for value in row])
        for position in text_positions:
            sheet.cell(row=sheet.max_row, column=position).number_format = "@"
    for position, name in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=header_row, column=position).column_letter].width = max(
            10, min(40, len(name) + 4)
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
