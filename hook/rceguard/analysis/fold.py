"""Constant folding for name indirection and encoded payloads.

The flow analyser knows *that* a value is a constant; this module computes *which* constant,
for the few places where the text matters:

* the attribute or name a lookup asks for: ``getattr(builtins, "ex" + "ec")``,
  ``builtins.__dict__["".join(["e", "val"])]``, ``vars(builtins)["cexe"[::-1]]``,
  ``globals().get("%s%s" % ("ex", "ec"))``, ``__builtins__[chr(101) + ...]``;
* the module an import call returns: ``__import__("urllib.request").request``,
  ``importlib.import_module(bytes.fromhex("6f73").decode())``;
* the codec of ``codecs.decode(x, "BASE-64")`` (normalised the way :func:`codecs.lookup` does);
* the decoded text of an encoded payload, to say in a finding whether it fetches more code.

Folding evaluates only pure operations of the standard library on constants of the scanned
file (string building, slicing, ``chr``, ``str.format`` without padding, base64/hex/rot13,
bounded decompression); it never imports or runs scanned code, never calls ``marshal.loads``
or a cipher, and gives up (:data:`UNKNOWN`) on anything it does not know or that grows past
:data:`MAX_LEN`.
"""
from __future__ import annotations

import ast
import base64
import binascii
import bz2
import codecs
import lzma
import re
import string
import zlib
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Tuple
from weakref import WeakKeyDictionary

from ..knowledge import propagators as P
from .values import Value

if TYPE_CHECKING:  # pragma: no cover
    from .flow import FunctionAnalyzer
    from .state import Env


class _Unknown:
    """The folder does not know this value."""

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover
        return "UNKNOWN"


UNKNOWN = _Unknown()
MAX_LEN = 1 << 16  # characters / bytes / items of any folded value
MAX_DEPTH = 32
MAX_INT = 1 << 32
_FOLDABLE = (str, bytes, int, tuple, list)


