"""The one media store: files kept by SHA-256 under instance/media/; photos of records with thumbnails.

Photos (records, posters) and recordings (explainer pages, loudspeaker scripts) all go through `store`.
"""

import hashlib
import io
import os
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..auth import audit
from ..changes import new_uuid
from ..errors import UserFacingError
from ..formspec.types import field_type
from .records import UUID

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIZE = (320, 320)
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MESSAGES = {
    "file": "Hãy chọn một ảnh.",
    "too_big": "Ảnh quá lớn.",
    "type": "Chỉ nhận ảnh JPEG, PNG hoặc WebP.",
    "submission": "Không tìm thấy bản ghi để gắn ảnh.",
    "field": "Biểu mẫu không có mục ảnh này.",
}


class Rejected(UserFacingError):
    def __init__(self, errors):
        super().__init__(fields=errors)
        self.errors = errors


def media_dir(app):
    return Path(app.instance_path) / "media"


def inspect(content, limit=DEFAULT_MAX_BYTES):
    """(mime, extension, width, height) of an image read by content; raise Rejected otherwise."""
    if not content:
        raise Rejected({"file": MESSAGES["file"]})
    if len(content) > limit:
        raise Rejected({"file": MESSAGES["too_big"]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind = image.format
                width, height = image.size
                if kind not in FORMATS or width * height > MAX_PIXELS:
                    raise Rejected({"file": MESSAGES["type"]})
                image.verify()
            # verify() reads the structure, not the pixels: a cut-off JPEG passes it and then fails when
            # the thumbnail is made (a 500, and a file stored with no row). Decode it whole here.
            with Image.open(io.BytesIO(content)) as image:
                image.load()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise Rejected({"file": MESSAGES["type"]}) from None
    mime, extension = FORMATS[kind]
    return mime, extension, width, height


def stored_path(directory, digest, extension):
    """Where the store keeps the file with this hash."""
    return Path(directory) / digest[:2] / f"{digest}.{extension}"


def store(directory, content, extension):
    """Keep the bytes under their hash (written whole, then renamed into place); return the hash."""
    digest = hashlib.sha256(content).hexdigest()
    path = stored_path(directory, digest, extension)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(content)
        os.replace(temporary, path)
    return digest


def save_file(directory, content, extension):
    """Store an image under its hash, with a JPEG thumbnail; return the hash."""
    digest = store(directory, content, extension)
    thumb = thumb_path(directory, digest)
    if not thumb.exists():
        thumb.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(io.BytesIO(content)) as image:
            # Phones store the camera's rotation in EXIF; apply it so thumbnails stand upright.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail(THUMB_SIZE)
            upright.convert("RGB").save(thumb, "JPEG", quality=80)
    return digest


def thumb_path(directory, digest):
    return Path(directory) / "thumbs" / f"{digest}.jpg"


def file_path(directory, row):
    return stored_path(directory, row["sha256"], FORMATS_BY_MIME[row["mime"]])


FORMATS_BY_MIME = {mime: extension for mime, extension in FORMATS.values()}


def attach(db, scope, site_id, directory, submission_uuid, field, content, limit=DEFAULT_MAX_BYTES):
    """Check a photo and link it to a submission the scope holds; return (row, created)."""
    from ..formspec import registry

    if not isinstance(submission_uuid, str) or not UUID.match(submission_uuid.strip().lower()):
        raise Rejected({"submission_uuid": MESSAGES["submission"]})
    submission_uuid = submission_uuid.strip().lower()
    found = list(scope.rows(db["submissions"], "uuid = ?", [submission_uuid], limit=1))
    if not found:
        raise Rejected({"submission_uuid": MESSAGES["submission"]})
    submission = found[0]
    definition = registry().get(db, submission["form_id"], submission["form_version"])
    photo_fields = [f["name"] for f in definition.fields if field_type(f).upload]
    field = field or (photo_fields[0] if photo_fields else None)
    if field not in photo_fields:
        raise Rejected({"field": MESSAGES["field"]})
    mime, extension, width, height = inspect(content, limit)
    digest = hashlib.sha256(content).hexdigest()
    existing = list(db["media"].rows_where("submission_uuid = ? AND sha256 = ?", [submission_uuid, digest], limit=1))
    if existing:
        return existing[0], False
    save_file(directory, content, extension)
    row = {
        "uuid": new_uuid(),
        "origin_site": site_id,
        "sha256": digest,
        "submission_uuid": submission_uuid,
        "field": field,
        "commune_code": submission["commune_code"],
        "mime": mime,
        "width": width,
        "height": height,
        "bytes": len(content),
        "uploaded_at": audit.utc_now(),
        "uploaded_by": scope.username,
    }
    with db.atomic():
        db["media"].insert(row)
        audit.record(
            db,
            scope,
            "media.attach",
            "media",
            row["uuid"],
            row["commune_code"],
            {"submission": submission_uuid, "sha256": digest},
        )
    return row, True


def for_record(db, scope, version_uuids):
    """Photos linked to any version of a record."""
    if not version_uuids:
        return []
    marks = ", ".join("?" for _ in version_uuids)
    return list(scope.rows(db["media"], f"submission_uuid IN ({marks})", list(version_uuids), order_by="id"))


def as_api_item(row):
    return {
        "uuid": row["uuid"],
        "sha256": row["sha256"],
        "submission_uuid": row["submission_uuid"],
        "field": row["field"],
        "mime": row["mime"],
        "width": row["width"],
        "height": row["height"],
        "bytes": row["bytes"],
        "url": f"/media/{row['sha256']}",
        "thumb_url": f"/media/{row['sha256']}/thumb",
    }
