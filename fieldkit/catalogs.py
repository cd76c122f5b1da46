"""Keep the English catalogs in step with the code: `make translations` (python -m fieldkit.catalogs).

Message ids are the Vietnamese text. Each area package keeps its catalog in
<area>/translations/en/LC_MESSAGES/messages.po, built from its Python files and its
templates in templates/<area>/; the core (this folder's modules, base.html, errors/, shell/)
keeps fieldkit/translations/. Run this, fill in the empty msgstr lines, run it again to compile.
"""

import sys
from datetime import UTC, datetime

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .paths import PACKAGE_DIR

LANGUAGES = ("en",)
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
TEMPLATES = PACKAGE_DIR / "templates"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}


def areas():
    """Map each catalog folder to the files its messages come from."""
    packages = sorted(p.parent for p in PACKAGE_DIR.glob("*/__init__.py"))
    package_names = {p.name for p in packages}
    result = {}
    for package in packages:
        sources = sorted(package.rglob("*.py")) + sorted((TEMPLATES / package.name).rglob("*.html"))
        result[package / "translations"] = sources
    core = sorted(PACKAGE_DIR.glob("*.py")) + sorted(TEMPLATES.glob("*.html"))
    for folder in sorted(p for p in TEMPLATES.iterdir() if p.is_dir() and p.name not in package_names):
        core += sorted(folder.rglob("*.html"))
    result[PACKAGE_DIR / "translations"] = core
    return result


def extract(sources):
    catalog = Catalog(project="fieldkit", charset="utf-8")
    for path in sources:
        method = "jinja2" if path.suffix == ".html" else "python"
        options = JINJA_OPTIONS if method == "jinja2" else {}
        for lineno, message, comments, context in extract_from_file(method, path, keywords=KEYWORDS, options=options):
            catalog.add(
                message,
                locations=[(str(path.relative_to(PACKAGE_DIR.parent)), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def update(directory, sources):
    """Update and compile one area's catalogs; return the count of untranslated messages."""
    template = extract(sources)
    missing = 0
    if not len(template):
        return 0
    for lang in LANGUAGES:
        po_path = directory / lang / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with open(po_path, "rb") as f:
                catalog = read_po(f, locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            po_path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="fieldkit", charset="utf-8")
            catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        # Fixed dates keep the compiled .mo byte-identical when nothing was translated anew.
        catalog.creation_date = catalog.revision_date = FIXED_DATE
        with open(po_path, "wb") as f:
            write_po(f, catalog, width=100, omit_header=True, sort_output=True)
        with open(po_path.with_suffix(".mo"), "wb") as f:
            write_mo(f, catalog)
        untranslated = [m.id for m in catalog if m.id and not m.string]
        for message in untranslated:
            print(f"{po_path}: untranslated: {message}", file=sys.stderr)
        missing += len(untranslated)
    return missing


def main():
    missing = sum(update(directory, sources) for directory, sources in areas().items())
    print(f"{missing} message(s) without an English translation")


if __name__ == "__main__":
    main()
