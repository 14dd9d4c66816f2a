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
}
# building a string from a constant list of character codes is decoding too:
# "".join(chr(c) for c in CODES), "".join(map(chr, CODES)), bytes(CODES).decode()
CHAR_DECODERS = {"builtins.chr"}

# codecs.decode(x, <codec>) / x.decode(<codec>) is a decoder for these codecs
CODECS = {"rot13", "rot_13", "hex", "hex_codec", "base64", "base64_codec", "zlib", "zlib_codec",
          "bz2", "bz2_codec", "uu", "uu_codec"}

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

# reading from a file handle / Path: turns "a downloaded file" into "downloaded data"
READ_METHODS = {"read", "read_text", "read_bytes", "readline", "readlines", "getvalue", "read1",
                "readall"}

# path builders whose result names the same file as their parts (for "same path" matching)
PATH_BUILDERS = {"os.path.join", "posixpath.join", "ntpath.join", "pathlib.Path", "pathlib.PurePath",
                 "pathlib.PosixPath", "pathlib.WindowsPath", "os.fspath", "builtins.str",
                 "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.path.expanduser",
                 "os.path.expandvars"}