def _ok(v: object) -> object:
    """``v`` when it is a foldable value of a sane size, else UNKNOWN."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v if -MAX_INT < v < MAX_INT else UNKNOWN
    if isinstance(v, (str, bytes, bytearray)):
        return bytes(v) if isinstance(v, bytearray) else v if len(v) <= MAX_LEN else UNKNOWN
    if isinstance(v, (tuple, list)):
        if len(v) > MAX_LEN or any(x is UNKNOWN for x in v):
            return UNKNOWN
        return tuple(v)
    return UNKNOWN


# ------------------------------------------------------------------------------ codecs
def codec_of(name: object) -> str:
    """The canonical name of a bytes-to-bytes / text transform codec (``"base64"``, ``"hex"``,
    ``"rot-13"``, ``"zlib"`` ...) for any spelling :func:`codecs.lookup` accepts
    (``"BASE-64"``, ``"base_64"``, ``"hex_codec"``, ``"rot13"``); "" for text encodings and
    unknown names."""
    if isinstance(name, bytes):
        try:
            name = name.decode("ascii")
        except UnicodeDecodeError:
            return ""
    if not isinstance(name, str) or not name or len(name) > 64:
        return ""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return ""
    canon = info.name.replace("_", "-")
    return canon if canon in P.TRANSFORM_CODECS else ""


def _bounded(make: Callable[[], object], data: bytes) -> object:
    d = make()
    try:
        out = d.decompress(data, MAX_LEN + 1)  # type: ignore[attr-defined]
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):
        return UNKNOWN
    return out if len(out) <= MAX_LEN else UNKNOWN


def _decompress_with(kind: str) -> Callable[[bytes], object]:
    makers = {
        "zlib": lambda: zlib.decompressobj(),
        "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
        "bz2": lambda: bz2.BZ2Decompressor(),
        "lzma": lambda: lzma.LZMADecompressor(),
    }
    make = makers[kind]
    return lambda data: _bounded(make, data)


def _codec_decode(data: object, codec: str) -> object:
    canon = codec_of(codec)
    if canon in ("zlib", "bz2"):
        return _decompress_with(canon)(data) if isinstance(data, bytes) else UNKNOWN
    if canon:
        if canon == "rot-13" and not isinstance(data, str):
            return UNKNOWN
        try:
            return codecs.decode(data, canon)  # type: ignore[arg-type]
        except (ValueError, TypeError, LookupError, binascii.Error):
            return UNKNOWN
    if isinstance(data, bytes):  # a text encoding: utf-8 ...
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError, TypeError):
            return UNKNOWN
    return UNKNOWN


def _b(x: object) -> object:
    if isinstance(x, str):
        try:
            return x.encode("ascii")
        except UnicodeEncodeError:
            return UNKNOWN
    return x if isinstance(x, bytes) else UNKNOWN


# pure decoders of the standard library, by the implementation P.FOLD_DECODERS names
_IMPL: Dict[str, Callable[..., object]] = {
    "base64": lambda s, *a: base64.b64decode(_b(s)),  # type: ignore[arg-type]
    "urlsafe_base64": lambda s, *a: base64.urlsafe_b64decode(_b(s)),  # type: ignore[arg-type]
    "base32": lambda s, *a: base64.b32decode(_b(s), *a[:1]),  # type: ignore[arg-type]
    "base16": lambda s, *a: base64.b16decode(_b(s), *a[:1]),  # type: ignore[arg-type]
    "base85": lambda s, *a: base64.b85decode(_b(s)),  # type: ignore[arg-type]
    "ascii85": lambda s, *a: base64.a85decode(_b(s)),  # type: ignore[arg-type]
    "hex": lambda s, *a: binascii.unhexlify(_b(s)),  # type: ignore[arg-type]
    "fromhex": lambda s, *a: bytes.fromhex(s) if isinstance(s, str) else UNKNOWN,
    "zlib": lambda s, *a: _decompress_with("zlib")(s) if isinstance(s, bytes) else UNKNOWN,
    "gzip": lambda s, *a: _decompress_with("gzip")(s) if isinstance(s, bytes) else UNKNOWN,
    "bz2": lambda s, *a: _decompress_with("bz2")(s) if isinstance(s, bytes) else UNKNOWN,
    "lzma": lambda s, *a: _decompress_with("lzma")(s) if isinstance(s, bytes) else UNKNOWN,
    "codec": lambda s, *a: _codec_decode(s, a[0] if a else "utf-8") if (not a or isinstance(a[0], str)) else UNKNOWN,
    "codec-rot13": lambda s, *a: (_codec_decode(s, a[0]) if a and codec_of(a[0]) == "rot-13" else UNKNOWN),
}

# str / bytes methods that are safe on folded receivers (no padding, no unbounded growth)
_SAFE_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "swapcase", "title", "capitalize", "casefold",
                 "split", "rsplit", "removeprefix", "removesuffix", "hex"}
_PCT = re.compile(r"%(?![sdrci%])")  # only %s %d %r %c %i %% (no widths)


def _safe_format(fmt: str) -> bool:
    try:
        for _lit, field, spec, _conv in string.Formatter().parse(fmt):
            if field is None:
                continue
            if field and not (field.isdigit() or field.isidentifier()):
                return False  # attribute / index access
            if spec and (re.search(r"\d{3,}", spec) or "{" in spec):
                return False
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------ names
# per scope node: name -> the expressions assigned to it (None: bound some other way)
_ASSIGNS: "WeakKeyDictionary[ast.AST, Dict[str, Optional[List[ast.expr]]]]" = WeakKeyDictionary()


def _scope_assigns(scope: ast.AST) -> Dict[str, Optional[List[ast.expr]]]:
    got = _ASSIGNS.get(scope)
    if got is not None:
        return got
    out: Dict[str, Optional[List[ast.expr]]] = {}

    def bind_other(t: ast.AST) -> None:
        for n in ast.walk(t):
            if isinstance(n, ast.Name):
                out[n.id] = None

    stack = list(ast.iter_child_nodes(scope))
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            if not isinstance(n, ast.Lambda):
                out[n.name] = None
            continue
        if isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Name):
                    lst = out.get(t.id, [])
                    if lst is not None:
                        out[t.id] = lst + [n.value]
                else:
                    bind_other(t)
        elif isinstance(n, (ast.AugAssign, ast.AnnAssign)):
            if isinstance(n, ast.AnnAssign) and n.value is not None and isinstance(n.target, ast.Name):
                lst = out.get(n.target.id, [])
                if lst is not None:
                    out[n.target.id] = lst + [n.value]
            else:
                bind_other(n.target)
        elif isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)):
            bind_other(n.target)
        elif isinstance(n, (ast.With, ast.AsyncWith)):
            for it in n.items:
                if it.optional_vars is not None:
                    bind_other(it.optional_vars)
        elif isinstance(n, ast.NamedExpr):
            bind_other(n.target)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                out[(a.asname or a.name).split(".")[0]] = None
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            for name in n.names:
                out[name] = None
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out[n.name] = None
        elif isinstance(n, ast.Delete):
            bind_other(n)
        stack.extend(ast.iter_child_nodes(n))
    _ASSIGNS[scope] = out
    return out


class _Folder:
    """One folding run: the analyser's names, loop variables of comprehensions being folded."""

    def __init__(self, A: "FunctionAnalyzer", env: Optional["Env"]) -> None:
        self.A = A
        self.env = env
        self.binds: Dict[str, object] = {}
        self.depth = 0

    # -- names and qualified names
    def name(self, n: str) -> object:
        if n in self.binds:
            return self.binds[n]
        A = self.A
        scopes: List[Tuple[ast.AST, bool]] = []
        if A.f is not None:
            if n in A.f.params or n in (A.f.vararg, A.f.kwarg):
                return UNKNOWN
            scopes.append((A.f.node, False))
        scopes.append((A.m.pf.tree, True))
        for scope, is_module in scopes:
            assigns = _scope_assigns(scope)
            if n not in assigns:
                continue
            vals = assigns[n]
            if not vals:
                return UNKNOWN
            dumps = {ast.dump(v) for v in vals}
            if len(dumps) != 1:
                return UNKNOWN
            return self.fold(vals[0])
        return UNKNOWN

    def qual(self, node: ast.expr) -> Optional[str]:
        """The dotted name a call target refers to, through imports by call as well."""
        A = self.A
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Call):
                mod = import_result(A, node.value, self.env)
                return f"{mod}.{node.attr}" if mod else None
            base = self.qual(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Name):
            if node.id in self.binds:
                return None
            env = self.env
            if env is not None and node.id in env.vars:
                return A.qual_of(node, env)
            from .state import Env
            return A.qual_of(node, env if env is not None else Env())
        return None

    # -- expressions
    def fold(self, node: Optional[ast.AST]) -> object:
        if node is None:
            return UNKNOWN
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                return UNKNOWN
            meth = getattr(self, "f_" + type(node).__name__, None)
            return UNKNOWN if meth is None else _ok(meth(node))
        except (ValueError, TypeError, OverflowError, IndexError, KeyError, UnicodeError, binascii.Error,
                MemoryError, RecursionError, AttributeError, LookupError):
            return UNKNOWN
        finally:
            self.depth -= 1

    def f_Constant(self, node: ast.Constant) -> object:
        return node.value if isinstance(node.value, _FOLDABLE + (bool,)) else UNKNOWN

    def f_Name(self, node: ast.Name) -> object:
        return self.name(node.id)

    def f_Tuple(self, node) -> object:
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return UNKNOWN
        return tuple(self.fold(e) for e in node.elts)

    f_List = f_Tuple

    def f_BinOp(self, node: ast.BinOp) -> object:
        a = self.fold(node.left)
        if a is UNKNOWN:
            return UNKNOWN
        b = self.fold(node.right)
        if b is UNKNOWN:
            return UNKNOWN
        op = node.op
        if isinstance(op, ast.Add):
            if type(a) is type(b) or (isinstance(a, int) and isinstance(b, int)):
                if isinstance(a, (str, bytes, tuple)) and len(a) + len(b) > MAX_LEN:  # type: ignore[arg-type]
                    return UNKNOWN
                return a + b  # type: ignore[operator]
            return UNKNOWN
        if isinstance(op, ast.Mult):
            if isinstance(a, int) and isinstance(b, (str, bytes, tuple)):
                a, b = b, a
            if isinstance(b, int) and isinstance(a, (str, bytes, tuple)):
                return a * b if 0 <= b and len(a) * b <= MAX_LEN else UNKNOWN
            if isinstance(a, int) and isinstance(b, int):
                return a * b
            return UNKNOWN
        if isinstance(op, ast.Mod) and isinstance(a, (str, bytes)):
            fmt = a if isinstance(a, str) else a.decode("latin-1")
            if _PCT.search(fmt.replace("%%", "")):
                return UNKNOWN
            return a % b  # type: ignore[operator]
        if isinstance(a, int) and isinstance(b, int):
            ints = {ast.Sub: lambda: a - b, ast.BitXor: lambda: a ^ b, ast.BitAnd: lambda: a & b,
                    ast.BitOr: lambda: a | b, ast.FloorDiv: lambda: a // b, ast.Mod: lambda: a % b}
            fn = ints.get(type(op))
            return fn() if fn is not None else UNKNOWN
        return UNKNOWN

    def f_UnaryOp(self, node: ast.UnaryOp) -> object:
        v = self.fold(node.operand)
        if isinstance(v, int) and isinstance(node.op, ast.USub):
            return -v
        if isinstance(v, int) and isinstance(node.op, ast.Invert):
            return ~v
        return UNKNOWN

    def f_JoinedStr(self, node: ast.JoinedStr) -> object:
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
                continue
            if not isinstance(v, ast.FormattedValue):
                return UNKNOWN
            x = self.fold(v.value)
            if x is UNKNOWN:
                return UNKNOWN
            spec = ""
            if v.format_spec is not None:
                spec = self.fold(v.format_spec)  # type: ignore[assignment]
                if not isinstance(spec, str) or re.search(r"\d{3,}", spec):
                    return UNKNOWN
            if v.conversion == ord("r"):
                x = repr(x)
            elif v.conversion == ord("a"):
                x = ascii(x)
            elif v.conversion == ord("s"):
                x = str(x)
            out.append(format(x, spec))
        s = "".join(out)
        return s

    def f_Subscript(self, node: ast.Subscript) -> object:
        base = self.fold(node.value)
        if not isinstance(base, (str, bytes, tuple)):
            return UNKNOWN
        sl = node.slice
        if isinstance(sl, ast.Slice):
            parts = []
            for p in (sl.lower, sl.upper, sl.step):
                if p is None:
                    parts.append(None)
                    continue
                x = self.fold(p)
                if not isinstance(x, int):
                    return UNKNOWN
                parts.append(x)
            return base[slice(*parts)]
        i = self.fold(sl)
        if not isinstance(i, int):
            return UNKNOWN
        return base[i]

    def _iterate(self, node: ast.expr) -> object:
        """The items of a folded iterable (a string's characters, a bytes' ints, a tuple's items)."""
        v = self.fold(node)
        if isinstance(v, (str, bytes, tuple)):
            return tuple(v)
        return UNKNOWN

    def _comprehension(self, node) -> object:
        if len(node.generators) != 1:
            return UNKNOWN
        g = node.generators[0]
        if g.is_async or not isinstance(g.target, ast.Name):
            return UNKNOWN
        items = self._iterate(g.iter)
        if items is UNKNOWN:
            return UNKNOWN
        name = g.target.id
        old = self.binds.get(name, UNKNOWN)
        out = []
        try:
            for it in items:  # type: ignore[union-attr]
                self.binds[name] = it
                keep = True
                for cond in g.ifs:
                    c = self.fold(cond)
                    if c is UNKNOWN:
                        return UNKNOWN
                    keep = keep and bool(c)
                if not keep:
                    continue
                x = self.fold(node.elt)
                if x is UNKNOWN:
                    return UNKNOWN
                out.append(x)
        finally:
            if old is UNKNOWN:
                self.binds.pop(name, None)
            else:
                self.binds[name] = old
        return tuple(out)

    f_ListComp = _comprehension
    f_GeneratorExp = _comprehension

    def f_Compare(self, node: ast.Compare) -> object:
        if len(node.ops) != 1:
            return UNKNOWN
        a, b = self.fold(node.left), self.fold(node.comparators[0])
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        ops = {ast.Eq: lambda: a == b, ast.NotEq: lambda: a != b, ast.Lt: lambda: a < b,  # type: ignore[operator]
               ast.Gt: lambda: a > b, ast.LtE: lambda: a <= b, ast.GtE: lambda: a >= b}  # type: ignore[operator]
        fn = ops.get(type(node.ops[0]))
        return int(fn()) if fn is not None else UNKNOWN

    def f_Call(self, node: ast.Call) -> object:
        if node.keywords and any(k.arg is None for k in node.keywords):
            return UNKNOWN
        func = node.func
        if any(isinstance(a, ast.Starred) for a in node.args):
            return UNKNOWN
        # a method of a folded receiver
        if isinstance(func, ast.Attribute):
            recv = self.fold(func.value)
            if recv is not UNKNOWN:
                return self._method(recv, func.attr, node)
        q = self.qual(func)
        if q is None:
            return UNKNOWN
        impl = P.FOLD_DECODERS.get(q)
        if impl is not None:
            args = [self.fold(a) for a in node.args]
            for k in node.keywords:
                if k.arg in ("encoding", "errors") and len(args) == 1:
                    args.append(self.fold(k.value))
            if not args or any(a is UNKNOWN for a in args):
                return UNKNOWN
            return _IMPL[impl](*args)
        args = [self.fold(a) for a in node.args]
        if any(a is UNKNOWN for a in args) or node.keywords:
            if q == "builtins.map" and len(node.args) == 2:
                return self._map(node)
            return UNKNOWN
        if q == "builtins.chr" and len(args) == 1 and isinstance(args[0], int):
            return chr(args[0])
        if q == "builtins.ord" and len(args) == 1 and isinstance(args[0], (str, bytes)):
            return ord(args[0])
        if q == "builtins.str" and len(args) == 1 and isinstance(args[0], (str, int)):
            return str(args[0])
        if q == "builtins.str" and len(args) == 2 and isinstance(args[0], bytes) and isinstance(args[1], str):
            return _codec_decode(args[0], args[1])
        if q in ("builtins.bytes", "builtins.bytearray"):
            if len(args) == 1 and isinstance(args[0], tuple) and all(isinstance(x, int) for x in args[0]):
                return bytes(args[0])
            if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], str):
                return args[0].encode(args[1])
            return UNKNOWN
        if q in ("builtins.list", "builtins.tuple", "builtins.reversed") and len(args) == 1 and \
                isinstance(args[0], (str, bytes, tuple)):
            return tuple(args[0])[::-1] if q == "builtins.reversed" else tuple(args[0])
        if q == "builtins.int" and len(args) in (1, 2) and isinstance(args[0], (str, int)):
            return int(*args)  # type: ignore[arg-type]
        if q == "builtins.map" and len(node.args) == 2:
            return self._map(node)
        return UNKNOWN

    def _map(self, node: ast.Call) -> object:
        items = self._iterate(node.args[1])
        if items is UNKNOWN:
            return UNKNOWN
        q = self.qual(node.args[0])
        fns = {"builtins.chr": chr, "builtins.ord": ord, "builtins.str": str, "builtins.int": int}
        fn = fns.get(q or "")
        if fn is None:
            return UNKNOWN
        return tuple(fn(x) for x in items)  # type: ignore[operator, union-attr]

    def _method(self, recv: object, name: str, node: ast.Call) -> object:
        args = [self.fold(a) for a in node.args]
        if any(a is UNKNOWN for a in args):
            return UNKNOWN
        kws = {}
        for k in node.keywords:
            v = self.fold(k.value)
            if v is UNKNOWN or k.arg is None:
                return UNKNOWN
            kws[k.arg] = v
        if isinstance(recv, (str, bytes)):
            if name == "join" and len(args) == 1 and isinstance(args[0], tuple):
                return recv.join(args[0])  # type: ignore[arg-type]
            if name == "decode" and isinstance(recv, bytes):
                codec = args[0] if args else kws.get("encoding", "utf-8")
                return _codec_decode(recv, codec) if isinstance(codec, str) else UNKNOWN
            if name == "encode" and isinstance(recv, str):
                codec = args[0] if args else kws.get("encoding", "utf-8")
                if not isinstance(codec, str):
                    return UNKNOWN
                return _codec_decode(recv, codec) if codec_of(codec) == "rot-13" else recv.encode(codec)
            if name == "format" and isinstance(recv, str):
                return recv.format(*args, **kws) if _safe_format(recv) else UNKNOWN
            if name == "replace" and len(args) >= 2:
                out = recv.replace(*args)  # type: ignore[arg-type]
                return out if len(out) <= MAX_LEN else UNKNOWN
            if name == "translate" and isinstance(recv, str) and len(args) == 1 and isinstance(args[0], tuple):
                return UNKNOWN
            if name in _SAFE_METHODS and not kws:
                return getattr(recv, name)(*args)
        return UNKNOWN


