"""Reading an .xlsx someone uploaded, in bounded time and memory.

An .xlsx is a zip of XML parts, and openpyxl trusts what they say: one stray cell at XFD1048576
makes it fill a rectangle of 17 billion cells, a zip bomb unpacks to gigabytes, and a DTD can
define entities that expand without end. So the zip and each sheet's XML are checked first, with
a streaming parser that stops at the first cell past the limits, and openpyxl then reads only the
rectangle that holds values. defusedxml (installed with fieldkit) makes openpyxl refuse entities
in the parts this module does not scan itself.
"""

import io
import re
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from flask_babel import lazy_gettext as _l

from .spreadsheet import MAX_COLUMNS, MAX_ROWS, MAX_ROWS_TEXT, CellError

# Far more than a commune's lists unpack to (10,000 rows of 15 columns is about 6 MB).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_MEMBERS = 500
_XML_PARTS = (".xml", ".rels", ".vml")
_DTD_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

UNREADABLE = _l("Không đọc được tệp Excel này. Hãy kiểm tra tệp có đúng định dạng .xlsx không.")


def read_xlsx(data):
    """Every sheet as (name, rows of values), after the checks above; CellError says what is wrong."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise CellError(UNREADABLE) from None
    with archive:
        _check_archive(archive)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except DefusedXmlException:
            raise CellError(_dtd_message()) from None
        except Exception:  # openpyxl raises whatever its parser met: KeyError, TypeError, ParseError...
            raise CellError(UNREADABLE) from None
        try:
            sheets = []
            for sheet in workbook.worksheets:
                last_row, last_column = _used_extent(archive, sheet._worksheet_path)
                rows = (
                    sheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column, values_only=True)
                    if last_row
                    else ()
                )
                sheets.append((sheet.title, [list(row) for row in rows]))
        except CellError:
            raise
        except DefusedXmlException:
            raise CellError(_dtd_message()) from None
        except Exception:
            raise CellError(UNREADABLE) from None
        finally:
            workbook.close()
    return sheets


def _check_archive(archive):
    """Refuse a zip that is too big unpacked, holds macros or a DTD, or has no workbook inside."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise CellError(
            _l(
                "Tệp Excel quá lớn khi giải nén (giới hạn %(size)s MB). Hãy chia thành nhiều tệp nhỏ hơn.",
                size=MAX_UNPACKED_BYTES // (1024 * 1024),
            )
        )
    names = {member.filename.lower() for member in members}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise CellError(
            _l(
                "Tệp có chứa macro (VBA). Để an toàn, fieldkit không nhận tệp có macro: hãy mở bằng Excel và "
                "lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            )
        )
    if "xl/workbook.xml" not in names:
        raise CellError(_l("Tệp này không chứa bảng tính Excel nào. Hãy kiểm tra lại tệp."))
    for member in members:
        if member.filename.lower().endswith(_XML_PARTS) and _has_dtd(archive, member):
            raise CellError(_dtd_message())


def _has_dtd(archive, member):
    """True when the part declares a DTD, the door to entity expansion and external entities."""
    tail = b""
    try:
        with archive.open(member) as part:
            while chunk := part.read(1 << 20):
                window = tail + chunk
                if any(mark in window for mark in _DTD_MARKS):
                    return True
                tail = window[-32:]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise CellError(UNREADABLE) from None
    return False


def _dtd_message():
    return _l("Tệp Excel có khai báo DTD, không phải tệp Excel thông thường nên không nhận. Hãy lưu lại bằng Excel.")


def _used_extent(archive, path):
    """(last row, last column) holding a value in a sheet, refusing a cell past the limits.

    Empty cells that only carry formatting do not count: Excel writes them down to row 1048576
    when a whole column is formatted, and such a file is not too big.
    """
    last_row = last_column = 0
    row_number = column_number = 0
    sheet_data = None
    try:
        with archive.open(path.lstrip("/")) as part:
            for event, element in iterparse(part, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag == _NS + "row":
                        row_number = int(element.get("r") or row_number + 1)
                        column_number = 0
                    elif tag == _NS + "sheetData":
                        sheet_data = element
                    continue
                if tag == _NS + "c":
                    row_number, column_number = _cell_position(element.get("r"), row_number, column_number)
                    value = element.find(_NS + "v")
                    has_value = (value is not None and value.text) or element.find(_NS + "is") is not None
                    if element.find(_NS + "f") is not None and not has_value:
                        raise CellError(_formula_message(row_number, column_number))
                    if has_value:
                        if row_number > MAX_ROWS or column_number > MAX_COLUMNS:
                            raise CellError(_extent_message(row_number, column_number))
                        last_row = max(last_row, row_number)
                        last_column = max(last_column, column_number)
                    element.clear()
                elif tag == _NS + "row" and sheet_data is not None:
                    sheet_data.remove(element)  # a million empty rows must not pile up in memory
    except CellError:
        raise
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile, OSError, EOFError):
        raise CellError(UNREADABLE) from None
    return last_row, last_column


def _cell_position(reference, row, previous_column):
    """(row, column) of a cell from its reference ("XFD1048576"), or the next column when it has none."""
    if not reference:
        return row, previous_column + 1
    found = _CELL_REF.fullmatch(reference)
    if not found:
        raise ValueError(reference)
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(found.group(2)), column


def _cell_name(row, column):
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(min(column, 18278))}{row}"


def _extent_message(row, column):
    return _l(
        "Tệp có dữ liệu ở ô %(cell)s, vượt giới hạn mỗi lần nhập: tối đa %(rows)s dòng và %(columns)s cột. "
        "Hãy xóa các ô thừa hoặc chia thành nhiều tệp nhỏ hơn.",
        cell=_cell_name(row, column),
        rows=MAX_ROWS_TEXT,
        columns=MAX_COLUMNS,
    )


def _formula_message(row, column):
    return _l(
        "Ô %(cell)s có công thức nhưng tệp không lưu kết quả của nó. Hãy mở tệp bằng Excel hoặc LibreOffice, "
        "lưu lại rồi nhập lại.",
        cell=_cell_name(row, column),
    )
