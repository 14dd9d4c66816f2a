"""S3 helpers."""
from __future__ import annotations

import os
import tempfile

import boto3

from .settings import BUCKET

_s3 = boto3.client("s3")


def download(key: str) -> str:
    fd, path = tempfile.mkstemp(suffix=os.path.splitext(key)[1])
    os.close(fd)
    _s3.download_file(BUCKET, key, path)
    return path


def upload(path: str, key: str) -> None:
    _s3.upload_file(path, BUCKET, key)