def fold(A: "FunctionAnalyzer", node: Optional[ast.AST], env: Optional["Env"] = None) -> object:
    """The constant ``node`` evaluates to, or :data:`UNKNOWN`."""
    return _Folder(A, env).fold(node)


def fold_str(A: "FunctionAnalyzer", node: Optional[ast.AST], env: Optional["Env"] = None) -> Optional[str]:
    """The constant text ``node`` evaluates to (bytes decoded as ASCII), else None."""
    v = fold(A, node, env)
    if isinstance(v, bytes):
        try:
            v = v.decode("ascii")
        except UnicodeDecodeError:
            return None
    return v if isinstance(v, str) else None


# ------------------------------------------------------------------------------ imports by call
_MODNAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")


def import_result(A: "FunctionAnalyzer", node: ast.Call, env: Optional["Env"]) -> Optional[str]:
    """The module an import call returns, when its name folds to a constant:
    ``__import__("a.b")`` is ``a`` (``a.b`` with a non-empty ``fromlist``), ``import_module("a.b")``
    is ``a.b`` (relative names resolved against ``package``)."""
    from .state import Env
    e = env if env is not None else Env()
    q = A.qual_of(node.func, e) if isinstance(node.func, (ast.Name, ast.Attribute)) else None
    kind = P.IMPORT_CALLS.get(q or "")
    if kind is None:
        return None
    name_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
    name = fold_str(A, name_node, env)
    if name is None:
        return None
    if kind == "module" and name.startswith("."):
        pkg_node = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "package"), None)
        pkg = fold_str(A, pkg_node, env)
        if not pkg:
            return None
        dots = len(name) - len(name.lstrip("."))
        parts = pkg.split(".")
        if dots > len(parts):
            return None
        base = ".".join(parts[: len(parts) - dots + 1])
        name = f"{base}.{name.lstrip('.')}" if name.lstrip(".") else base
    if not _MODNAME.match(name):
        return None
    if kind == "top":
        fromlist = node.args[3] if len(node.args) > 3 else next((k.value for k in node.keywords if k.arg == "fromlist"), None)
        fl = fold(A, fromlist, env) if fromlist is not None else ()
        if fl is UNKNOWN:
            return None
        if not fl:
            return name.split(".")[0]
    return name


