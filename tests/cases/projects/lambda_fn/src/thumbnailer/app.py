"""Lambda entry point (template.yaml: Handler thumbnailer.app.lambda_handler)."""
from __future__ import annotations

import json
import logging

from . import imaging, storage

log = logging.getLogger()
log.setLevel(logging.INFO)


def _response(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def lambda_handler(event, context):
    body = json.loads(event.get("body") or "{}")
    key = body["key"]
    size = body.get("size", "256x256")
    log.info("request %s for %s", context.aws_request_id, key)
    src = storage.download(key)
    dst = src + ".thumb.png"
    imaging.strip_metadata(src)
    if "scale" in body:
        factor = imaging.scale_factor(body["scale"])
        size = f"{int(256 * factor)}x{int(256 * factor)}"
    imaging.resize(src, dst, size)
    storage.upload(dst, f"thumbs/{key}.png")
    return _response(200, {"thumbnail": f"thumbs/{key}.png"})


def warmup(event, context):
    """Scheduled ping: ignores its event."""
    return _response(200, {"warm": True})
