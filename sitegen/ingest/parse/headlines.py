"""Headline groups: chunks of display lines → parts → kicker / title / subtitle / captions.

Display type is set in narrow frames, so one title is often wrapped over several lines,
while a group also stacks separate parts (引题, 主题, 副题) line by line. Inside a chunk
(the lines between blank lines) each line break is decided in the order of the spec:
an open quote/bracket or a word cut by the break (jieba) means *wrap*; a phrase-separating
inner space means the line is a complete part; a following line at least as wide as the
line before is a new part; a shorter one is the wrapped tail of the same part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sitegen.text.cjk import (
    collapse_spaces,
    display_width,
    is_cjk,
    is_han,
    join_unwrapped,
    open_brackets,
    tighten_cjk_ascii,
)

KICKER_ENDS = frozenset("，：！,:!")
"""A part ending like this leads into the title: it is (the end of) the kicker (引题)."""
MIN_DOUBLED = 4
"""Shortest line taken as doubled display type: `好好` is a word, not an extraction echo."""
MAX_DOUBLED = 120
"""Longest line taken as doubled display type: a 60-character headline twice (real ones are
under 30). Finding the runs backtracks, so its cost grows faster than the line: one line of
800,000 characters took 9 s, and a 10 MB one did not finish."""
SEARCH_STEPS = 3
"""The run search gives up (not doubled) after this many sizes tried per character of the
line: real doubled lines take about one (at most 29 for 26 characters on the demo and test
pages), while a near-miss like `abab…abba` tries about a quarter of the length squared, so
a page of such lines took time in proportion to its size times the line length."""


class Cutter(Protocol):
    def cut(self, text: str) -> list[str]: ...


@dataclass(frozen=True)
class Part:
    text: str
    doubled: bool = False


@dataclass
class Headline:
    kicker: str | None = None
    title: str = ""
    subtitle: str | None = None
    captions: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------ doubled type


def undouble(text: str) -> str | None:
    """`平湖标注创新奋进平湖标注创新奋进““新刻度新刻度””` → `平湖标注创新奋进“新刻度”`.

    Some display type is extracted twice, run by run (each font span comes out as `XX`).
    Returns the text with every run once when the *whole* line is such pairs, it has at
    least `MIN_DOUBLED` characters, one run is longer than a character and the result has
    Chinese in it (a line of `…………` is punctuation, not display type); otherwise None.
    A line with a `。` is body text, as in `is_headline_like`: display type has none, while a
    body line can hold one sentence twice (`产业兴则经济兴。产业兴则经济兴。`). A body or
    headline line that happens to be all pairs otherwise (`研究研究` alone on a line) would be
    misread, but real lines of text are not.
    """
    text = text.strip(" \t\u3000")
    if not MIN_DOUBLED <= len(text) <= MAX_DOUBLED or len(text) % 2 or "。" in text:
        return None
    runs = _doubled_runs(text)
    if runs is None or max(len(r) for r in runs) < 2:
        return None
    single = "".join(runs)
    return single if sum(is_han(ch) for ch in single) >= 2 else None


def _doubled_runs(text: str) -> tuple[str, ...] | None:
    """Split `text` into consecutive `XX` pairs (longest X first), or None if impossible.

    Every line of a page is asked this, and almost none is doubled, so two exact shortcuts
    come first: pairs make an even length, and the first run `X` of size s needs
    `text[s] == text[0]` for some 1 <= s <= len/2. The search is bounded (`SEARCH_STEPS`),
    so a line costs time in proportion to its length."""
    n = len(text)
    if n % 2 or text.find(text[:1], 1, n // 2 + 1) < 0:
        return None if n else ()
    memo: dict[int, tuple[str, ...] | None] = {}
    steps = SEARCH_STEPS * n

    def from_(i: int) -> tuple[str, ...] | None:
        nonlocal steps
        if i == n:
            return ()
        if i in memo:
            return memo[i]
        found: tuple[str, ...] | None = None
        for size in range((n - i) // 2, 0, -1):
            steps -= 1
            if steps < 0:
                raise _GiveUp
            run = text[i:i + size]
            if text.startswith(run, i + size):
                rest = from_(i + 2 * size)
                if rest is not None:
                    found = (run, *rest)
                    break
        memo[i] = found
        return found

    try:
        return from_(0)
    except _GiveUp:
        return None


class _GiveUp(Exception):
    """The run search took more than `SEARCH_STEPS` per character."""


# ------------------------------------------------------------------------ wrap vs part


def clean_headline_text(lines: Sequence[str]) -> str:
    """Join wrapped display lines; keep inner spaces (they separate couplet halves) but
    apply the CJK/ASCII rule (`A3 泊位` → `A3泊位`)."""
    return tighten_cjk_ascii(collapse_spaces(join_unwrapped(lines)))


def break_cuts_word(before: str, after: str, seg: Cutter) -> bool:
    """True when jieba puts a word across the break between `before` and `after` (`平|湖`)."""
    boundary = len(before)
    pos = 0
    for token in seg.cut(before + after):
        end = pos + len(token)
        if pos < boundary < end and len(token) > 1 and all(is_han(ch) for ch in token):
            return True
        pos = end
        if pos >= boundary:
            break
    return False


CLAUSE_MARKS = frozenset("，、；：。,;:")
"""Punctuation that joins clauses of running prose: a couplet's halves are phrases."""


