"""Recognise shell download cradles in constant strings: ``curl … | sh``, ``bash <(curl …)``,
``iex (iwr …)``, ``IEX (New-Object Net.WebClient).DownloadString(…)``, and ``-EncodedCommand``
blobs that hide one."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Optional

_FETCH = r"(?:curl|wget|fetch|aria2c|http(?:ie)?)\b"
_SHELL = r"(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:/usr)?(?:/bin/|/usr/bin/)?(?:ba|z|da|k|fi)?sh\b"
_INTERP = r"(?:sudo\s+(?:-\S+\s+)*)?(?:/usr/bin/|/bin/)?(?:python[0-9.]*|perl|ruby|node|php)\b"

_PATTERNS = [
    # curl ... | sh      wget -qO- ... | sudo bash -s --    curl ... | python3 -
    re.compile(_FETCH + r"[^|;&\n]*\|\s*(?:" + _SHELL + "|" + _INTERP + ")", re.I),
    # bash <(curl ...)    sh -c "$(curl ...)"    eval "$(wget ...)"    python -c "$(curl ...)"
    re.compile(r"(?:" + _SHELL + r"|" + _INTERP + r"|\bsource|\.)\s+(?:-\S+\s+)*<\(\s*" + _FETCH, re.I),
    re.compile(r"(?:" + _SHELL + r"|" + _INTERP + r")\s+(?:-\S+\s+)*-c\s+[\"']?\$\(\s*" + _FETCH, re.I),
    re.compile(r"\beval\s+[\"']?(?:\$\(|`)\s*" + _FETCH, re.I),
    # PowerShell: iex (iwr ...), Invoke-Expression (Invoke-WebRequest ...), irm ... | iex,
    # IEX (New-Object Net.WebClient).DownloadString(...)
    re.compile(r"\b(?:iex|invoke-expression)\b[\s(]*(?:\(\s*)*(?:iwr|irm|invoke-webrequest|invoke-restmethod|"
               r"curl|wget|new-object\s+(?:system\.)?net\.webclient|\[\s*(?:system\.)?net\.webclient)", re.I),
    re.compile(r"\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b[^|\n]*\|\s*(?:iex|invoke-expression)\b", re.I),
    re.compile(r"\.downloadstring\s*\([^)]*\)[^|\n]*\|\s*(?:iex|invoke-expression)\b", re.I),
    re.compile(r"\b(?:iex|invoke-expression)\b.{0,80}\.downloadstring\s*\(", re.I | re.S),
]
_ENCODED = re.compile(r"-e(?:nc(?:odedcommand)?|c)?\s+([A-Za-z0-9+/=]{16,})", re.I)


def find_cradle(text: str) -> Optional[str]:
    """Return a short description of the first download cradle in ``text``, or None."""
    if len(text) < 8:
        return None
    low = text.lower()
    if not any(w in low for w in ("curl", "wget", "fetch", "iex", "invoke-", "downloadstring", "aria2c")) and not (
            "-e" in low and _ENCODED.search(text)):
        return None
    for pat in _PATTERNS:
        m = pat.search(text)
        if m:
            return m.group(0).strip()[:80]
    for m in _ENCODED.finditer(text):
        blob = m.group(1)
        try:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=False)
        except (binascii.Error, ValueError):
            continue
        for enc in ("utf-16-le", "utf-8"):
            try:
                decoded = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            inner = find_cradle(decoded)
            if inner:
                return f"-EncodedCommand hiding: {inner}"
    return None
