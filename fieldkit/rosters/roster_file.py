"""The roster spreadsheet: which headers mean what, a row into a residential group, a group into a row.

Pure: file bytes in, records and problems out; records in, file bytes out.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..reference import LANGUAGES, ethnic_groups
from ..text import fold
from .spreadsheet import (
    CellError,
    Column,
    Problem,
    check_point,
    format_gps,
    normalise_phone,
    parse_count,
    parse_gps,
    parse_years,
    read_cell,
    read_table,
    split_list,
    text,
    write_csv,
    write_xlsx,
)

# Checked in this order: the first column whose words a header contains wins, so the
# specific ones ("số điện thoại trưởng thôn", "địa chỉ nhà văn hóa") come before the general.
# Other village officials often share the sheet; their columns are not the head's.
OTHER_OFFICIALS = (
    "bi thu",
    "pho thon",
    "pho ban",
    "to pho",
    "cong an",
    "chi hoi",
    "mat tran",
    "phu nu",
    "thanh nien",
    "doan thanh nien",
    "cuu chien binh",
    "nong dan",
    "y te",
    "nhan vien y te",
)
# "Số hộ nghèo", "Số khẩu DTTS": counts of a part, not of the whole village.
SUBSETS = ("ngheo", "can ngheo", "thieu so", "dtts", "chinh sach", "ty le", "tre em", "nguoi cao tuoi")
# "Số hộ dân tộc thiểu số", "Tỷ lệ DTTS": numbers about ethnic groups, not their names.
COUNTED = ("so ho", "so khau", "so nguoi", "nhan khau", "ty le", "so dan")
ROSTER_COLUMNS = (
    Column("index", ("stt", "tt", "so tt", "so thu tu"), exact=True),
    Column("ignored", OTHER_OFFICIALS, unless=("truong thon", "truong ban", "truong lang", "to truong")),
    Column("head_phone", ("so dien thoai", "dien thoai", "sdt", "dt", "so dt", "dtdd", "di dong", "phone")),
    Column("cultural_house_lat", ("vi do", "lat", "latitude"), unless=("kinh do", "lon")),
    Column("cultural_house_lon", ("kinh do", "lon", "lng", "longitude"), unless=("vi do", "lat")),
    Column("gps", ("toa do", "gps", "vi tri", "dinh vi")),
    Column("cultural_house_address", ("dia chi", "dia diem")),
    Column("cultural_house_name", ("nha van hoa", "nvh", "nha sinh hoat cong dong", "nha van hoa thon")),
    Column("papi_years", ("papi",)),
    Column("ethnic_groups", ("dan toc", "thanh phan dan toc"), unless=COUNTED),
    Column("languages", ("ngon ngu", "tieng")),
    Column("head_name", ("truong", "to truong", "nguoi dung dau", "ho ten", "ho va ten")),
    Column("households", ("so ho", "ho", "tong so ho", "ho gia dinh"), unless=SUBSETS),
    Column("population", ("nhan khau", "so khau", "khau", "dan so", "so nguoi", "so dan", "nhan dan"), unless=SUBSETS),
    Column("notes", ("ghi chu",)),
    Column("active", ("trang thai", "hoat dong", "con hoat dong")),
    Column("kind", ("loai", "phan loai")),
    Column("name", ("ten", "thon", "ban", "lang", "to dan pho", "tdp", "xom", "to")),
)

# The file fieldkit writes, and reads back unchanged.
EXPORT_HEADERS = (
    "STT",
    "Tên thôn/tổ dân phố",
    "Loại",
    "Trưởng thôn",
    "Số điện thoại",
    "Số hộ",
    "Nhân khẩu",
    "Dân tộc",
    "Ngôn ngữ",
    "Nhà văn hóa",
    "Địa chỉ nhà văn hóa",
    "Tọa độ GPS",
    "Năm được khảo sát PAPI",
    "Trạng thái",
    "Ghi chú",
)
KIND_NAMES = {"thon": "Thôn", "ban": "Bản", "lang": "Làng", "to_dan_pho": "Tổ dân phố"}
_KIND_WORDS = {
    "thon": "thon",
    "ban": "ban",
    "lang": "lang",
    "to dan pho": "to_dan_pho",
    "tdp": "to_dan_pho",
    "to": "to_dan_pho",
    "khu pho": "to_dan_pho",
}
ACTIVE_TEXT, INACTIVE_TEXT = "Đang hoạt động", "Ngừng hoạt động"

# Older names still found in commune files, for the same groups in the official list.
ETHNIC_ALIASES = {"hmong": "08", "h mong": "08", "meo": "08", "man": "09", "tho dan": None}


@dataclass
class ParsedRoster:
    """What a roster file holds: one record per row, the problems, and the columns it had."""

    records: list = field(default_factory=list)  # dicts with "row" and the group fields present
    problems: list = field(default_factory=list)
    fields: tuple = ()
    ignored_headers: list = field(default_factory=list)
    sheet: str | None = None  # named when the table is not on the first sheet

    @property
    def ok(self):
        return not self.problems


def ethnic_lookup():
    """fold(name) -> code for the 54 groups, plus the older names for the same groups."""
    table = {fold(name): code for code, name in ethnic_groups()}
    table.update({alias: code for alias, code in ETHNIC_ALIASES.items() if code})
    table.update({code: code for code, _ in ethnic_groups()})
    return table


def language_names():
    """code -> Vietnamese name, whatever language the screen is in."""
    with force_locale("vi"):
        return {code: str(label) for code, label in LANGUAGES}


def language_lookup():
    """fold(name) -> code, for names with or without "Tiếng", and codes."""
    table = {}
    for code, name in language_names().items():
        table[fold(name)] = code
        table[fold(name).removeprefix("tieng ")] = code
        table[code] = code
    return table


def match_ethnic_group(name, lookup):
    """The code of an ethnic group named in a cell; a sub-group ("Dao đỏ") counts as its group."""
    words = fold(name).replace("'", " ").split()
    for size in range(len(words), 0, -1):
        code = lookup.get(" ".join(words[:size]))
        if code:
            return code
    raise CellError(_l("dân tộc “%(value)s” không có trong danh mục 54 dân tộc", value=name))


def infer_kind(name):
    """Thôn, bản, làng or tổ dân phố from how the name begins; None when it does not say."""
    folded = fold(name)
    for words in sorted(_KIND_WORDS, key=len, reverse=True):
        if folded.startswith(words + " "):
            return _KIND_WORDS[words]
    return None


def parse_kind(value):
    """Thôn, bản, làng or tổ dân phố from a "Loại" cell."""
    folded = fold(value).strip()
    if folded in _KIND_WORDS:
        return _KIND_WORDS[folded]
    if folded in KIND_NAMES:
        return folded
    raise CellError(_l("loại “%(value)s” không hợp lệ (Thôn, Bản, Làng hoặc Tổ dân phố)", value=value))


def parse_active(value):
    """1 or 0 from a "Trạng thái" cell."""
    folded = fold(value)
    if folded in ("dang hoat dong", "hoat dong", "1", "co", "x"):
        return 1
    if folded.startswith(("ngung", "khong", "da giai the", "sap nhap", "da sap nhap")) or folded == "0":
        return 0
    raise CellError(_l("trạng thái “%(value)s” không hợp lệ (Đang hoạt động hoặc Ngừng hoạt động)", value=value))


def parse_roster(data, filename):
    """Read a roster file into records, every problem named by its sheet row."""
    parsed = ParsedRoster()
    try:
        table = read_table(data, filename, ROSTER_COLUMNS)
    except CellError as error:
        parsed.problems.append(Problem(None, error.message))
        return parsed
    keys = set(table.columns.values())
    if ("cultural_house_lat" in keys) != ("cultural_house_lon" in keys):
        parsed.problems.append(Problem(table.header_row, _l("cần cả cột vĩ độ và cột kinh độ")))
        return parsed
    parsed.ignored_headers = table.ignored_headers
    parsed.sheet = table.sheet
    context = {
        "ethnic": ethnic_lookup(),
        "languages": language_lookup(),
        "papi_year": table.header_years.get("papi_years"),
        "headers": table.headers,
    }
    seen = {}
    for number, values in table.rows:
        record, problems = _record(number, values, context)
        key = fold(record["name"])
        if key and key in seen:
            problems.append(
                Problem(number, _l("tên “%(name)s” trùng với dòng %(other)s", name=record["name"], other=seen[key]))
            )
        seen.setdefault(key, number)
        parsed.problems += problems
        if not problems:
            parsed.records.append(record)
    fields = set(keys) - {"gps"}
    if "gps" in keys:
        fields |= {"cultural_house_lat", "cultural_house_lon"}
    parsed.fields = tuple(sorted(fields))
    if not parsed.records and not parsed.problems:
        parsed.problems.append(Problem(None, _l("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")))
    return parsed


def _record(number, values, context):
    """One row as a group's fields, and what is wrong with it."""
    problems = []
    record = {"row": number}

    def read(key, parse):
        read_cell(record, problems, number, values, key, parse, context["headers"])

    name = text(values.get("name"))
    if not name:
        problems.append(Problem(number, _l("thiếu tên thôn")))
    record["name"] = name
    for key in ("head_name", "cultural_house_name", "cultural_house_address", "notes"):
        read(key, text)
    read("head_phone", normalise_phone)
    read("households", parse_count)
    read("population", parse_count)
    read("papi_years", lambda v: parse_years(v, context["papi_year"]))
    read("ethnic_groups", lambda v: _codes(v, lambda item: match_ethnic_group(item, context["ethnic"])))
    read("languages", lambda v: _codes(v, lambda item: _language(item, context["languages"])))
    read("active", lambda v: None if text(v) is None else parse_active(v))
    if "kind" in values and text(values["kind"]):
        read("kind", parse_kind)
    elif name and infer_kind(name):
        record["kind"] = infer_kind(name)
    if "gps" in values:
        read("gps", parse_gps)
        point = record.pop("gps", None)
        record["cultural_house_lat"], record["cultural_house_lon"] = point or (None, None)
    if "cultural_house_lat" in values:
        _read_lat_lon(number, values, record, problems)
    if record.get("active") is None:
        record.pop("active", None)
    return record, problems


