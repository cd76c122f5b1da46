"""The tracks and length of a WebM (Matroska) audio file, read from its elements, without ffmpeg.

Browsers' MediaRecorder writes WebM with no Duration and with clusters of unknown size, so the
length is taken from the last block's time when the header does not give it.
"""

import struct

EBML = 0x1A45DFA3
DOCTYPE = 0x4282
SEGMENT = 0x18538067
INFO = 0x1549A966
TIMECODE_SCALE = 0x2AD7B1
DURATION = 0x4489
TRACKS = 0x1654AE6B
TRACK_ENTRY = 0xAE
TRACK_TYPE = 0x83
CODEC_ID = 0x86
CLUSTER = 0x1F43B675
CLUSTER_TIMECODE = 0xE7
BLOCK_GROUP = 0xA0
BLOCK = 0xA1
SIMPLE_BLOCK = 0xA3
# Read as a flat stream: children of these follow their header, so unknown sizes need no bookkeeping.
CONTAINERS = {EBML, SEGMENT, INFO, TRACKS, TRACK_ENTRY, CLUSTER, BLOCK_GROUP}
AUDIO_TRACK = 2


class NotWebm(ValueError):
    """The bytes are not a WebM file fieldkit can read."""


def _vint(data, pos, keep_marker=False):
    """A variable-length integer at `pos`: (value, next position, unknown size?)."""
    if pos >= len(data) or data[pos] == 0:
        raise NotWebm("bad variable-length integer")
    first = data[pos]
    length = 9 - first.bit_length()
    end = pos + length
    if end > len(data):
        raise NotWebm("truncated")
    value = first if keep_marker else first & ((1 << (8 - length)) - 1)
    for byte in data[pos + 1 : end]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, end, unknown


def _uint(payload):
    return int.from_bytes(payload, "big") if payload else 0


def read(data):
    """{"doctype", "tracks": [(type, codec)], "seconds"} of a WebM file; raise NotWebm otherwise."""
    if data[:4] != b"\x1a\x45\xdf\xa3":
        raise NotWebm("no EBML header")
    doctype, scale, duration = "", 1_000_000, None
    tracks, track_type, codec = [], None, ""
    cluster_time, last_time = 0, 0
    pos = 0
    while pos < len(data):
        try:
            element, pos, _ = _vint(data, pos, keep_marker=True)
            size, pos, unknown = _vint(data, pos)
        except NotWebm:
            break  # a recording cut short keeps what was read so far
        if element == TRACK_ENTRY:
            if track_type is not None:
                tracks.append((track_type, codec))
            track_type, codec = 0, ""
        if element in CONTAINERS:
            continue
        if unknown:
            raise NotWebm("unknown size on a leaf element")
        payload = data[pos : pos + size]
        pos += size
        if element == DOCTYPE:
            doctype = payload.decode("ascii", "replace").rstrip("\0")
        elif element == TIMECODE_SCALE:
            scale = _uint(payload) or scale
        elif element == DURATION and size in (4, 8):
            duration = struct.unpack(">f" if size == 4 else ">d", payload)[0]
        elif element == TRACK_TYPE:
            track_type = _uint(payload)
        elif element == CODEC_ID:
            codec = payload.decode("ascii", "replace").rstrip("\0")
        elif element == CLUSTER_TIMECODE:
            cluster_time = _uint(payload)
        elif element in (SIMPLE_BLOCK, BLOCK) and len(payload) >= 4:
            _, offset, _ = _vint(payload, 0)
            relative = struct.unpack(">h", payload[offset : offset + 2])[0]
            last_time = max(last_time, cluster_time + relative)
    if track_type is not None:
        tracks.append((track_type, codec))
    if doctype not in ("webm", "matroska"):
        raise NotWebm("not a WebM document")
    ticks = duration if duration else last_time
    return {"doctype": doctype, "tracks": tracks, "seconds": ticks * scale / 1e9}
