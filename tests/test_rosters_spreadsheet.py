"""The pure parts of roster files: header matching, numbers, phones, points, years, encodings."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.reference import ethnic_groups
from fieldkit.rosters.roster_file import ROSTER_COLUMNS, ethnic_lookup, infer_kind, match_ethnic_group
from fieldkit.rosters.spreadsheet import (
    CellError,
    decode_text,
    format_gps,
    match_header,
    normalise_phone,
    parse_count,
    parse_date,
    parse_gps,
    parse_years,
    read_sheet,
    split_list,
)
from fieldkit.text import fold, nfc

from .roster_files import nfd


@pytest.mark.parametrize(
    "header, key",
    [
        ("Tên thôn", "name"),
        ("TÊN THÔN", "name"),
        ("ten thon", "name"),
        ("Thôn/Tổ dân phố", "name"),
        ("Tên thôn, bản", "name"),
        ("Tổ dân phố", "name"),
        ("Trưởng thôn", "head_name"),
        ("TRUONG THON", "head_name"),
        ("Họ tên trưởng thôn", "head_name"),
        ("Tổ trưởng", "head_name"),
        ("Số điện thoại", "head_phone"),
        ("SĐT", "head_phone"),
        ("sdt", "head_phone"),
        ("Điện thoại trưởng thôn", "head_phone"),
        ("Số hộ", "households"),
        ("Tổng số hộ", "households"),
        ("Nhân khẩu", "population"),
        ("Số khẩu", "population"),
        ("Số nhân khẩu", "population"),
        ("Dân số", "population"),
        ("Dân tộc", "ethnic_groups"),
        ("Dân tộc chính", "ethnic_groups"),
        ("Nhà văn hóa", "cultural_house_name"),
        ("Tên nhà văn hóa", "cultural_house_name"),
        ("Địa chỉ nhà văn hóa", "cultural_house_address"),
        ("Tọa độ GPS", "gps"),
        ("Toạ độ", "gps"),
        ("Vĩ độ", "cultural_house_lat"),
        ("Kinh độ", "cultural_house_lon"),
        ("Khảo sát PAPI", "papi_years"),
        ("Năm được khảo sát PAPI", "papi_years"),
        ("Ghi chú", "notes"),
        ("STT", "index"),
        ("Trạng thái", "active"),
        ("Loại", "kind"),
        ("Ngôn ngữ", "languages"),
        ("DANH SÁCH", None),
        ("", None),
    ],
)
def test_headers_are_matched_in_their_usual_variants(header, key):
    assert match_header(header, ROSTER_COLUMNS) == key
    assert match_header(nfd(header), ROSTER_COLUMNS) == key
    assert match_header(f"  {header.upper()} ", ROSTER_COLUMNS) == key


@pytest.mark.parametrize(
    "raw, number",
    [
        ("1.204", 1204),
        ("1,204", 1204),
        ("1 204", 1204),
        ("1\u00a0204", 1204),
        (1204, 1204),
        (1204.0, 1204),
        ("  731 ", 731),
        ("0", 0),
        ("1.204 hộ", 1204),
        ("3.987 khẩu", 3987),
        ("1.234.567", 1234567),
        ("12.0", 12),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_counts_are_read_as_communes_write_them(raw, number):
    assert parse_count(raw) == number


@pytest.mark.parametrize("raw", ["abc", "khoảng 80", "1.2", "12,5", 12.5, "-3", True, "1.20.4"])
def test_counts_that_are_not_whole_numbers_are_refused(raw):
    with pytest.raises(CellError):
        parse_count(raw)


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_survives_vietnamese_and_english_grouping(number):
    assert parse_count(f"{number:,}".replace(",", ".")) == number
    assert parse_count(f"{number:,}") == number
    assert parse_count(str(number)) == number
    assert parse_count(float(number)) == number


@pytest.mark.parametrize(
    "raw, digits",
    [
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        (912345678, "0912345678"),
        (912345678.0, "0912345678"),
        ("(0214) 3 881 234", "02143881234"),
        ("\u00a00368123456 ", "0368123456"),
        (None, None),
        ("", None),
    ],
)
def test_phones_become_digits_with_their_leading_zero(raw, digits):
    assert normalise_phone(raw) == digits


@pytest.mark.parametrize(
    "raw", ["123", "0912 345 678 / 0987 654 321", "số máy lẻ", "+1 202 555 0100", "09123456789012"]
)
def test_phones_that_are_not_one_vietnamese_number_are_refused(raw):
    with pytest.raises(CellError):
        normalise_phone(raw)


@given(st.from_regex(r"0[35789][0-9]{8}", fullmatch=True), st.sampled_from([" ", ".", "-", ""]), st.booleans())
def test_any_mobile_number_normalises_however_it_is_spaced(number, separator, international):
    written = separator.join([number[:4], number[4:7], number[7:]])
    if international:
        written = "+84 " + written[1:]
    assert normalise_phone(written) == number
    assert normalise_phone(normalise_phone(written)) == number


@pytest.mark.parametrize(
    "raw, point",
    [
        ("22.2345, 104.4567", (22.2345, 104.4567)),
        ("22.2345 104.4567", (22.2345, 104.4567)),
        ("22,2345; 104,4567", (22.2345, 104.4567)),
        ("22.2345,104.4567", (22.2345, 104.4567)),
        (None, None),
        ("\x1f", None),  # only a control character: blank, as text() reads it (was a 500 on the edit page)
        (" \u200b- ", None),
        ("22°12'11.2\"N 104°20'45.1\"E", (22.203111, 104.345861)),
        ("22° 12′ 11″ B, 104° 20′ 45″ Đ", (22.203056, 104.345833)),
    ],
)
def test_gps_points(raw, point):
    assert parse_gps(raw) == point


@pytest.mark.parametrize("raw", ["104.4567, 22.2345", "22.2345", "gần UBND", "48.85, 2.35"])
def test_gps_points_outside_vietnam_or_malformed_are_refused(raw):
    with pytest.raises(CellError):
        parse_gps(raw)


@given(st.floats(min_value=8, max_value=24), st.floats(min_value=102, max_value=110))
def test_a_point_written_by_fieldkit_reads_back_the_same(lat, lon):
    point = parse_gps(format_gps(round(lat, 6), round(lon, 6)))
    assert point == (round(lat, 6), round(lon, 6))


@pytest.mark.parametrize(
    "raw, header_year, years",
    [
        ("2023", None, [2023]),
        ("2023, 2021", None, [2021, 2023]),
        ("2021 và 2023", None, [2021, 2023]),
        ("x", 2023, [2023]),
        ("có", 2023, [2023]),
        (None, None, []),
        (2023, None, [2023]),
    ],
)
def test_papi_years(raw, header_year, years):
    assert parse_years(raw, header_year) == years


@pytest.mark.parametrize("raw", ["x", "năm ngoái", "1999", "2099"])
def test_papi_years_refused(raw):
    with pytest.raises(CellError):
        parse_years(raw)


def test_lists_split_on_the_separators_people_use():
    assert split_list("Kinh, Tày; Dao") == ["Kinh", "Tày", "Dao"]
    assert split_list("Mông và Dao") == ["Mông", "Dao"]
    assert split_list("Kinh - Dao") == ["Kinh", "Dao"]
    assert split_list(None) == []


def test_every_ethnic_group_is_found_by_its_name_however_typed():
    lookup = ethnic_lookup()
    names = dict(ethnic_groups())
    assert len({fold(name) for name in names.values()}) == 54, "two groups fold to the same key"
    for code, name in names.items():
        assert match_ethnic_group(name, lookup) == code
        assert match_ethnic_group(nfd(name.upper()), lookup) == code
    assert match_ethnic_group("Dao đỏ", lookup) == names_code(names, "Dao")
    assert match_ethnic_group("H'Mông", lookup) == names_code(names, "Mông")
    with pytest.raises(CellError):
        match_ethnic_group("Người Sao Hỏa", lookup)


def names_code(names, wanted):
    return next(code for code, name in names.items() if name == wanted)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Thôn Bảo Vinh", "thon"),
        ("BẢN NẶM RỊA", "ban"),
        ("Tổ dân phố số 1", "to_dan_pho"),
        ("TDP 3", "to_dan_pho"),
        ("Làng Chải", "lang"),
        ("Bảo Vinh", None),
    ],
)
def test_kind_from_the_name(name, kind):
    assert infer_kind(name) == kind


@pytest.mark.parametrize(
    "raw, iso", [("15/08/2025", "2025-08-15"), ("5-8-2025", "2025-08-05"), ("2025-08-15", "2025-08-15")]
)
def test_dates(raw, iso):
    assert parse_date(raw) == iso


def test_dates_refused():
    with pytest.raises(CellError):
        parse_date("31/02/2025")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_csv_in_the_encodings_windows_writes(encoding):
    text = "Tên thôn;Số hộ\r\nThôn Bảo Vinh;1.204\r\n"
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    rows = read_sheet(data, "danh-sach.csv")
    assert [unicodedata.normalize("NFC", cell) for cell in rows[1]] == ["Thôn Bảo Vinh", "1.204"]
    assert unicodedata.normalize("NFC", decode_text(data)) == text


def to_cp1258(text):
    """Encode as Vietnamese Windows does: precomposed vowels, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = next(mark for mark in decomposed if mark in "\u0300\u0301\u0303\u0309\u0323")
            out += (unicodedata.normalize("NFC", decomposed.replace(tone, "")) + tone).encode("cp1258")
    return out


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_decoding_utf8_never_guesses_wrong(text):
    # A leading U+FEFF is, in UTF-8, the byte-order mark itself (EF BB BF): read as a mark and dropped,
    # as Excel writes it. Any text after it, including a second U+FEFF, is kept exactly.
    expected = text.removeprefix("\ufeff")
    assert decode_text(text.encode("utf-8")) == expected
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_old_excel_files_get_a_clear_message():
    with pytest.raises(CellError) as error:
        read_sheet(b"\xd0\xcf\x11\xe0", "danh-sach.xls")
    assert "xlsx" in str(error.value.message)


