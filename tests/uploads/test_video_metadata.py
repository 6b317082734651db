"""Issue 19: "metadata other than time and place stripped before anyone else sees them" — for videos too. A video
carrying a title, an author, the place and XMP is stored without any of them, still reads as long as it is (the
duration check), keeps its length in bytes and its sample offsets (so it plays as before), and keeps its time."""

from __future__ import annotations

import struct

import pytest

from tests.uploads import samples
from tracker.uploads import operations as ops
from tracker.uploads.checks import _boxes, mp4_duration, sniff, strip_video, webm_duration


def _box_names(data: bytes, start: int = 0, end: int | None = None, prefix: str = "") -> list[str]:
    names = []
    for pos, header, box_end, name in _boxes(data, start, len(data) if end is None else end):
        names.append(prefix + name.decode("latin-1"))
        if name in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
            names += _box_names(data, pos + header, box_end, prefix + name.decode() + "/")
    return names


def _stco_offset(data: bytes) -> int:
    at = data.index(b"stco")
    return struct.unpack(">I", data[at + 12:at + 16])[0]


@pytest.mark.parametrize("make, content_type", [(samples.mp4_with_tags, "video/mp4"),
                                                (samples.webm_with_tags, "video/webm")], ids=["mp4", "webm"])
def test_a_stored_video_has_no_title_author_place_or_xmp(store, make, content_type):
    data = make(12)
    assert all(secret in data for secret in samples.SECRETS)
    stored = ops.store_upload(data, "rally." + content_type.split("/")[1])
    kept = store.get(stored.key)
    for secret in samples.SECRETS:
        assert secret not in kept, secret
    assert sniff(kept[:16]) == ("video", content_type)
    assert len(kept) == len(data)  # blanked in place: nothing moved
    duration = mp4_duration(kept) if content_type == "video/mp4" else webm_duration(kept)
    assert duration == pytest.approx(12)
    assert stored.duration_seconds == pytest.approx(12)
    # The result passes the checks again, unchanged (stripping twice changes nothing).
    assert ops.check(kept).data == kept


def test_the_mp4_keeps_its_boxes_offsets_media_and_time():
    data = samples.mp4_with_tags(12)
    clean = strip_video(data, "video/mp4")
    assert _box_names(data) == ["ftyp", "moov", "moov/mvhd", "moov/trak", "moov/trak/tkhd", "moov/trak/mdia",
                                "moov/trak/mdia/minf", "moov/trak/mdia/minf/stbl", "moov/trak/mdia/minf/stbl/stco",
                                "moov/trak/udta", "moov/udta", "moov/meta", "uuid", "mdat"]
    assert _box_names(clean) == ["ftyp", "moov", "moov/mvhd", "moov/trak", "moov/trak/tkhd", "moov/trak/mdia",
                                 "moov/trak/mdia/minf", "moov/trak/mdia/minf/stbl",
                                 "moov/trak/mdia/minf/stbl/stco", "moov/trak/free", "moov/free", "moov/free",
                                 "free", "mdat"]
    offset = _stco_offset(clean)
    assert offset == _stco_offset(data)
    assert clean[offset:offset + 8] == b"\x00\x00\x00\x01\x42\x42\x42\x42"  # the chunk offset still finds the media
    mvhd = clean.index(b"mvhd")
    assert clean[mvhd:mvhd + 32] == data[mvhd:mvhd + 32]  # creation time, timescale, duration kept


def test_the_webm_tags_and_title_become_void_elements():
    data = samples.webm_with_tags(12)
    clean = strip_video(data, "video/webm")
    assert b"\x12\x54\xc3\x67" not in clean and b"\x7b\xa9" not in clean
    assert clean.count(b"\xec") >= 2
    assert webm_duration(clean) == pytest.approx(12)
    assert clean.endswith(b"\x1f\x43\xb6\x75" + bytes([0x01]) + (512).to_bytes(7, "big") + b"\x00" * 512)


def test_a_video_without_metadata_is_stored_as_sent(store):
    data = samples.mp4(10)
    assert store.get(ops.store_upload(data, "plain.mp4").key) == data
