"""The WebM reader: length from the header, or from the blocks' times as browsers' MediaRecorder writes it."""

import struct

import pytest

from fieldkit.explainer import audio, webm
from fieldkit.submissions.media import Rejected

UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"


def element(ident, payload):
    return ident + b"\x01" + len(payload).to_bytes(7, "big") + payload


def make_webm(tracks, clusters, duration_ms=None):
    """A WebM file as MediaRecorder lays it out: segment and clusters of unknown size, Opus frames of 20 ms."""
    info = element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
    if duration_ms is not None:
        info += element(b"\x44\x89", struct.pack(">d", duration_ms))
    entries = b"".join(
        element(b"\xae", element(b"\x83", bytes([kind])) + element(b"\x86", codec.encode())) for kind, codec in tracks
    )
    body = b""
    for start_ms, length_ms in clusters:
        blocks = b"".join(
            element(b"\xa3", b"\x81" + struct.pack(">h", offset) + b"\x80" + bytes(30))
            for offset in range(0, length_ms, 20)
        )
        body += b"\x1f\x43\xb6\x75" + UNKNOWN_SIZE + element(b"\xe7", start_ms.to_bytes(4, "big")) + blocks
    return (
        element(b"\x1a\x45\xdf\xa3", element(b"\x42\x82", b"webm"))
        + b"\x18\x53\x80\x67"
        + UNKNOWN_SIZE
        + element(b"\x15\x49\xa9\x66", info)
        + element(b"\x16\x54\xae\x6b", entries)
        + body
    )


def test_length_comes_from_the_last_block_when_the_header_has_none():
    data = make_webm([(2, "A_OPUS")], [(0, 1000), (1000, 1000), (2000, 1500)])
    assert webm.read(data) == {"doctype": "webm", "tracks": [(2, "A_OPUS")], "seconds": 3.48}
    assert audio.inspect(data, 1 << 20, 60) == ("audio/webm", "webm", 3.48)


def test_length_from_the_header_when_it_is_there():
    data = make_webm([(2, "A_VORBIS")], [(0, 1000)], duration_ms=5250.0)
    assert webm.read(data)["seconds"] == 5.25


def test_a_recording_cut_short_keeps_what_was_read():
    data = make_webm([(2, "A_OPUS")], [(0, 1000), (1000, 1000)])
    assert 1.5 < webm.read(data[:-20])["seconds"] < 2


@pytest.mark.parametrize("tracks", [[(1, "V_VP8"), (2, "A_OPUS")], [(2, "A_AAC")], []])
def test_video_or_other_codecs_are_refused(tracks):
    with pytest.raises(Rejected):
        audio.inspect(make_webm(tracks, [(0, 2000)]), 1 << 20, 60)
