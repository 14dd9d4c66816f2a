"""Command line: ``pluginhost NAME`` installs and runs a plugin from the index."""
import sys

from .index import plugin_source
from .sandbox import run_builtin, run_plugin


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if not args:
        run_builtin("hello")
        return 0
    run_plugin(args[0], plugin_source(args[0]))
    return 0
