"""Static files and response compression, for cheap phones on slow lines.

* Every ``url_for('static', filename=...)`` carries the file's content hash (``?v=1a2b3c4d5e``), computed once
  when the app starts (again after a change only in debug mode). A request with the current hash is answered
  with ``Cache-Control: public, max-age=31536000, immutable``, so a repeat visit asks for no static file; a
  request without it (or with an old hash) gets a short cache life.
* Relative ``url(...)`` references inside our CSS (the fonts in ``css/fonts.css``) are rewritten to carry
  the referenced file's hash too, and the CSS file's own hash covers the rewritten text.
* Text files (CSS, JS, SVG, JSON) are compressed once per process (brotli when the browser accepts it and
  the ``brotli`` module is installed, else gzip) and kept in memory; fonts (woff2) are compressed already.
* Pages and API responses (HTML, JSON, ...) are compressed by Flask-Compress.

Use ``static_version(filename)`` where a hash is needed outside ``url_for``.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import posixpath
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, abort, current_app, request
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

try:  # installed with Flask-Compress; gzip is the fallback
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
COMPRESSIBLE = frozenset({
    "text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json",
    "text/plain", "text/html", "application/xml", "text/xml",
})
# What Flask-Compress compresses (dynamic responses: pages, fragments, API, calendar files).
COMPRESS_MIMETYPES = [
    "text/html", "text/css", "text/xml", "application/xml", "application/json", "application/problem+json",
    "application/javascript", "text/javascript", "image/svg+xml", "text/plain", "text/calendar", "text/csv",
]
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_HASH_LEN = 10

mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")


@dataclass
class StaticFile:
    path: Path
    mtime_ns: int
    size: int
    body: bytes
    version: str
    mimetype: str
    encoded: dict[str, bytes] = field(default_factory=dict)

    @property
    def compressible(self) -> bool:
        return self.mimetype in COMPRESSIBLE and len(self.body) >= 256


class StaticFiles:
    """The files under one static folder, each with its content hash (and compressed forms, made on demand)."""

    def __init__(self, folder: str | os.PathLike, check_changes: bool = False):
        self.folder = Path(folder)
        self.check_changes = check_changes
        self._files: dict[str, StaticFile] = {}
        self._lock = threading.Lock()
        self.scan()

    def scan(self) -> None:
        """Read every file once: plain files first, then CSS (whose hash includes the files it names)."""
        names = sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())
        for name in sorted(names, key=lambda n: n.endswith(".css")):
            self._load(name)

    def get(self, filename: str) -> StaticFile | None:
        found = self._files.get(filename)
        if found is not None and not self.check_changes:
            return found
        path = safe_join(str(self.folder), filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if found is not None and (found.mtime_ns, found.size) == (stat.st_mtime_ns, stat.st_size):
            return found
        if not os.path.isfile(path):
            return None
        return self._load(filename)

    def version(self, filename: str) -> str | None:
        found = self.get(filename)
        return found.version if found is not None else None

    def encoded(self, item: StaticFile, encoding: str) -> bytes:
        body = item.encoded.get(encoding)
        if body is None:
            with self._lock:
                body = item.encoded.get(encoding)
                if body is None:
                    body = compress(item.body, encoding)
                    item.encoded[encoding] = body
        return body

    def _load(self, name: str) -> StaticFile:
        path = self.folder / name
        stat = path.stat()
        body = path.read_bytes()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if mimetype == "text/css":
            body = self._versioned_css(name, body)
        version = hashlib.sha256(body).hexdigest()[:_HASH_LEN]
        item = StaticFile(path, stat.st_mtime_ns, stat.st_size, body, version, mimetype)
        self._files[name] = item
        return item

    def _versioned_css(self, name: str, body: bytes) -> bytes:
        base = posixpath.dirname(name)

        def add_version(match: re.Match) -> str:
            quote, target = match.group(1), match.group(2)
            if ":" in target or target.startswith(("/", "#")) or "?" in target:
                return match.group(0)
            version = self.version(posixpath.normpath(posixpath.join(base, target)))
            if version is None:
                return match.group(0)
            return f"url({quote}{target}?v={version}{quote})"

        return _CSS_URL.sub(add_version, body.decode("utf-8")).encode("utf-8")


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br" and brotli is not None:
        return brotli.compress(body, quality=11)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=9, mtime=0)
    raise ValueError(encoding)


def _choose_encoding(item: StaticFile) -> str | None:
    if not item.compressible:
        return None
    accepted = request.accept_encodings
    if brotli is not None and accepted["br"]:
        return "br"
    if accepted["gzip"]:
        return "gzip"
    return None


def serve_static(filename: str):
    """The ``static`` endpoint: the file from memory, compressed, with a long cache life when versioned."""
    files: StaticFiles = current_app.extensions["tracker_static"]
    item = files.get(filename)
    if item is None:
        abort(404)
    encoding = _choose_encoding(item)
    body = files.encoded(item, encoding) if encoding else item.body
    response = Response(body, mimetype=item.mimetype)
    if item.mimetype.startswith("text/") or item.mimetype in ("application/javascript", "image/svg+xml"):
        response.charset = "utf-8"
        response.headers["Content-Type"] = f"{item.mimetype}; charset=utf-8"
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if item.compressible:
        response.vary.add("Accept-Encoding")
    versioned = request.args.get("v") == item.version
    response.headers["Cache-Control"] = LONG_CACHE if versioned else SHORT_CACHE
    response.set_etag(f"{item.version}-{encoding or 'identity'}")
    return response.make_conditional(request)


def static_version(filename: str) -> str | None:
    """The content hash that ``url_for('static', filename=...)`` puts in the URL (None for a missing file)."""
    return current_app.extensions["tracker_static"].version(filename)


def _add_static_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def init_app(app: Flask) -> None:
    from flask_compress import Compress

    app.extensions["tracker_static"] = StaticFiles(app.static_folder, check_changes=app.debug)
    app.view_functions["static"] = serve_static
    app.url_defaults(_add_static_version)

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)  # file downloads stream as they are
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    Compress(app)
