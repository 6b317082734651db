"""The upload tests run against each store: the local folder and an S3-compatible server (moto's server
mode) that the tests start on the loopback."""

from __future__ import annotations

import itertools

import pytest

from tracker.uploads.stores import current_store

_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _use_s3(app, endpoint: str) -> None:
    import boto3

    bucket = f"tracker-test-{next(_buckets)}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                 region_name="us-east-1").create_bucket(Bucket=bucket)
    app.config.update(UPLOADS_S3_BUCKET=bucket, UPLOADS_S3_ENDPOINT=endpoint, UPLOADS_S3_ACCESS_KEY="test",
                      UPLOADS_S3_SECRET_KEY="test", UPLOADS_S3_REGION="us-east-1")


@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path):
    """The store of this run of the test (the app's settings point at it), empty."""
    keys = ("UPLOADS_DIR", "UPLOADS_S3_BUCKET", "UPLOADS_S3_ENDPOINT", "UPLOADS_S3_ACCESS_KEY",
            "UPLOADS_S3_SECRET_KEY", "UPLOADS_S3_REGION")
    saved = {key: app.config.get(key) for key in keys}
    if request.param == "local":
        app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    else:
        _use_s3(app, request.getfixturevalue("s3_server"))
    try:
        yield current_store()
    finally:
        app.config.update(saved)


@pytest.fixture(autouse=True)
def _english():
    """Refusals are read in English here (the Hindi test asks for Hindi itself)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield
