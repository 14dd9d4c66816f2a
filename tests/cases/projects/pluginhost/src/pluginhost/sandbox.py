"""Runs plugin code in a fresh namespace (not a real sandbox)."""
import types


def run_plugin(name, source):
    module = types.ModuleType(f"pluginhost.plugins.{name}")
    code = compile(source, f"<plugin {name}>", "exec")
    exec(code, module.__dict__)  # expect: RCE001
    return module


def run_builtin(name):
    return run_plugin(name, f"NAME = {name!r}\n")