def _read_lat_lon(number, values, record, problems):
    try:
        lat, lon = (parse_decimal(values[key]) for key in ("cultural_house_lat", "cultural_house_lon"))
        if (lat is None) != (lon is None):
            raise CellError(_l("cần cả vĩ độ và kinh độ"))
        record["cultural_house_lat"], record["cultural_house_lon"] = (
            check_point(lat, lon) if lat is not None else (None, None)
        )
    except CellError as error:
        problems.append(Problem(number, error.message))


def parse_decimal(value):
    """A latitude or longitude from its own column, with a dot or a comma."""
    if text(value) is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(text(value).replace(",", "."))
    except ValueError:
        raise CellError(_l("“%(value)s” không phải là số", value=value)) from None


def _codes(value, match):
    codes = []
    for item in split_list(value):
        code = match(item)
        if code not in codes:
            codes.append(code)
    return codes


def _language(name, lookup):
    code = lookup.get(fold(name)) or lookup.get(fold(name).removeprefix("tieng "))
    if not code:
        raise CellError(_l("ngôn ngữ “%(value)s” không có trong danh mục", value=name))
    return code


# --- export --------------------------------------------------------------------------------


def roster_rows(groups):
    """Groups (decoded rows) as the rows of EXPORT_HEADERS, in the order given."""
    ethnic_names = dict(ethnic_groups())
    languages = language_names()
    for number, group in enumerate(groups, start=1):
        yield [
            number,
            group["name"],
            KIND_NAMES.get(group["kind"], group["kind"]),
            group.get("head_name"),
            group.get("head_phone"),
            group.get("households"),
            group.get("population"),
            ", ".join(ethnic_names.get(code, code) for code in group["ethnic_groups"]) or None,
            ", ".join(languages.get(code, code) for code in group["languages"]) or None,
            group.get("cultural_house_name"),
            group.get("cultural_house_address"),
            format_gps(group.get("cultural_house_lat"), group.get("cultural_house_lon")),
            ", ".join(str(year) for year in group["papi_years"]) or None,
            ACTIVE_TEXT if group["active"] else INACTIVE_TEXT,
            group.get("notes"),
        ]


def export_roster(groups, filename, title=None):
    """The roster file's bytes, .xlsx or .csv by the file name's extension."""
    rows = list(roster_rows(groups))
    if filename.lower().endswith(".csv"):
        return write_csv(EXPORT_HEADERS, rows)
    return write_xlsx(EXPORT_HEADERS, rows, title=title, text_columns=("Số điện thoại", "Năm được khảo sát PAPI"))