def is_couplet(line: str) -> bool:
    """`实干争春早 奋战开门红`: a space between two Chinese phrases marks a complete part.

    Both sides must be Chinese phrases (two or more CJK characters): a space next to a
    Latin word or number (`自 8 月`) is justification padding, not a phrase separator. A
    line with clause punctuation (`当天，还举办了“回归田园 自在生活”`) is running prose
    whose quoted name holds a space, not two parallel phrases."""
    phrases = collapse_spaces(line).split(" ")
    return len(phrases) >= 2 and all(
        len(p) >= 2 and all(is_cjk(ch) for ch in p) and not CLAUSE_MARKS.intersection(p)
        for p in phrases)


def is_wrap(part_so_far: str, line: str, following: str, seg: Cutter) -> bool:
    """Does `following` continue the same part as `line` (whose part so far is given)?"""
    if open_brackets(part_so_far) > 0:
        return True
    if break_cuts_word(line.strip(), following.strip(), seg):
        return True
    if is_couplet(line):
        return False
    return display_width(following.strip()) < display_width(line.strip())


def chunk_parts(lines: Sequence[str], seg: Cutter) -> list[str]:
    """Split one chunk (lines without a blank between them) into its parts."""
    parts: list[list[str]] = []
    for line in lines:
        if parts and is_wrap("".join(parts[-1]), parts[-1][-1], line, seg):
            parts[-1].append(line)
        else:
            parts.append([line])
    return [clean_headline_text(p) for p in parts]


# ------------------------------------------------------------------------ roles of parts


def _kicker_end(parts: Sequence[Part]) -> int | None:
    """Index of the last kicker part: the first part ending in `，：！` that has a part after
    it, looked for only among the leading ordinary (not doubled) parts."""
    for i, part in enumerate(parts[:-1]):
        if part.doubled:
            return None
        if part.text and part.text[-1] in KICKER_ENDS:
            return i
    return None


def assign_parts(parts: Sequence[Part]) -> Headline:
    """Kicker = parts up to one ending in `，：！`; title = the next part; after the title,
    doubled parts are photo captions and the others the subtitle. Parts of one role are
    joined without a separator (a blank line between chunks often cuts a phrase)."""
    parts = [p for p in parts if p.text]
    if not parts:
        return Headline()
    k = _kicker_end(parts)
    kicker = "".join(p.text for p in parts[:k + 1]) if k is not None else None
    rest = parts[k + 1:] if k is not None else parts
    title, after = rest[0], rest[1:]
    subtitle = "".join(p.text for p in after if not p.doubled) or None
    captions = [p.text for p in after if p.doubled]
    return Headline(kicker=kicker, title=title.text, subtitle=subtitle, captions=captions)
