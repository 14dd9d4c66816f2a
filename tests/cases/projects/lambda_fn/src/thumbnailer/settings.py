import os

BUCKET = os.environ.get("THUMBNAIL_BUCKET", "thumbnails")
DEFAULT_SIZE = os.environ.get("THUMBNAIL_SIZE", "256x256")
CONVERT = os.environ.get("CONVERT_BIN", "/opt/bin/convert")
