"""Reading raw page files the way they really arrive: UTF-8 (BOM or not) or GB18030/GBK,
CRLF line ends, trailing spaces. Decoding is strict so a binary file is an error, not noise.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.errors import SitegenError

_CONTROL_OK = {"\n", "\r", "\t", "\f"}
_CONTROL_BAD = re.compile("[" + "".join(
    re.escape(chr(c)) for c in range(32) if chr(c) not in _CONTROL_OK) + "]")
"""Control characters that no text page holds (everything below 32 but `_CONTROL_OK`);
searched with a regex because a per-character loop was most of the time to read a page."""
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)


def decode_page_bytes(data: bytes, path: Path | str) -> str:
    """Decode a raw page and normalise line ends and trailing spaces.

    UTF-8 is tried first because GB18030 accepts almost any byte string; a file that is
    neither, or that holds NUL/control bytes, is rejected as binary.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise SitegenError("binary file (NUL bytes): not a text page", path)
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SitegenError("cannot decode as UTF-8 or GB18030: not a text page", path)
    if _CONTROL_BAD.search(text):
        controls = len(_CONTROL_BAD.findall(text))
        raise SitegenError(f"binary file ({controls} control characters): not a text page", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING.sub("", text)
    if not text.strip():
        raise SitegenError("empty page: no text to import", path)
    return text


def read_page(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"cannot read: {exc.strerror}", path) from exc
    return decode_page_bytes(data, path)
