"""The server's checks of an uploaded file, made on its bytes (never on its name or declared type).

* The type is read from the first bytes: JPEG, PNG, WebP and GIF images; MP4 (and QuickTime/3GP, the
  same boxes) and WebM videos. Anything else (a zip, a PDF, a script renamed ``.jpg``) is refused.
* An image's dimensions are read from its header before any pixel is decoded: over
  ``UPLOADS_MAX_IMAGE_PIXELS`` it is refused (a decompression bomb: a small PNG of 50,000 × 50,000
  pixels). Pillow's own bomb guard is raised to an error too. The image is then decoded, turned upright
  from its EXIF orientation, shrunk to ``UPLOADS_IMAGE_MAX_EDGE`` pixels on its longer edge and written
  anew as a JPEG with no metadata at all; the time the photo was taken is read from EXIF first and kept
  in the database (``taken_at``), the place is not kept.
* A video's length is read from its container: MP4's ``mvhd`` box (timescale and duration), WebM's
  ``Segment/Info/Duration``. Over ``UPLOADS_MAX_VIDEO_SECONDS``, or with no length to read, it is refused.
  Videos are not re-encoded, but their metadata is blanked before they are stored (:func:`strip_video`):
  in an MP4 the ``udta`` and ``meta`` boxes (title, author, the place as ``©xyz``, iTunes ``ilst``) of the
  file, of ``moov`` and of each ``trak``, and the top-level ``uuid`` boxes (XMP), become ``free`` boxes of the
  same size filled with zeros; in a WebM the ``Tags`` element and ``Info``'s ``Title`` become ``Void``
  elements of the same size. Nothing moves, so the sample offsets (``stco``/``co64``, cues) still point at
  the same bytes and the file plays as before; the time (``mvhd``'s creation time) is kept.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from tracker.core.errors import DomainError
from tracker.i18n import _
from tracker.uploads.models import IMAGE, VIDEO


class UploadRefused(DomainError):
    """The file was refused; nothing was stored."""


@dataclass
class Checked:
    kind: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    taken_at: datetime | None = None


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) of a file from its first bytes, or None when it is none of the accepted types."""
    if head.startswith(b"\xff\xd8\xff"):
        return IMAGE, "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return IMAGE, "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return IMAGE, "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return IMAGE, "image/gif"
    if head[4:8] == b"ftyp":
        return VIDEO, "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return VIDEO, "video/webm"
    return None


def _mb(name: str) -> int:
    return int(current_app.config[name]) * 1024 * 1024


def check(data: bytes) -> Checked:
    """The file as it will be stored, or :class:`UploadRefused` with the reason."""
    if not data:
        raise UploadRefused(_("The file is empty."))
    found = sniff(data[:16])
    if found is None:
        raise UploadRefused(_("This file is not a photo (JPEG, PNG, WebP) or a video (MP4, WebM)."))
    kind, content_type = found
    if kind == IMAGE:
        if len(data) > _mb("UPLOADS_MAX_IMAGE_MB"):
            raise UploadRefused(_("The photo is larger than %(mb)d MB.", mb=current_app.config["UPLOADS_MAX_IMAGE_MB"]))
        return _image(data)
    if len(data) > _mb("UPLOADS_MAX_VIDEO_MB"):
        raise UploadRefused(_("The video is larger than %(mb)d MB.", mb=current_app.config["UPLOADS_MAX_VIDEO_MB"]))
    seconds = mp4_duration(data) if content_type == "video/mp4" else webm_duration(data)
    if seconds is None:
        raise UploadRefused(_("The length of this video cannot be read."))
    limit = int(current_app.config["UPLOADS_MAX_VIDEO_SECONDS"])
    if seconds > limit:
        raise UploadRefused(_("The video is longer than %(seconds)d seconds.", seconds=limit))
    return Checked(VIDEO, content_type, strip_video(data, content_type), duration_seconds=round(seconds, 2))


# --- images ----------------------------------------------------------------------------------------

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
DATETIME = 306


def _unreadable() -> UploadRefused:
    return UploadRefused(_("This photo cannot be read."))


