"""Code hidden in an image (steganography), read back and run."""
import urllib.request

from stegano import lsb
from steganography.steganography import Steganography


def bundled_image():
    exec(lsb.reveal("assets/logo.png"))  # expect: RCE005


def downloaded_image(url):
    urllib.request.urlretrieve(url, "/tmp/cat.png")
    exec(Steganography.decode("/tmp/cat.png"))  # expect: RCE001
