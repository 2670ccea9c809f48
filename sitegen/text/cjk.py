"""Chinese text primitives: East Asian width, character classes, width-aware joining of
wrapped lines and the spacing repairs that PDF-extracted Chinese text needs.

Every stage that has to put hard-wrapped lines back together (the parser, the Markdown
reader when an editor wraps a paragraph) uses these, so CJK and Latin text join the same
way everywhere: no separator between CJK characters, one space between Latin words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import pairwise

# ------------------------------------------------------------------------------- width


class _WidthTable(dict):
    """char → display width, filled on first sight of each character.

    The parser measures every line several times (column width, paragraph ends, off-column
    headline tests); `unicodedata` per character was a fifth of the import's time, while a
    page uses a few hundred distinct characters. `sum(map(table.__getitem__, text))` stays
    in C for every character already seen."""

    def __missing__(self, ch: str) -> int:
        width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        self[ch] = width
        return width


_WIDTHS = _WidthTable()


def char_width(ch: str) -> int:
    """2 for wide/full-width characters (CJK, full-width punctuation), else 1."""
    return _WIDTHS[ch]


WIDE_3BYTE = ("\u2e80-\u303e\u3040-\u3247\u3250-\u4dbf\u4e00-\ua4cf\uac00-\ud7a3"
              "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6")
"""Ranges (regex class syntax) of wide characters, all three bytes long in UTF-8: CJK
symbols and punctuation, kana, Han (with extension A and compatibility ideographs),
Hangul, vertical and full-width forms. `tests/test_parse.py` checks every one against
`unicodedata`."""
NARROW_3BYTE = "“”‘’…—"
"""The narrow (East-Asian-ambiguous) characters of Chinese body text, also three bytes long."""
_NOT_COUNTABLE = re.compile(f"[^\x00-\x7f{WIDE_3BYTE}{NARROW_3BYTE}]")
_NARROW_3BYTE = re.compile(f"[{NARROW_3BYTE}]")


def display_width(text: str) -> int:
    """Printed width: the sum of `char_width`.

    Every line of every page is measured, so lines made only of ASCII, `WIDE_3BYTE` and
    `NARROW_3BYTE` characters (nine in ten) are counted from their UTF-8 length, in C:
    with a ASCII, w wide and q narrow three-byte characters, the bytes are a + 3w + 3q
    and the length a + w + q, so the width a + 2w + q is len + (bytes − len)/2 − q."""
    if text.isascii():
        return len(text)
    if _NOT_COUNTABLE.search(text) is None:
        n = len(text)
        return n + (len(text.encode()) - n) // 2 - len(_NARROW_3BYTE.findall(text))
    return sum(map(_WIDTHS.__getitem__, text))


def is_wide(ch: str) -> bool:
    return char_width(ch) == 2


def join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines: nothing between lines when either side is wide (CJK),
    a single space between two narrow (Latin/digit) ends, as a reader would expect."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not is_wide(out[-1]) and not is_wide(line[0]):
            out += " "
        out += line
    return out


# ------------------------------------------------------------------------ character classes

_HAN_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x3FFFF),  # Extensions B and later (planes 2 and 3)
)

CJK_PUNCT = frozenset(
    "，。、；：？！…—·・～"  # sentence and list punctuation, ellipsis, dash, middle dots
    "“”‘’「」『』（）《》〈〉【】〔〕〖〗"  # quotes and brackets (curly quotes count as CJK)
    "﹁﹂﹃﹄︰﹏"
)
"""Punctuation that sits in the Chinese text flow. The curly quotes are East-Asian-ambiguous
in Unicode but full-width in every Chinese font, so for spacing they count as CJK."""

OPEN_TO_CLOSE = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "「": "」", "『": "』",
                 "〈": "〉", "〔": "〕", "〖": "〗", "(": ")"}
CLOSERS = frozenset(OPEN_TO_CLOSE.values())

SENTENCE_END = frozenset("。！？；…")
"""Characters after which a Chinese sentence (or a clause a paragraph may end on) is over."""


def is_han(ch: str) -> bool:
    """A Chinese character (ideograph), by code point range so new Unicode versions agree."""
    cp = ord(ch)
    # Unrolled `_HAN_RANGES`, most common range first: this is called per character.
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF)


def is_cjk_punct(ch: str) -> bool:
    return ch in CJK_PUNCT or (0x3000 < ord(ch) <= 0x303F) or (0xFF01 <= ord(ch) <= 0xFF0F)


def is_cjk(ch: str) -> bool:
    """A Han character or CJK punctuation: the characters that take no spaces around them."""
    return is_han(ch) or is_cjk_punct(ch)


def is_ascii_word(ch: str) -> bool:
    """Latin letters, digits and the few signs glued to numbers (`5.2%`)."""
    return ch.isascii() and (ch.isalnum() or ch == "%")


def ends_sentence(text: str) -> bool:
    """True when `text` ends a sentence: `。！？；…` optionally followed by closing quotes or
    brackets (`……说。”`). A line that ends like this may end a paragraph; one that does not
    is always continued by the next line."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def open_brackets(text: str) -> int:
    """How many quotes/brackets are still open at the end of `text` (never negative).

    Display lines are wrapped wherever they fit, so a line that ends inside `“…` is
    certainly continued by the next one."""
    depth = 0
    for ch in text:
        if ch in OPEN_TO_CLOSE:
            depth += 1
        elif ch in CLOSERS and depth:
            depth -= 1
    return depth