# ------------------------------------------------------------------------------ namespaces
def _namespace_of(v: Value) -> List[str]:
    """``builtins.__dict__`` / ``vars(builtins)`` (``ref:X.__dict__``), ``globals()`` (``globals:``)
    and ``sys.modules`` (``ref:sys.modules``): what a lookup in ``v`` by name gives."""
    out = []
    for t in sorted(v.types):
        if t.startswith("ref:") and t.endswith(".__dict__"):
            out.append("mod:" + t[4:-len(".__dict__")])
        elif t == "ref:builtins":  # __builtins__ is the builtins module or its dict
            out.append("mod:builtins")
        elif t.startswith("globals:"):
            out.append("globals")
        elif t == "ref:sys.modules":
            out.append("modules")
    return out


def _lookup(A: "FunctionAnalyzer", spaces: List[str], name: str) -> Optional[Value]:
    types = set()
    vals = []
    for s in spaces:
        if s.startswith("mod:"):
            types.add(f"ref:{s[4:]}.{name}")
        elif s == "modules" and _MODNAME.match(name):
            types.add("ref:" + name)
        elif s == "globals" and name.isidentifier():
            b = A.m.scope.get(name)
            if b is None:
                types.add(("ref:builtins" if name == "__builtins__" else "ref:builtins." + name))
            else:
                vals.append(A.lookup(name))
    if not types and not vals:
        return None
    from .values import join
    return join(Value(types=frozenset(types)), *vals) if vals else Value(types=frozenset(types))


