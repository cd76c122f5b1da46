"""The scripts hold no words, addresses or settings of their own: the server gives them through one
channel, the page's JSON blocks (templates/_script_data.html, read by static/js/text.js), and the
service worker's CONFIG (fieldkit/offline/sw.py). Held by reading the files, so a new script is held too."""

import re
import unicodedata
from pathlib import Path

import pytest

import fieldkit
from fieldkit.offline.scripts import page_urls, worker_urls

ROOT = Path(fieldkit.__file__).parent.parent
TEMPLATES = ROOT / "fieldkit" / "templates"
WORKER = ROOT / "fieldkit" / "offline" / "sw.js"
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))
# Typed answers a yes/no field accepts, as fieldkit/values.py does: input, not words shown.
ACCEPTED_INPUT = {"fieldtypes.js": {"có", "không"}, "filter-list.js": {"đĐ"}}


def code_of(path):
    """The file without its comments (a comment may name a route or quote a Vietnamese word)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return "\n".join(re.sub(r"(^|\s)//\s.*$", "", line) for line in text.splitlines())


def marked(letter):
    """A letter with a diacritic, or đ."""
    return letter in "đĐ" or len(unicodedata.normalize("NFD", letter)) > 1


def vietnamese_words(code):
    """Runs of letters holding a marked letter: Vietnamese, not English or code."""
    return {w for w in re.findall(r"[^\W\d_]+", code) if any(marked(c) for c in w)}


def template_words():
    """Every word key a template gives the scripts, from the script_data(words={...}) calls."""
    keys = set()
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        for call in re.findall(r"script_data\((.*?)\)\s*\}\}", source, flags=re.S):
            keys |= set(re.findall(r'"(\w+)":\s*_\(', call))
    return keys


def template_urls():
    keys = set()
    for path in TEMPLATES.rglob("*.html"):
        for call in re.findall(r"script_data\((.*?)\)\s*\}\}", path.read_text(encoding="utf-8"), flags=re.S):
            keys |= set(re.findall(r'"(\w+)":\s*url_for\(', call))
    return keys


@pytest.mark.parametrize("path", [*SCRIPTS, WORKER], ids=lambda p: p.name)
def test_a_script_holds_no_words_and_no_addresses(path):
    code = code_of(path)
    assert vietnamese_words(code) <= ACCEPTED_INPUT.get(path.name, set()), "words come from the page (text.js)"
    assert "/api/" not in code, "URLs come from the page (text.js url()) or the worker's CONFIG"
    # A string that starts like a path of the site ("/outbox", '/forms/…', `/records/…`).
    assert not re.findall(r"""["'`]/[a-z]""", code), "URLs come from the page or the worker's CONFIG"


def test_the_planted_kinds_of_text_are_caught(tmp_path):
    planted = tmp_path / "planted.js"
    planted.write_text('// "Đã gửi" in a comment is fine\nshow("Đã gửi"); fetch("/outbox");\n', encoding="utf-8")
    code = code_of(planted)
    assert vietnamese_words(code) == {"Đã", "gửi"}
    assert re.findall(r"""["'`]/[a-z]""", code)


def test_no_empty_script_is_kept_or_precached():
    assert not [p.name for p in SCRIPTS if not code_of(p).strip()]


def test_every_word_a_script_asks_for_is_given_and_every_word_given_is_used():
    given = template_words()
    code = "\n".join(code_of(p) for p in SCRIPTS)
    asked = set(re.findall(r"""\btext\(\s*["'](\w+)["']""", code))
    assert asked <= given, f"words no template gives: {asked - given}"
    # Keys chosen at run time appear in the code as strings, or as the outbox's states (state_<state>).
    states = set(re.search(r"STATES = \[(.*?)\]", code).group(1).replace('"', "").replace(" ", "").split(","))
    unused = {k for k in given if not re.search(rf"""["'`]{k}["'`]""", code) and k.removeprefix("state_") not in states}
    assert not unused, f"words no script uses: {unused}"


def test_every_url_a_script_asks_for_is_given_and_no_more(app):
    with app.test_request_context():
        pages, worker = set(page_urls()), set(worker_urls())
    code = "\n".join(code_of(p) for p in SCRIPTS)
    asked = set(re.findall(r"""\burl\(\s*["'](\w+)["']""", code))
    assert asked <= pages | template_urls()
    assert not pages - asked, "a URL no page script uses"
    worker_asks = set(re.findall(r"URLS\.(\w+)", code_of(WORKER)))
    assert worker_asks == worker
