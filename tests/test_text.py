"""fieldkit.text: what is stored (NFC), what is searched (folded), what a spreadsheet gets (never a formula)."""

import unicodedata

import pytest

from fieldkit.text import fold, neutralise_formula, nfc, nfc_lines, restore_formula_text

NAME = "Thôn Bảo Vinh Đồng"


@pytest.mark.parametrize("cell", ["=1+1", "+84912345678", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_every_cell_a_spreadsheet_would_run_is_made_text(cell):
    assert neutralise_formula(cell) == "'" + cell
    assert restore_formula_text(neutralise_formula(cell)) == cell


@pytest.mark.parametrize("value", ["Thôn 1", "0912 345 678", "", "a=b", 12, 3.5, None])
def test_other_values_pass_unchanged(value):
    assert neutralise_formula(value) == value


@pytest.mark.parametrize(
    "typed",
    ["thon bao vinh dong", "THÔN BẢO VINH ĐỒNG", "  Thôn   Bảo Vinh  Đồng ", unicodedata.normalize("NFD", NAME)],
)
def test_fold_ignores_case_diacritics_the_letter_d_and_spacing(typed):
    assert fold(typed) == "thon bao vinh dong"
    assert fold(typed) == fold(NAME)


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""


def test_nfc_stores_composed_text_without_invisible_characters():
    decomposed = unicodedata.normalize("NFD", NAME)
    assert decomposed != NAME
    assert nfc(decomposed) == NAME
    assert unicodedata.is_normalized("NFC", nfc(decomposed))
    assert nfc("\u200bThôn\u00a0 \tBảo\x00 Vinh Đồng\ufeff ") == NAME
    assert nfc(None) is None


def test_nfc_lines_keeps_the_lines_and_composes_them():
    text = unicodedata.normalize("NFD", "Họp thôn\r\nNhà văn hóa\rBản Nậm Ỏn ")
    assert nfc_lines(text) == "Họp thôn\nNhà văn hóa\nBản Nậm Ỏn"
    assert unicodedata.is_normalized("NFC", nfc_lines(text))
