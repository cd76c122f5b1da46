"""Photos of posted posters: checked as real JPEG/PNG images, stored under their SHA-256 name."""

import hashlib
import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class PhotoError(ValueError):
    """The upload is not a photo fieldkit accepts."""


def photo_dir(instance_path):
    return Path(instance_path) / "media" / "posters"


def store_photo(instance_path, data):
    """Check the bytes are a JPEG, PNG or WebP image of sane size; store them; return the file name."""
    if not data:
        return None
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise PhotoError("not_an_image") from error
    if kind not in FORMATS:
        raise PhotoError("not_an_image")
    name = f"{hashlib.sha256(data).hexdigest()}.{FORMATS[kind]}"
    folder = photo_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    return name
