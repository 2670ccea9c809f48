"""Reading raw page files the way they really arrive: UTF-8 (BOM or not), GB18030/GBK or
UTF-16 with a byte-order mark, CRLF line ends, trailing spaces. Decoding is strict so a
binary file is an error, not noise.

Every step is one linear pass, and a file over `MAX_PAGE_BYTES` is refused before it is
decoded: an input of any shape costs time in proportion to its size, and an input far
larger than any real page (someone dropped the wrong file in) is an error in a second,
not minutes of parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.errors import SitegenError

MAX_PAGE_BYTES = 512 * 1024
"""The largest raw page read: a real page's text is 20-30 KB, so this is about twenty
times the largest, while a wrong file (a whole book, a PDF's dump of a year) is refused."""

UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no published text may hold: C0 and C1 controls other than tab and line
ends, lone surrogates and the two non-characters. HTML calls them parse errors and XML (the
feed) cannot hold them at all, so the raw pages and the content files refuse them."""
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16_without_bom(data: bytes) -> bool:
    """Whether `data` reads as UTF-16 text with lines: it decodes strictly as UTF-16 (little
    or big endian) to printable text holding a line break. Random bytes give surrogates or
    control characters, and a page has lines."""
    if len(data) % 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec).replace("\f", "")
        except UnicodeDecodeError:
            continue
        if "\n" in text and not UNPRINTABLE.search(text):
            return True
    return False


def _strip_trailing(text: str) -> str:
    """Trailing spaces and tabs of every line, in one pass (a regular expression
    `[ \\t]+$` backtracks over a long run of spaces not at a line end: 80,000 spaces and an
    `x` took 44 s)."""
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def decode_page_bytes(data: bytes, path: Path | str) -> str:
    """Decode a raw page and normalise line ends, form feeds and trailing spaces.

    UTF-8 is tried first because GB18030 accepts almost any byte string; a file that is
    neither, or that holds NUL/control bytes, is rejected as binary. Form feeds (a PDF
    extractor's page breaks) are dropped, so line numbers stay those an editor sees.
    """
    if len(data) > MAX_PAGE_BYTES:
        raise SitegenError(f"too large for a page: {len(data):,} bytes (a page's text is "
                           f"20-30 KB; at most {MAX_PAGE_BYTES:,} bytes are read)", path)
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SitegenError("cannot decode as UTF-16 (it starts with a UTF-16 byte-order "
                               "mark): not a text page", path) from exc
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if b"\x00" in data:
            if _utf16_without_bom(data):
                raise SitegenError("UTF-16 text without a byte-order mark: save it as UTF-8",
                                   path)
            raise SitegenError("binary file (NUL bytes): not a text page", path)
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SitegenError("cannot decode as UTF-8 or GB18030: not a text page", path)
    text = text.replace("\f", "")
    bad = UNPRINTABLE.search(text)
    if bad:
        controls = len(UNPRINTABLE.findall(text))
        line = text.count("\n", 0, bad.start()) + 1
        raise SitegenError(f"binary file ({controls} control characters, the first "
                           f"U+{ord(bad.group()):04X}): not a text page", path, line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_trailing(text)
    if not text.strip():
        raise SitegenError("empty page: no text to import", path)
    return text


def read_page(path: Path) -> str:
    """The decoded text of the raw page at `path` (at most `MAX_PAGE_BYTES` are read)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_PAGE_BYTES + 1)
            if len(data) > MAX_PAGE_BYTES:
                size = max(len(data), path.stat().st_size)
                raise SitegenError(f"too large for a page: {size:,} bytes (a page's text is "
                                   f"20-30 KB; at most {MAX_PAGE_BYTES:,} bytes are read)",
                                   path)
    except OSError as exc:
        raise SitegenError(f"cannot read: {exc.strerror}", path) from exc
    return decode_page_bytes(data, path)
