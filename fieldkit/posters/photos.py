"""Photos of posted posters: checked and stored by the same media store as record photos."""

from pathlib import Path

from ..submissions.media import Rejected, inspect, save_file

MAX_BYTES = 8 * 1024 * 1024


class PhotoError(ValueError):
    """The upload is not a photo fieldkit accepts."""


def photo_dir(instance_path):
    return Path(instance_path) / "media" / "posters"


def store_photo(instance_path, data):
    """Check the bytes are a JPEG, PNG or WebP image of sane size; store them; return their path name."""
    if not data:
        return None
    try:
        _, extension, _, _ = inspect(data, MAX_BYTES)
    except Rejected as error:
        raise PhotoError("too_large" if len(data) > MAX_BYTES else "not_an_image") from error
    digest = save_file(photo_dir(instance_path), data, extension)
    return f"{digest[:2]}/{digest}.{extension}"
