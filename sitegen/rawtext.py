"""Reading raw page files the way they really arrive: UTF-8 (BOM or not) or GB18030/GBK,
CRLF line ends, trailing spaces. Decoding is strict so a binary file is an error, not noise.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SitegenError

_CONTROL_OK = {"\n", "\r", "\t", "\f"}


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
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _CONTROL_OK)
    if controls:
        raise SitegenError(f"binary file ({controls} control characters): not a text page", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    if not text.strip():
        raise SitegenError("empty page: no text to import", path)
    return text


def read_page(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"cannot read: {exc.strerror}", path) from exc
    return decode_page_bytes(data, path)
