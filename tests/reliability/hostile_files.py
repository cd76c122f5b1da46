"""Spreadsheets an attacker or a broken program makes: each small on disk, each a trap for a naive reader."""

import io
import zipfile

from tests.roster_files import xlsx

HEADER = ["STT", "Tên thôn", "Số hộ"]
_SHEET = "xl/worksheets/sheet1.xml"
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _rebuild(base, replace=None, add=None, drop=()):
    """An xlsx made from `base` with some members replaced, added or left out."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, data in add.items():
            target.writestr(name, data)
    return out.getvalue()


def _plain():
    return xlsx([HEADER, [1, "Thôn 1", 10]])


def _sheet_of_rows(count):
    """Sheet XML with `count` data rows, written as a stream would (no dimension)."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>Thôn {n}</t></is></c></row>'
        for n in range(2, count + 2)
    )
    head = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Tên thôn</t></is></c></row>'
    )
    return f"<worksheet {_MAIN}><sheetData>{head}{rows}</sheetData></worksheet>".encode()


def far_cell():
    """The 4.9 KB file of the report: one stray cell at XFD1048576."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(_plain()))
    workbook.active["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def many_rows(count=1_000_000):
    """A million rows compress to a few hundred kilobytes."""
    return _rebuild(_plain(), replace={_SHEET: _sheet_of_rows(count)})


def rows_over_limit():
    """Just past the stated limit of rows, small enough unpacked to reach the row check."""
    return _rebuild(_plain(), replace={_SHEET: _sheet_of_rows(10_001)})


def broken_xml():
    return _rebuild(_plain(), replace={_SHEET: _sheet_of_rows(3)[:-40]})


def external_entity():
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
        f'<worksheet {_MAIN}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&leak;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _rebuild(_plain(), replace={_SHEET: sheet.encode()})


def billion_laughs():
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    # The DTD goes into workbook.xml, a part openpyxl parses itself.
    with zipfile.ZipFile(io.BytesIO(_plain())) as source:
        original = source.read("xl/workbook.xml").decode()
    bomb = f'<?xml version="1.0"?><!DOCTYPE workbook [{entities}]>' + original.split("?>", 1)[-1]
    bomb = bomb.replace('name="Sheet1"', 'name="&a9;"', 1)
    return _rebuild(_plain(), replace={"xl/workbook.xml": bomb.encode()})


def macros():
    return _rebuild(_plain(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512})


def no_workbook():
    return _rebuild(_plain(), drop=("xl/workbook.xml",))


def not_a_zip():
    return b"PK\x03\x04 this is not really a zip" + b"\0" * 100


def zip_bomb():
    """A member that unpacks to 200 MB of zeros."""
    return _rebuild(_plain(), add={"xl/media/zeros.bin": b"\0" * (200 * 1024 * 1024)})


def unevaluated_formula():
    return xlsx([HEADER, [1, '=HYPERLINK("http://example.invalid/x", "Thôn 1")', 10]])


HOSTILE_XLSX = {
    "far_cell": far_cell,
    "many_rows": many_rows,
    "rows_over_limit": rows_over_limit,
    "broken_xml": broken_xml,
    "external_entity": external_entity,
    "billion_laughs": billion_laughs,
    "macros": macros,
    "no_workbook": no_workbook,
    "not_a_zip": not_a_zip,
    "zip_bomb": zip_bomb,
    "unevaluated_formula": unevaluated_formula,
}


def csv_rows(count, extra_households=0):
    """A roster of `count` groups "Thôn n", each with n + extra_households households."""
    lines = ["STT,Tên thôn,Số hộ"] + [f"{n},Thôn {n},{n + extra_households}" for n in range(1, count + 1)]
    return ("\n".join(lines) + "\n").encode()


def csv_huge_field():
    return b"STT,T\xc3\xaan th\xc3\xb4n\n1," + b"x" * 2_000_000 + b"\n"
