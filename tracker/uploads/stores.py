"""Where the bytes of uploaded files live: one interface, two stores, the same code path for both.

* :class:`LocalStore` (the default): files under ``UPLOADS_DIR`` (``instance/uploads/``), one file per key.
* :class:`S3Store`: an S3-compatible object store through its API (boto3), used when ``UPLOADS_S3_BUCKET``
  is set (``TRACKER_UPLOADS_S3_BUCKET`` in the environment), with ``UPLOADS_S3_ENDPOINT`` (for a store
  other than Amazon's), ``UPLOADS_S3_ACCESS_KEY``, ``UPLOADS_S3_SECRET_KEY`` and ``UPLOADS_S3_REGION``.

Keys are made by :func:`tracker.uploads.models.new_key` (URL-safe base64), never from a user's input.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from flask import current_app

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class Store(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def keys(self) -> list[str]: ...


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError(f"not a stored file's key: {key!r}")
    return key


class LocalStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{key}.part"
        tmp.write_bytes(data)
        os.replace(tmp, self._path(key))

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if KEY.match(p.name))


class S3Store:
    def __init__(self, bucket: str, *, endpoint: str | None = None, access_key: str | None = None,
                 secret_key: str | None = None, region: str | None = None):
        import boto3

        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint or None, aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None, region_name=region or "us-east-1",
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=_checked(key), Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=_checked(key))["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_checked(key))

    def keys(self) -> list[str]:
        found: list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            found += [item["Key"] for item in page.get("Contents", [])]
        return sorted(found)


_S3_CLIENTS: dict[tuple, S3Store] = {}


def current_store() -> Store:
    """The store the app's settings name (a client per S3 setting, made once)."""
    cfg = current_app.config
    bucket = cfg.get("UPLOADS_S3_BUCKET")
    if bucket:
        settings = (bucket, cfg.get("UPLOADS_S3_ENDPOINT"), cfg.get("UPLOADS_S3_ACCESS_KEY"),
                    cfg.get("UPLOADS_S3_SECRET_KEY"), cfg.get("UPLOADS_S3_REGION"))
        store = _S3_CLIENTS.get(settings)
        if store is None:
            store = _S3_CLIENTS[settings] = S3Store(bucket, endpoint=settings[1], access_key=settings[2],
                                                     secret_key=settings[3], region=settings[4])
        return store
    return LocalStore(cfg.get("UPLOADS_DIR") or Path(current_app.instance_path) / "uploads")
