"""Files for the upload tests, made in memory: photos with EXIF, videos of a chosen length, bombs."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib


def jpeg(width: int = 3000, height: int = 2000, taken: str | None = "2026:11:30 10:15:00", gps: bool = True) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "CameraApp 1.0"  # Software
    if taken:
        exif.get_ifd(0x8769)[36867] = taken  # DateTimeOriginal
    if gps:
        exif.get_ifd(0x8825)[1] = "N"  # GPSLatitudeRef
        exif.get_ifd(0x8825)[2] = (23.0, 15.0, 36.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    """A PNG that does not compress (random pixels): about 3 bytes a pixel."""
    from PIL import Image

    rnd = random.Random(19)
    image = Image.frombytes("RGB", (width, height), rnd.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def huge_pixel_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A few hundred bytes that announce a 3.6-gigapixel image: the compressed rows of a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width * 3) * 4, 9)  # only the first rows: the header is what counts
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def zip_bomb() -> bytes:
    """100 MB of zeros deflated into a zip of about 100 KB (a bomb, given the name of a photo by the test)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.bin", "w") as member:
            block = b"\x00" * (1 << 20)
            for _ in range(100):
                member.write(block)
    return out.getvalue()


def _box(name: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + name + body


def mp4(seconds: float, *, version: int = 0, padding: int = 2048) -> bytes:
    """An MP4 with an ``mvhd`` box saying ``seconds`` long (the media data is filler)."""
    timescale = 1000
    duration = int(seconds * timescale)
    if version == 1:
        mvhd = bytes([1, 0, 0, 0]) + struct.pack(">QQIQ", 0, 0, timescale, duration) + b"\x00" * 80
    else:
        mvhd = bytes([0, 0, 0, 0]) + struct.pack(">IIII", 0, 0, timescale, duration) + b"\x00" * 80
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
    return ftyp + _box(b"mdat", b"\x00" * padding) + _box(b"moov", _box(b"mvhd", mvhd))


def _ebml(element_id: int, body: bytes) -> bytes:
    ident = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return ident + bytes([0x01]) + len(body).to_bytes(7, "big") + body  # an 8-byte size


def webm(seconds: float) -> bytes:
    """A WebM whose Segment/Info says ``seconds`` long (TimecodeScale 1 ms)."""
    header = _ebml(0x1A45DFA3, _ebml(0x4282, b"webm"))
    info = _ebml(0x1549A966, _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")) +
                 _ebml(0x4489, struct.pack(">d", seconds * 1000)))
    return header + _ebml(0x18538067, info + _ebml(0x1F43B675, b"\x00" * 512))


SECRETS = (b"Rally at Biaora", b"Ramesh Kumar", b"+23.6599+077.0813/", b"xmp:CreatorTool", b"GalaxyA05")


def mp4_with_tags(seconds: float = 12) -> bytes:
    """An MP4 as a phone writes it (moov before mdat, so ``stco`` points past moov) carrying a title, an author
    and the place (``udta`` with ``©nam``/``©ART``/``©xyz``, an iTunes ``meta``/``ilst``, a track's ``udta``)
    and a top-level XMP ``uuid`` box: every one of them holds one of :data:`SECRETS`."""
    timescale = 1000
    mvhd = bytes([0, 0, 0, 0]) + struct.pack(">IIII", 3_700_000_000, 3_700_000_000, timescale,
                                             int(seconds * timescale)) + b"\x00" * 80
    udta = _box(b"udta", _box(b"\xa9nam", b"\x00\x0f\x00\x00" + SECRETS[0]) + _box(b"\xa9ART", SECRETS[1]) +
                _box(b"\xa9xyz", b"\x00\x12\x15\xc7" + SECRETS[2]))
    ilst = _box(b"ilst", _box(b"\xa9too", _box(b"data", b"\x00\x00\x00\x01\x00\x00\x00\x00" + SECRETS[4])))
    meta = _box(b"meta", b"\x00\x00\x00\x00" + _box(b"hdlr", b"\x00" * 8 + b"mdir" + b"\x00" * 13) + ilst)
    media = b"\x00\x00\x00\x01" + b"\x42" * 4000  # "frames"
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")

    def build(offset: int) -> bytes:
        stco = _box(b"stco", b"\x00\x00\x00\x00" + struct.pack(">II", 1, offset))
        trak = _box(b"trak", _box(b"tkhd", b"\x00" * 84) +
                    _box(b"mdia", _box(b"minf", _box(b"stbl", stco))) + _box(b"udta", _box(b"\xa9nam", SECRETS[0])))
        return _box(b"moov", _box(b"mvhd", mvhd) + trak + udta + meta)

    xmp = _box(b"uuid", bytes.fromhex("be7acfcb97a942e89c71999491e3afac") + b"<x:xmpmeta " + SECRETS[3] + b"/>")
    moov = build(0)
    offset = len(ftyp) + len(moov) + len(xmp) + 8
    return ftyp + build(offset) + xmp + _box(b"mdat", media)


def webm_with_tags(seconds: float = 12) -> bytes:
    """A WebM with a ``Title`` in its Info and a ``Tags`` element (title, artist, place), holding :data:`SECRETS`."""
    header = _ebml(0x1A45DFA3, _ebml(0x4282, b"webm"))
    info = _ebml(0x1549A966, _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")) +
                 _ebml(0x4489, struct.pack(">d", seconds * 1000)) + _ebml(0x7BA9, SECRETS[0]))

    def simple(name: bytes, value: bytes) -> bytes:
        return _ebml(0x67C8, _ebml(0x45A3, name) + _ebml(0x4487, value))

    tags = _ebml(0x1254C367, _ebml(0x7373, simple(b"ARTIST", SECRETS[1]) + simple(b"LOCATION", SECRETS[2]) +
                                   simple(b"ENCODER", SECRETS[4]) + simple(b"COMMENT", SECRETS[3])))
    return header + _ebml(0x18538067, info + tags + _ebml(0x1F43B675, b"\x00" * 512))