@pytest.mark.parametrize(
    "header, key",
    [
        ("Tọa độ (vĩ độ, kinh độ)", "gps"),
        ("Địa điểm nhà văn hóa", "cultural_house_address"),
        ("Bí thư chi bộ", "ignored"),
        ("SĐT bí thư", "ignored"),
        ("Họ tên phó thôn", "ignored"),
        ("Trưởng thôn kiêm Bí thư chi bộ", "head_name"),
        ("Thôn trưởng", "head_name"),
        ("Thôn được chọn khảo sát PAPI 2023", "papi_years"),
    ],
)
def test_headers_of_other_officials_and_compound_headers(header, key):
    assert match_header(header, ROSTER_COLUMNS) == key


# --- the whole file: what fieldkit writes, it reads back the same ---------------------------------

from fieldkit.reference import LANGUAGES  # noqa: E402
from fieldkit.rosters.roster_file import export_roster, parse_roster  # noqa: E402

NAME_WORDS = st.sampled_from(
    [
        "Bảo",
        "Vinh",
        "Khe",
        "Bá",
        "Nặm",
        "Rịa",
        "Khuổi",
        "Phường",
        "Tân",
        "Thành",
        "Đồng",
        "Quỳnh",
        "Mới",
        "Số",
        "1",
        "2",
        "3",
    ]
)
ETHNIC_CODES = [code for code, _ in ethnic_groups()]
LANGUAGE_CODES = [code for code, _ in LANGUAGES]
OPTIONAL_TEXT = st.one_of(
    st.none(),
    st.text(alphabet="abcdeghiklmnopqrstuvxyđăâêôơưáàảãạếềểễệốồổỗộớờởỡợ ,.-()", min_size=1, max_size=30)
    .map(nfc)
    .filter(bool)
    .filter(lambda t: t[0] not in ",.-("),
)
group_strategy = st.fixed_dictionaries(
    {
        "name": st.tuples(
            st.sampled_from(["Thôn", "Bản", "Tổ dân phố", "Làng"]), st.lists(NAME_WORDS, min_size=1, max_size=3)
        ).map(lambda t: " ".join([t[0], *t[1]])),
        "head_name": OPTIONAL_TEXT,
        "head_phone": st.one_of(st.none(), st.from_regex(r"0[35789][0-9]{8}", fullmatch=True)),
        "households": st.one_of(st.none(), st.integers(0, 5000)),
        "population": st.one_of(st.none(), st.integers(0, 30000)),
        "ethnic_groups": st.lists(st.sampled_from(ETHNIC_CODES), unique=True, max_size=4),
        "languages": st.lists(st.sampled_from(LANGUAGE_CODES), unique=True, max_size=3),
        "cultural_house_name": OPTIONAL_TEXT,
        "cultural_house_address": OPTIONAL_TEXT,
        "point": st.one_of(
            st.none(), st.tuples(st.floats(8, 24), st.floats(102, 110)).map(lambda p: (round(p[0], 6), round(p[1], 6)))
        ),
        "papi_years": st.lists(st.integers(2009, 2025), unique=True, max_size=3).map(sorted),
        "notes": OPTIONAL_TEXT,
        "active": st.sampled_from([0, 1]),
    }
)


