import os

from setuptools import setup

here = os.path.abspath(os.path.dirname(__file__))
about = {}
with open(os.path.join(here, "pkg", "__version__.py")) as f:
    exec(f.read(), about)
exec(open("version.py").read(), about)

setup(name="pkg", version=about.get("__version__", "0"))
