"""Photos of posted posters from before the poster form recorded them (kept readable at /posters/photo/)."""

from pathlib import Path


def photo_dir(instance_path):
    return Path(instance_path) / "media" / "posters"
