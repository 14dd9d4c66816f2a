"""How data moves through calls the flow engine does not analyse itself.

By default a call to an unknown function returns whatever its arguments (and receiver) carry.
The tables here make exceptions in both directions.
"""
from __future__ import annotations

# compile(source, filename, mode): only the source travels into the code object
COMPILERS = {"builtins.compile": 0, "ast.parse": 0}

# decoders: the result carries the input; a decoded *constant* is an encoded payload (RCE005)
DECODERS = {
    "base64.b64decode", "base64.standard_b64decode", "base64.urlsafe_b64decode", "base64.b32decode",
    "base64.b16decode", "base64.b85decode", "base64.a85decode", "base64.decodebytes",
    "base64.decodestring", "binascii.a2b_base64", "binascii.unhexlify", "binascii.a2b_hex",
    "zlib.decompress", "bz2.decompress", "lzma.decompress", "gzip.decompress",
    "builtins.bytes.fromhex", "marshal.loads", "codecs.decode",
    "base64.b32hexdecode", "base64.z85decode", "binascii.a2b_uu", "binascii.a2b_qp", "quopri.decodestring",
    "codecs.encode",  # rot13 is its own inverse: codecs.encode(x, "rot13") decodes
    "zlib.Decompress.decompress", "bz2.BZ2Decompressor.decompress", "lzma.LZMADecompressor.decompress",
}
# decoders whose codec is an argument: a decoder only for a transform codec (CODEC_ARG_DECODERS[api] = index)
CODEC_ARG_DECODERS = {"codecs.decode": 1, "codecs.encode": 1}
# the bytes-to-bytes / text transform codecs, by the name codecs.lookup() gives them: any spelling
# Python accepts ("BASE-64", "base_64", "hex_codec", "rot13", "zip") is normalised to one of these
TRANSFORM_CODECS = {"base64", "hex", "rot-13", "zlib", "bz2", "uu", "quopri"}
# decoders the constant folder (analysis/fold.py) may evaluate on constants of the scanned file,
# by the pure implementation it uses (never marshal, pickle or a cipher)
FOLD_DECODERS = {
    "base64.b64decode": "base64", "base64.standard_b64decode": "base64", "base64.decodebytes": "base64",
    "base64.decodestring": "base64", "binascii.a2b_base64": "base64", "base64.urlsafe_b64decode": "urlsafe_base64",
    "base64.b32decode": "base32", "base64.b16decode": "base16", "base64.b85decode": "base85",
    "base64.a85decode": "ascii85", "binascii.unhexlify": "hex", "binascii.a2b_hex": "hex",
    "builtins.bytes.fromhex": "fromhex", "zlib.decompress": "zlib", "gzip.decompress": "gzip",
    "bz2.decompress": "bz2", "lzma.decompress": "lzma", "codecs.decode": "codec", "codecs.encode": "codec-rot13",
}
# calls that import a module and return it: "top" returns the top-level package unless a fromlist
# is given (__import__), "module" the named module itself (importlib.import_module)
IMPORT_CALLS = {"builtins.__import__": "top", "importlib.__import__": "top", "importlib.import_module": "module"}
# building a string from a constant list of character codes is decoding too:
# "".join(chr(c) for c in CODES), "".join(map(chr, CODES)), bytes(CODES).decode()
CHAR_DECODERS = {"builtins.chr"}


# calls whose result never carries the data of their arguments
NON_PROPAGATING = {
    "builtins.len", "builtins.int", "builtins.float", "builtins.bool", "builtins.hash", "builtins.id",
    "builtins.type", "builtins.isinstance", "builtins.issubclass", "builtins.callable",
    "builtins.hasattr", "builtins.print", "builtins.ord", "builtins.abs", "builtins.round",
    "builtins.open", "io.open", "codecs.open", "builtins.range",
    "os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.getsize", "os.path.getmtime",
    "os.stat", "os.lstat", "os.access", "os.remove", "os.unlink", "os.makedirs", "os.mkdir",
    "shutil.rmtree", "shlex.quote", "pipes.quote", "time.sleep", "uuid.uuid4", "builtins.setattr", "builtins.delattr",
}
NON_PROPAGATING_PREFIXES = ("hashlib.", "hmac.", "logging.", "warnings.", "secrets.")

# attributes / methods of network objects that are not the payload
CLEAN_ATTRS = {"status", "status_code", "ok", "reason", "code", "closed", "elapsed", "length",
               "encoding", "is_redirect", "history", "cookies_set"}
# the ones among them that are common words for payload fields elsewhere (``reply.code``,
# ``task.status``): clean only on an HTTP response (see analysis/precision.py)
RESPONSE_ONLY_ATTRS = {"status", "reason", "code", "closed", "length", "encoding", "history"}
# source kinds whose values are HTTP response objects
RESPONSE_KINDS = {"http-response"}
CLEAN_METHODS = {
    "getcode", "close", "raise_for_status", "startswith", "endswith", "isdigit", "isalpha",
    "isalnum", "isspace", "islower", "isupper", "isdecimal", "isnumeric", "isidentifier", "count",
    "find", "rfind", "index", "rindex", "fileno", "settimeout", "setsockopt", "connect", "send",
    "sendall", "sendto", "bind", "listen", "getsockname", "getpeername", "__len__", "release_conn",
    "keys_count", "setblocking", "shutdown", "flush", "seek", "tell",
}

# keywords that describe how a request is made, not what it returns: they do not flow into the
# result of a call the engine does not know (a download helper's user agent is not its download)
REQUEST_METADATA_KEYWORDS = {"headers", "user_agent", "proxies", "proxy", "timeout", "token", "auth", "cookies",
                             "verify", "cert", "api_key"}

# methods that put their arguments into the receiver (containers, buffers, files)
MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft",
            "put", "put_nowait", "write", "writelines", "__setitem__", "push", "feed"}
# (reading methods, path builders, openers and temporary names are rows: FILE_ROWS in models.py)
