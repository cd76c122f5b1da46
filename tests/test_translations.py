"""Every interface string has an English translation, and the compiled catalogs are current."""

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from fieldkit.catalogs import areas, extract


@pytest.mark.parametrize("directory", sorted(areas()), ids=lambda d: d.parent.name)
def test_catalog_covers_every_message(directory):
    sources = areas()[directory]
    wanted = {m.id for m in extract(sources) if m.id}
    if not wanted:
        return
    po_path = directory / "en" / "LC_MESSAGES" / "messages.po"
    assert po_path.exists(), f"run `make translations` to create {po_path}"
    with open(po_path, "rb") as f:
        catalog = read_po(f, locale="en")
    translated = {m.id for m in catalog if m.id and m.string}
    assert not wanted - translated, f"untranslated in {po_path}; run `make translations`"
    with open(po_path.with_suffix(".mo"), "rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    assert compiled == {m.id: m.string for m in catalog if m.id and m.string}, "stale .mo; run `make translations`"


def test_a_message_means_the_same_in_every_catalog():
    """Catalogs are merged at run time, so one message id must have one translation."""
    translations = {}
    for directory in areas():
        po_path = directory / "en" / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with open(po_path, "rb") as f:
                for message in read_po(f, locale="en"):
                    if message.id and message.string:
                        translations.setdefault(message.id, {})[message.string] = (
                            po_path.parent.parent.parent.parent.name
                        )
    clashes = {key: value for key, value in translations.items() if len(value) > 1}
    assert not clashes, f"one Vietnamese text, several English ones: {clashes}"
