"""fieldkit/values.py: values read one way in forms, roster spreadsheets and the roster pages."""

import pytest

from fieldkit import values
from fieldkit.rosters.spreadsheet import normalise_phone, parse_count, parse_date, parse_gps


@pytest.mark.parametrize(
    "parse, raw, expected",
    [
        (parse_count, "１.２０４ hộ", 1204),
        (normalise_phone, "０９１２ ３４５ ６７８", "0912345678"),
        (parse_date, "２０/１１/２０２６", "2026-11-20"),
        (parse_gps, "２２，２５; １０４，４５", (22.25, 104.45)),
        (values.parse_decimal, "22,25", 22.25),
        (values.parse_integer, "\u200b１２", 12),
        (values.parse_time, "7:05", "07:05"),
        (values.parse_yes_no, "Có", True),
    ],
)
def test_full_width_digits_and_decimal_commas_read_the_same_everywhere(parse, raw, expected):
    assert parse(raw) == expected


@pytest.mark.parametrize(
    "parse, raw",
    [
        (values.parse_integer, True),
        (values.parse_integer, "12.5"),
        (values.parse_decimal, "1.234,5"),
        (values.parse_decimal, float("nan")),
        (values.parse_date, "31/02/2026"),
        (values.parse_date, "1899-12-31"),
        (values.parse_time, "24:00"),
        (values.parse_yes_no, "có lẽ"),
        (values.phone_digits, "+1 202 555 0100"),
    ],
)
def test_what_is_not_a_value_is_refused(parse, raw):
    with pytest.raises(ValueError):
        parse(raw)


def test_points_outside_viet_nam_are_out_of_bounds():
    assert values.in_vietnam(22.25, 104.45) and not values.in_vietnam(104.45, 22.25)
