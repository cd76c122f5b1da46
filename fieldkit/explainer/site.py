"""What the public pages show, shared by the live pages and the static export."""

from flask_babel import lazy_gettext as _l

from ..reference import PAPI_DIMENSIONS
from . import content

# Names of content languages in their own language, for the language switch.
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


def page_context(db, lang, slug, link_suffix=""):
    """Topics, the eight dimensions, the page (rendered) and the languages, for one page."""
    page = content.get_page(db, slug, lang) if slug else None
    return {
        "lang": lang,
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in content.languages(db)],
        "topics": content.list_pages(db, lang),
        "dimensions": PAPI_DIMENSIONS,
        "dimensions_slug": DIMENSIONS_SLUG,
        "page": page,
        "html": content.render_markdown(page["body"], link_suffix) if page else "",
        "link_suffix": link_suffix,
        "tagline": TAGLINE,
    }