@settings(max_examples=40, deadline=None)  # each example writes a workbook
@given(
    st.lists(group_strategy, min_size=1, max_size=6, unique_by=lambda g: fold(g["name"])),
    st.sampled_from(["x.xlsx", "x.csv"]),
)
def test_an_exported_roster_parses_back_to_the_same_groups(groups, filename):
    from fieldkit.rosters.roster_file import infer_kind

    rows = []
    for group in groups:
        group = dict(group)  # hypothesis replays the same objects: do not change them
        point = group.pop("point")
        group["cultural_house_lat"], group["cultural_house_lon"] = point or (None, None)
        group["kind"] = infer_kind(group["name"])
        rows.append(group)
    parsed = parse_roster(export_roster(rows, filename, title="DANH SÁCH"), filename)
    assert parsed.ok, [str(p) for p in parsed.problems]
    assert [{k: v for k, v in record.items() if k != "row"} for record in parsed.records] == rows


@pytest.mark.parametrize(
    "header, key",
    [
        ("Số hộ nghèo", None),
        ("Số hộ DTTS", None),
        ("Số khẩu cận nghèo", None),
        ("Số hộ dân tộc thiểu số", None),
        ("Tỷ lệ DTTS (%)", None),
        ("Số hộ", "households"),
    ],
)
def test_counts_of_a_part_are_not_the_villages_counts(header, key):
    assert match_header(header, ROSTER_COLUMNS) == key


