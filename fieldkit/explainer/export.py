"""Write the explainer as a static site (index, one page per topic, the stylesheet) for the provincial portal."""

import shutil
from pathlib import Path

from flask import render_template
from flask_babel import force_locale

from ..paths import resource_dir
from . import content
from .site import page_context


def export_site(app, db, directory, lang=content.DEFAULT_LANG):
    """Render every page of `lang` into `directory`; return the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    locale = lang if lang in app.config["LANGUAGES"] else app.config["BABEL_DEFAULT_LOCALE"]
    written = []
    with app.test_request_context(), force_locale(locale):
        pages = [("index.html", "explainer/index.html", None)]
        pages += [(f"{p['slug']}.html", "explainer/page.html", p["slug"]) for p in content.list_pages(db, lang)]
        for filename, template, slug in pages:
            html = render_template(template, static_export=True, **page_context(db, lang, slug, link_suffix=".html"))
            (directory / filename).write_text(html, encoding="utf-8")
            written.append(directory / filename)
    css = directory / "style.css"
    shutil.copyfile(resource_dir("static") / "css" / "app.css", css)
    written.append(css)
    return written
