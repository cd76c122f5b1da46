"""What the public pages show, shared by the live pages and the static export."""

from flask_babel import lazy_gettext as _l

from ..reference import PAPI_DIMENSIONS
from . import audio, content

# Each content language by its own name, for residents who may not read Vietnamese (AUTONYMS), and
# by its Vietnamese name for officers (NAMES).
AUTONYMS = {
    "vi": "Tiếng Việt",
    "en": "English",
    "hmn": "Hmoob",
    "dao": "Dao",
    "tay": "Tày",
    "nung": "Nùng",
    "giay": "Giáy",
}
LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "hmn": "Tiếng Mông",
    "dao": "Tiếng Dao",
    "tay": "Tiếng Tày",
    "nung": "Tiếng Nùng",
    "giay": "Tiếng Giáy",
}
DIMENSIONS_SLUG = "eight-dimensions"
TAGLINE = _l("Tìm hiểu về Chỉ số PAPI và quyền của người dân")


def public_languages(db):
    """Languages a resident can choose: those with a published page or a page recording, Vietnamese first."""
    written = content.languages(db)
    return written + sorted(audio.languages(db, "page") - set(written))


def language_choices(db):
    """(code, own name, Vietnamese name) of every public language."""
    return [(code, AUTONYMS.get(code, code), LANGUAGE_NAMES.get(code, code)) for code in public_languages(db)]


def page_context(db, lang, slug, link_suffix=""):
    """Topics, the eight dimensions, the page (rendered), its recordings and the languages, for one page."""
    page = content.get_page(db, slug, lang) if slug else None
    return {
        "lang": lang,
        "languages": language_choices(db),
        "autonyms": AUTONYMS,
        "topics": content.list_pages(db, lang),
        "dimensions": PAPI_DIMENSIONS,
        "dimensions_slug": DIMENSIONS_SLUG,
        "page": page,
        "html": content.render_markdown(page["body"], link_suffix) if page else "",
        # The reader's language first, then Vietnamese, then the others.
        "recordings": sorted(audio.current(db, "page", slug), key=lambda r: r["lang"] != lang) if slug else [],
        "listen_langs": sorted(audio.languages(db, "page")),
        "link_suffix": link_suffix,
        "tagline": TAGLINE,
    }