# ------------------------------------------------------------------------------ joining


def join_unwrapped(lines: Iterable[str]) -> str:
    """Join lines of Chinese text that were hard-wrapped: no separator, except one space
    between two Latin letters (a word space the wrap swallowed). Unlike `join_wrapped`,
    digits are glued (`20` / `23年` is one number cut by the wrap) — Chinese typesetting
    breaks inside numbers but never inside Latin words without a hyphen."""
    parts = [s for s in (raw.strip() for raw in lines) if s]
    if len(parts) < 2:
        return parts[0] if parts else ""
    out = [parts[0]]
    for before, line in pairwise(parts):
        # Latin letters on both sides of the break: a word space was swallowed.
        if line[0].isascii() and line[0].isalpha() and before[-1].isascii() \
                and before[-1].isalpha():
            out.append(" ")
        out.append(line)
    return "".join(out)


# ------------------------------------------------------------------------------ spacing

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def collapse_spaces(text: str) -> str:
    """Runs of spaces (ASCII, full-width, no-break, tabs) become one ASCII space."""
    return _SPACES.sub(" ", text).strip()


def _drop_spaces(text: str, remove: Iterable[int]) -> str:
    """`text` without the characters at the (ascending) indexes `remove`."""
    out: list[str] = []
    start = 0
    for i in remove:
        out.append(text[start:i])
        start = i + 1
    if not out:
        return text
    out.append(text[start:])
    return "".join(out)


def _spaces_where(text: str, test: Callable[[str, int], bool]) -> list[int]:
    """Indexes of the inner spaces of `text` for which `test` holds, ascending.

    Jumps from space to space with `str.find`: paragraphs are long and have few spaces,
    and visiting every character made spacing repair a sixth of the parse time."""
    out: list[int] = []
    last = len(text) - 1
    i = text.find(" ", 1)
    while 0 < i < last:
        if test(text, i):
            out.append(i)
        i = text.find(" ", i + 1)
    return out


def tighten_cjk_ascii(text: str) -> str:
    """Remove a space between a CJK character and a Latin letter/digit (`排名第 20位`).

    Chinese typesetting puts no word space there; the extractor's space is justification
    padding. Expects collapsed spaces."""
    def gap(s: str, i: int) -> bool:
        a, b = s[i - 1], s[i + 1]
        return (is_cjk(a) and is_ascii_word(b)) or (is_ascii_word(a) and is_cjk(b))

    return _drop_spaces(text, _spaces_where(text, gap))


def tighten_punctuation(text: str) -> str:
    """Remove spaces next to CJK punctuation (`去年 ，全市`): full-width punctuation carries
    its own spacing, so any space beside it is padding."""
    return _drop_spaces(text, _spaces_where(
        text, lambda s, i: is_cjk_punct(s[i - 1]) or is_cjk_punct(s[i + 1])))


def close_letter_spacing(text: str) -> str:
    """Remove letter-spacing (`全 市 实 现` → `全市实现`); keep word spaces (`潮企浙里 跨境出海`).

    A space between two Han characters is letter-spacing when either neighbour stands alone
    (no Han character on its other side): a justified line spreads single characters, while a
    real space inside Chinese text separates two multi-character phrases. Decided on the
    original string in one pass, so removing one space does not change the next decision."""
    def spaced(s: str, i: int) -> bool:
        if not (is_han(s[i - 1]) and is_han(s[i + 1])):
            return False
        left_alone = i - 2 < 0 or not is_han(s[i - 2])
        right_alone = i + 2 >= len(s) or not is_han(s[i + 2])
        return left_alone or right_alone

    return _drop_spaces(text, _spaces_where(text, spaced))


def normalize_text_spacing(text: str) -> str:
    """All body-text spacing repairs: padding next to punctuation, letter-spacing, CJK/ASCII
    gaps. Each rule only removes spaces it can prove are padding, so a space between two
    Chinese phrases (`“潮企浙里 跨境出海”`) and between two Latin words survives."""
    text = collapse_spaces(text)
    if " " not in text:  # most paragraphs: nothing left to decide
        return text
    text = tighten_punctuation(text)
    text = close_letter_spacing(text)
    return tighten_cjk_ascii(text)