def _image(data: bytes) -> Checked:
    from PIL import Image, ImageOps

    max_pixels = int(current_app.config["UPLOADS_MAX_IMAGE_PIXELS"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            width, height = image.size
            if width * height > max_pixels or width <= 0 or height <= 0:
                raise UploadRefused(_("The photo has too many pixels."))
            taken_at = _taken_at(image)
            image.load()
            image = ImageOps.exif_transpose(image)
    except UploadRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise UploadRefused(_("The photo has too many pixels.")) from None
    except Exception:  # noqa: BLE001 - any decoder error: the file is not a readable image
        raise _unreadable() from None
    edge = int(current_app.config["UPLOADS_IMAGE_MAX_EDGE"])
    image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)  # no exif= argument: every metadata block is left out
    return Checked(IMAGE, "image/jpeg", out.getvalue(), image.width, image.height, taken_at=taken_at)


def _taken_at(image) -> datetime | None:
    """When the photo was taken, from EXIF (camera time, read as the office's local time zone), or None."""
    try:
        exif = image.getexif()
        raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
        if not raw:
            return None
        local = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except Exception:  # noqa: BLE001 - a broken EXIF block only loses the time
        return None
    from tracker.timeutil import local_zone

    return local.replace(tzinfo=local_zone()).astimezone(UTC)


# --- videos ----------------------------------------------------------------------------------------

CONTAINERS = {b"moov", b"trak", b"mdia"}


def mp4_duration(data: bytes) -> float | None:
    """Seconds from the ``moov/mvhd`` box of an MP4 (ISO base media) file, or None."""
    moov = _find_box(data, 0, len(data), b"moov")
    if moov is None:
        return None
    mvhd = _find_box(data, moov[0], moov[1], b"mvhd")
    if mvhd is None:
        return None
    start, end = mvhd
    body = data[start:end]
    try:
        if body[0] == 1:
            timescale, duration = struct.unpack(">IQ", body[20:32])
        else:
            timescale, duration = struct.unpack(">II", body[12:20])
    except (struct.error, IndexError):
        return None
    if timescale == 0:
        return None
    return duration / timescale


def _find_box(data: bytes, start: int, end: int, wanted: bytes) -> tuple[int, int] | None:
    """(start, end) of the body of the first box named ``wanted`` among the boxes in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size, name = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                return None
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return None
        if name == wanted:
            return pos + header, pos + size
        pos += size
    return None


SEGMENT, INFO, TIMECODE_SCALE, DURATION = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int, int]:
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        length += 1
        mask >>= 1
    if length > 8:
        raise ValueError("bad EBML number")
    value = first if keep_marker else first & (mask - 1)
    for byte in data[pos + 1:pos + length]:
        value = (value << 8) | byte
    return value, pos + length


def webm_duration(data: bytes) -> float | None:
    """Seconds from a WebM (Matroska) file's ``Segment/Info/Duration``, or None."""
    try:
        pos = 0
        scale = 1_000_000
        end = len(data)
        while pos < end:
            element, pos = _vint(data, pos, True)
            size, pos = _vint(data, pos, False)
            if element in (SEGMENT, INFO):
                continue  # step into it
            if element == TIMECODE_SCALE:
                scale = int.from_bytes(data[pos:pos + size], "big")
            elif element == DURATION:
                fmt = ">f" if size == 4 else ">d"
                duration = struct.unpack(fmt, data[pos:pos + size])[0]
                return duration * scale / 1e9
            pos += size
    except (ValueError, IndexError, struct.error):
        return None
    return None


# --- video metadata --------------------------------------------------------------------------------

MP4_METADATA = {b"udta", b"meta"}
MP4_STEP_INTO = {b"moov", b"trak"}


def strip_video(data: bytes, content_type: str) -> bytes:
    """The video with its metadata blanked in place (same length, same offsets); see the module's doc."""
    out = bytearray(data)
    if content_type == "video/mp4":
        _blank_mp4(out, 0, len(out), top=True)
    else:
        _blank_webm(out)
    return bytes(out)


def _boxes(data, start: int, end: int):
    """(box start, header length, box end, name) of each box in data[start:end], stopping at a broken one."""
    pos = start
    while pos + 8 <= end:
        size, name = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield pos, header, pos + size, bytes(name)
        pos += size


def _blank_mp4(out: bytearray, start: int, end: int, top: bool) -> None:
    for pos, header, box_end, name in list(_boxes(out, start, end)):
        if name in MP4_METADATA or (top and name == b"uuid"):
            out[pos + 4:pos + 8] = b"free"
            out[pos + header:box_end] = bytes(box_end - pos - header)
        elif name in MP4_STEP_INTO:
            _blank_mp4(out, pos + header, box_end, top=False)


TAGS, TITLE, VOID = 0x1254C367, 0x7BA9, 0xEC


def _void(out: bytearray, start: int, end: int) -> None:
    """An EBML Void element over out[start:end] (at least 2 bytes)."""
    total = end - start
    if total - 2 <= 126:
        head = bytes([VOID, 0x80 | (total - 2)])
    else:
        head = bytes([VOID, 0x01]) + (total - 9).to_bytes(7, "big")
    out[start:end] = head + bytes(total - len(head))


def _blank_webm(out: bytearray) -> None:
    pos, end = 0, len(out)
    try:
        while pos < end:
            start = pos
            element, pos = _vint(out, pos, True)
            size, pos = _vint(out, pos, False)
            if element in (SEGMENT, INFO):
                continue  # step into it
            if element in (TAGS, TITLE) and pos + size <= end:
                _void(out, start, pos + size)
            pos += size
    except (ValueError, IndexError):
        return
