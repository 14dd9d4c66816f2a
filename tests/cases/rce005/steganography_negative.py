"""Messages read from images that are only shown."""
from stegano import lsb


def show(path):
    print(lsb.reveal(path))


def hide(path, text):
    return lsb.hide(path, text)
