"""Recordings of explainer pages and loudspeaker scripts: checked by content, kept by hash, every version kept.

A recording is read for what it is (WebM/Opus from a browser, Ogg, MP3, M4A, WAV) and its length, with
mutagen and a small WebM reader: nothing outside Python, so it works the same on a Windows laptop.
"""

import io
import re

import mutagen
from flask_babel import lazy_gettext as _l
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, Atoms
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from ..auth import audit
from ..changes import new_uuid
from ..submissions.media import Rejected, media_dir, store, stored_path
from . import content, webm
from .scripts import get_script

KINDS = ("page", "script")
LANG = re.compile(r"^[a-z]{2,8}$")
MIN_SECONDS = 0.5
# Browsers record Opus in WebM (Chrome) or Ogg (Firefox); Safari records AAC in MP4.
WEBM_CODECS = {"A_OPUS", "A_VORBIS"}
MESSAGES = {
    "empty": _l("Hãy chọn hoặc ghi một tệp âm thanh."),
    "type": _l("Tệp này không phải là âm thanh. Chỉ nhận tệp WebM, Ogg, MP3, M4A hoặc WAV."),
    "too_big": _l("Tệp âm thanh quá lớn (tối đa %(mb)s MB)."),
    "too_long": _l("Bản ghi âm quá dài (tối đa %(minutes)s phút)."),
    "too_short": _l("Bản ghi âm quá ngắn hoặc không có tiếng."),
    "target": _l("Không có bài này."),
    "lang": _l("Ngôn ngữ không hợp lệ."),
}


def _webm(data):
    info = webm.read(data)
    if not info["tracks"] or any(t != webm.AUDIO_TRACK or c not in WEBM_CODECS for t, c in info["tracks"]):
        raise ValueError("not audio-only Opus or Vorbis")
    return "audio/webm", "webm", info["seconds"]


def _ogg(data):
    for reader in (OggOpus, OggVorbis):
        try:
            return "audio/ogg", "ogg", reader(io.BytesIO(data)).info.length
        except mutagen.MutagenError:
            continue
    raise ValueError("Ogg without Opus or Vorbis")


def _mp3(data):
    info = MP3(io.BytesIO(data)).info
    if info.sketchy:
        raise ValueError("no run of valid MPEG frames")
    return "audio/mpeg", "mp3", info.length


def _m4a(data):
    fileobj = io.BytesIO(data)
    # An MP4 with a picture track is a video, not a recording.
    for trak in Atoms(fileobj)[b"moov"].findall(b"trak"):
        for hdlr in trak.findall(b"hdlr", recursive=True):
            ok, payload = hdlr.read(fileobj)
            if not ok or payload[8:12] != b"soun":
                raise ValueError("a track that is not sound")
    return "audio/mp4", "m4a", MP4(fileobj).info.length


def _wav(data):
    return "audio/wav", "wav", WAVE(io.BytesIO(data)).info.length


def _reader(data):
    """Which reader the first bytes call for; None when they are no audio file fieldkit takes."""
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return _webm
    if data[:4] == b"OggS":
        return _ogg
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _wav
    if data[4:8] == b"ftyp":
        return _m4a
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return _mp3
    return None