def subscript(A: "FunctionAnalyzer", node: ast.Subscript, env: "Env", base: Value) -> Optional[Value]:
    """``ns[NAME]`` where ``ns`` is a namespace (see :func:`_namespace_of`) and NAME folds."""
    spaces = _namespace_of(base)
    if not spaces:
        return None
    if spaces == ["mod:builtins"] and not (isinstance(node.value, ast.Name) and node.value.id == "__builtins__"):
        if not any(t.startswith("ref:") and t.endswith(".__dict__") for t in base.types):
            return None
    name = fold_str(A, node.slice, env)
    return _lookup(A, spaces, name) if name else None


def call(A: "FunctionAnalyzer", node: ast.Call, env: "Env", fv: Value, recv: Optional[Value],
         args: List[Value]) -> Optional[Value]:
    """Calls that make or read a namespace: ``vars(mod)``, ``globals()``, ``ns.get(NAME)``,
    ``ns.__getitem__(NAME)``; None for every other call."""
    func = node.func
    if isinstance(func, ast.Attribute) and recv is not None and func.attr in ("get", "__getitem__", "pop") \
            and node.args:
        spaces = _namespace_of(recv)
        if spaces and not (spaces == ["mod:builtins"] and not any(t.endswith(".__dict__") for t in recv.types)
                           and not (isinstance(func.value, ast.Name) and func.value.id == "__builtins__")):
            name = fold_str(A, node.args[0], env)
            return _lookup(A, spaces, name) if name else None
        return None
    if not isinstance(func, ast.Name):
        return None
    q = next((t[4:] for t in fv.types if t.startswith("ref:")), None)
    if q == "builtins.globals" and not node.args:
        return Value(types=frozenset({"globals:" + A.m.key}))
    if q == "builtins.vars" and len(node.args) == 1 and args:
        mods = [t for t in args[0].types if t.startswith("ref:")]
        if mods:
            return Value(types=frozenset(t + ".__dict__" for t in mods))
    return None


