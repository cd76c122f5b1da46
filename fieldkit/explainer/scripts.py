"""Loudspeaker scripts shipped with the package: scripts/vi/NN-slug.txt, title on the first line."""

from pathlib import Path

SCRIPTS_DIR = Path(__file__).parent / "scripts"
# Art. 13 of Law 10/2022/QH15: some items go on the loudspeakers at least 3 consecutive days.
MIN_CONSECUTIVE_DAYS = 3
# The length of a broadcast slot a recording must fit, unless the officer gives another.
SLOT_MINUTES = 3
# The broadcast form's topic (forms/broadcast.toml) each script is about; the plan's links fill it.
# The eight dimensions are eight topics of the form: the officer chooses the one broadcast.
FORM_TOPICS = {
    "what-is-papi": "survey_participation",
    "honest-answers": "survey_participation",
    "survey-visit": "survey_participation",
    "your-rights": "grassroots_democracy_law",
}


def _read(path):
    text = path.read_text(encoding="utf-8").strip()
    title, _, body = text.partition("\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    slug = path.stem.split("-", 1)[1]
    return {
        "slug": slug,
        "topic": FORM_TOPICS.get(slug),
        "title": title.strip(),
        "paragraphs": paragraphs,
        "words": sum(len(p.split()) for p in paragraphs),
    }


def list_scripts(lang="vi"):
    """Every script of a language, in file order."""
    return [_read(path) for path in sorted((SCRIPTS_DIR / lang).glob("*.txt"))]


def get_script(slug, lang="vi"):
    """One script by slug, or None."""
    return next((s for s in list_scripts(lang) if s["slug"] == slug), None)