def inspect(data, max_bytes, max_seconds):
    """(mime, extension, seconds) of a recording read by content; raise Rejected with a Vietnamese message."""
    if not data:
        raise Rejected({"file": MESSAGES["empty"]})
    if len(data) > max_bytes:
        raise Rejected({"file": MESSAGES["too_big"] % {"mb": max_bytes // (1024 * 1024)}})
    reader = _reader(data)
    try:
        if reader is None:
            raise ValueError("unknown signature")
        mime, extension, seconds = reader(data)
    except (mutagen.MutagenError, webm.NotWebm, ValueError, KeyError, IndexError, EOFError, OSError):
        raise Rejected({"file": MESSAGES["type"]}) from None
    if not seconds or seconds < MIN_SECONDS:
        raise Rejected({"file": MESSAGES["too_short"]})
    if seconds > max_seconds:
        raise Rejected({"file": MESSAGES["too_long"] % {"minutes": round(max_seconds / 60)}})
    return mime, extension, round(seconds, 2)


def target_title(db, kind, slug):
    """The Vietnamese title of the page or script a recording reads, or None when there is none."""
    if kind == "page":
        page = content.get_page(db, slug, content.DEFAULT_LANG) if content.SLUG.match(slug) else None
        return page["title"] if page else None
    if kind == "script":
        script = get_script(slug)
        return script["title"] if script else None
    return None


def add_recording(db, scope, site_id, directory, kind, slug, lang, data, speaker, limits, commune_code=None):
    """Check a recording (limits: max bytes, max seconds), keep it as the next version of (kind, slug, lang)."""
    if target_title(db, kind, slug) is None:
        raise Rejected({"target": MESSAGES["target"]})
    if not isinstance(lang, str) or not LANG.match(lang):
        raise Rejected({"lang": MESSAGES["lang"]})
    mime, extension, seconds = inspect(data, *limits)
    digest = store(directory, data, extension)
    with db.atomic():
        top = db.execute(
            "SELECT max(version) FROM recordings WHERE kind = ? AND slug = ? AND lang = ?", [kind, slug, lang]
        ).fetchone()[0]
        row = {
            "uuid": new_uuid(),
            "origin_site": site_id,
            "kind": kind,
            "slug": slug,
            "lang": lang,
            "version": (top or 0) + 1,
            "commune_code": commune_code,
            "sha256": digest,
            "mime": mime,
            "extension": extension,
            "seconds": seconds,
            "bytes": len(data),
            "speaker": " ".join((speaker or "").split())[:80] or scope.username,
            "created_at": audit.utc_now(),
            "created_by": scope.username,
        }
        db["recordings"].insert(row)
        audit.record(
            db,
            scope,
            "recording.add",
            "recordings",
            row["uuid"],
            commune_code,
            {k: row[k] for k in ("kind", "slug", "lang")},
        )
    return row


def store_dir(app):
    """The media store recordings share with photos, so sync finds every file by its hash in one place."""
    return media_dir(app)


def file_path(directory, row):
    return stored_path(directory, row["sha256"], row["extension"])


def get(db, uuid):
    rows = list(db["recordings"].rows_where("uuid = ?", [uuid], limit=1))
    return rows[0] if rows else None


def current(db, kind, slug=None, lang=None):
    """The recording in use for each (slug, language) of a kind: the highest version, the newest on a tie."""
    where, params = ["kind = ?"], [kind]
    if slug is not None:
        where.append("slug = ?")
        params.append(slug)
    if lang is not None:
        where.append("lang = ?")
        params.append(lang)
    # Two installations can each make a v1 (recordings travel both ways); the newer one is in use.
    rows = db["recordings"].rows_where(" AND ".join(where), params, order_by="version desc, created_at desc, id desc")
    found = {}
    for row in rows:
        found.setdefault((row["slug"], row["lang"]), row)
    return sorted(found.values(), key=lambda r: (r["lang"] != content.DEFAULT_LANG, r["lang"], r["slug"]))


def history(db, kind, slug):
    """Every version of every language's recording of one page or script, newest first per language."""
    return list(db["recordings"].rows_where("kind = ? AND slug = ?", [kind, slug], order_by="lang, version desc"))


def languages(db, kind="page"):
    """Languages some recording of this kind is in."""
    return {row[0] for row in db.execute("SELECT DISTINCT lang FROM recordings WHERE kind = ?", [kind])}


def code(row):
    """The short name of a recording an officer writes on the broadcast form: hmn-what-is-papi-v2."""
    return f"{row['lang']}-{row['slug']}-v{row['version']}"


def minutes_seconds(seconds):
    """1:05 for 65 seconds."""
    whole = round(seconds or 0)
    return f"{whole // 60}:{whole % 60:02d}"


def recordings_by_script(db):
    """The current recording of each script in each language, as {slug: [rows]}, Vietnamese first."""
    found = {}
    for row in current(db, "script"):
        found.setdefault(row["slug"], []).append(row)
    return found