# ------------------------------------------------------------------------------ payload text
_FETCH = re.compile(
    r"(?:https?|ftp)://[^\s'\"<>]+|\b(?:urlopen|urlretrieve|requests\.(?:get|post)|httpx\.\w+|urllib\w*\.\w+|"
    r"http\.client|socket\.socket|create_connection|DownloadString|Invoke-WebRequest|Invoke-RestMethod|"
    r"curl|wget)\b")


def describe_payload(A: "FunctionAnalyzer", node: ast.AST, env: Optional["Env"]) -> str:
    """When the decoded constant at ``node`` folds to text that fetches more code (a URL, a network
    read, a shell cradle), a note saying so ("" otherwise)."""
    v = fold(A, node, env)
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    if not isinstance(v, str) or not v.strip():
        return ""
    from .shell import find_cradle
    c = find_cradle(v) if len(v) >= 8 else None
    if c:
        return f"the decoded payload is a shell download cradle (`{_clip(c)}`)"
    found: List[str] = []
    for mt in sorted(_FETCH.finditer(v), key=lambda m: ("://" not in m.group(0), m.start())):  # URLs first
        s = mt.group(0)
        if s not in found:
            found.append(s)
        if len(found) == 2:
            break
    if found:
        return "the decoded payload fetches more code from the network (" + ", ".join(f"`{_clip(s)}`" for s in found) + ")"
    return ""


def _clip(s: str, n: int = 60) -> str:
    s = " ".join(s.split()).replace("`", "'")
    return s if len(s) <= n else s[: n - 1] + "…"
