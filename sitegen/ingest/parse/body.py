"""Body text: hard-wrapped, justified column lines → paragraphs.

The print indentation is gone, so paragraph ends are recovered from the shape of the
column: the column width is the most common line width (East Asian width: CJK and
full-width punctuation count 2), and a paragraph ends after a line that ends a sentence when
that line is followed by a blank line, or falls at least two CJK characters short of the
column (one character short still counts as full: the typesetter squeezes punctuation).
A blank line after a line that does not end a sentence is a column break: joined across.
Where a file does carry full-width indents (`　　`), an indented line starts a paragraph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sitegen.ingest.parse.lines import DATELINE, Line
from sitegen.text.cjk import ends_sentence, join_unwrapped, normalize_text_spacing

SHORT_BY = 4
"""A sentence-ending line this much narrower than the column (two CJK characters) ends its
paragraph; one character short is within the typesetter's punctuation squeezing."""

BodyLine = Line | None
"""A body line, or None for a blank line / frame boundary inside the body."""


def line_width(line: Line) -> int:
    """Printed width of a line: full-width indent included, the extractor's ASCII indent not,
    inner padding spaces included (they are where the justified line was spread)."""
    return line.width


def column_width(lines: Sequence[Line]) -> int:
    """The body's column width: its most common line width (the widest of equally common)."""
    counts = Counter(line_width(ln) for ln in lines)
    if not counts:
        return 0
    top = max(counts.values())
    return max(w for w, n in counts.items() if n == top)


def paragraph_ends(lines: Sequence[BodyLine]) -> list[bool]:
    """For each entry of `lines`, whether a paragraph ends after it (None entries: False)."""
    real = [ln for ln in lines if ln is not None]
    column = column_width(real)
    ends = [False] * len(lines)
    following: Line | None = None  # the next real line after i (walking backwards)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line is None:
            continue
        if following is None or following.indented:
            ends[i] = True
        elif ends_sentence(line.text):
            blank_follows = lines[i + 1] is None
            ends[i] = blank_follows or line.width <= column - SHORT_BY
        following = line
    return ends


def strip_dateline(text: str) -> str:
    """`本报讯 每年9月…` → `每年9月…` (the dateline is kept as a field, not in the text)."""
    return text.removeprefix(DATELINE).lstrip(" \t\u3000") if text.startswith(DATELINE) else text


def paragraph_groups(lines: Sequence[BodyLine]) -> list[list[Line]]:
    """The body's lines grouped by paragraph, in order (blank entries dropped)."""
    groups: list[list[Line]] = []
    current: list[Line] = []
    for line, end in zip(lines, paragraph_ends(lines), strict=True):
        if line is None:
            continue
        current.append(line)
        if end:
            groups.append(current)
            current = []
    return groups


def paragraph_text(lines: Sequence[Line]) -> str:
    """One paragraph's lines joined, with the extractor's spacing repaired."""
    return normalize_text_spacing(join_unwrapped(ln.text for ln in lines))


def paragraphs(lines: Sequence[BodyLine], dateline: bool = False) -> list[str]:
    """The body's paragraphs, joined and with the extractor's spacing repaired."""
    out: list[str] = []
    for i, group in enumerate(paragraph_groups(lines)):
        texts = [ln.text for ln in group]
        if i == 0 and dateline:
            texts[0] = strip_dateline(texts[0])
        para = normalize_text_spacing(join_unwrapped(texts))
        if para:
            out.append(para)
    return out