@pytest.mark.parametrize(
    "raw, digits", [("ĐT: 0912 345 678", "0912345678"), ("DĐ 0912.345.678", "0912345678"), ("-", None), ("—", None)]
)
def test_phone_labels_and_dashes(raw, digits):
    assert normalise_phone(raw) == digits


def test_a_dash_is_nothing_in_a_count():
    assert parse_count("-") is None


def test_files_in_the_old_tcvn3_font_get_a_clear_message():
    from fieldkit.rosters.roster_file import parse_roster

    from .roster_files import xlsx

    parsed = parse_roster(xlsx([["Tªn th«n", "Sè hé"], ["Th«n B¶o Vinh", 12]]), "cu.xlsx")
    assert "TCVN3" in str(parsed.problems[0])


USUAL_HEADERS = [
    ("Tên thôn", "name"),
    ("Thôn/Tổ dân phố", "name"),
    ("Trưởng thôn", "head_name"),
    ("Số điện thoại", "head_phone"),
    ("SĐT", "head_phone"),
    ("Số hộ", "households"),
    ("Nhân khẩu", "population"),
    ("Số khẩu", "population"),
    ("Dân tộc", "ethnic_groups"),
    ("Nhà văn hóa", "cultural_house_name"),
    ("Tọa độ GPS", "gps"),
    ("Ghi chú", "notes"),
]


@given(
    st.sampled_from(USUAL_HEADERS),
    st.sampled_from([str.upper, str.lower, str.title, str]),
    st.sampled_from(["NFC", "NFD", "fold"]),
    st.sampled_from([" ", "  ", "\n", " - ", "_"]),
    st.sampled_from(["", " (*)", ":", " ", "\u00a0"]),
)
def test_usual_headers_match_however_they_are_typed(pair, case, form, space, tail):
    header, key = pair
    written = fold(header) if form == "fold" else unicodedata.normalize(form, header)
    written = case(written).replace(" ", space) + tail
    assert match_header(written, ROSTER_COLUMNS) == key
