"""Poster codes a person can read back: one alphabet without look-alikes, forgiving reading, old codes kept."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.posters import codes


def test_new_codes_are_grouped_crockford_upper_case():
    made = {codes.new_code("02989") for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert codes.CURRENT.match(code), code
        assert not set(code) & set("ILOUilou_abcdefghjkmnpqrstvwxyz")


@pytest.mark.parametrize(
    "typed",
    ["02989-K7QX-4MZ2", "02989 k7qx 4mz2", " 02989K7QX4MZ2 ", "o2989-k7qx-4mz2", "02989—K7QX—4MZ2", "02989_K7QX.4MZ2"],
)
def test_what_a_person_types_reads_as_the_printed_code(typed):
    assert codes.normalise(typed) == "02989-K7QX-4MZ2"


def test_look_alike_letters_read_as_digits():
    assert codes.normalise("O2989-IL0O-llii") == "02989-1100-1111"


def test_old_printed_codes_stay_valid_exactly_as_printed():
    old = "02989-yIzob_LJ"
    assert codes.is_well_formed(old)
    assert codes.normalise(old) == old
    assert old in codes.candidates(f"  {old} ")


@pytest.mark.parametrize("bad", ["", "x", "a b", "02989/K7QX", "<script>", "02989-K7QX-4MZ2" + "X" * 40])
def test_malformed_codes_are_refused(bad):
    assert not codes.is_well_formed(bad)
    assert codes.candidates(bad) == [] or all(codes.is_well_formed(c) for c in codes.candidates(bad))


@given(st.integers(min_value=0, max_value=99999))
def test_every_new_code_is_well_formed_and_reads_back_through_any_spacing(number):
    code = codes.new_code(f"{number:05d}")
    assert codes.is_well_formed(code)
    assert codes.normalise(code.lower().replace("-", " ")) == code
    assert codes.normalise(code.replace("-", "")) == code
