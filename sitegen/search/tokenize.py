"""The build-side half of the search tokenizer. `sitegen/search/client.js` is the other
half, and the two must agree character for character (tests compare them).

Why not lunr's own tokenizer: lunr splits on whitespace, and Chinese has none. Its trimmer
strips `\\W` from the ends of tokens, and in JavaScript `\\W` matches every Chinese character.
The reader's browser has no jieba either, so the index cannot depend on a segmentation the
browser cannot repeat. What the index stores:

* **Character trigrams and bigrams** of every *run*, and **every character** of it as a
  unigram. A run is a maximal stretch of word characters (letters, digits, marks; any
  script) after folding. Any substring a reader types is then covered: each of its
  trigrams (or, for two characters, its bigram) is in every article that contains it, and
  a single character is its own term (an exact term, not the prefix query `c*`: a prefix
  of a common character expands to hundreds of terms, which a split index would have to
  download).
* **Junctions**: the last character of a run, the punctuation between it and the next run
  as it stands (folded), and the first character of the next run (`8:3` for `8:30`, `5.6`
  for `35.6%`). A query written across punctuation then needs the same punctuation: `8:30`
  does not find an article with `58%。302` (an 8, a 30 and some punctuation between), nor
  one with `8 30`. Runs apart by white space (a line break, a word space, the end of a
  field) have no junction: a query is split into parts at white space, so no part can
  contain one.
* **Words** of four or more characters: the runs inside jieba's tokens (whose user
  dictionary holds the site's reporter and town names). They are not needed to *find* an
  article. They *rank* it: when the browser finds a query run among the index's own words, it
  adds a boosted optional clause, so an article where `跨境电商` is a word comes before one
  where those characters only happen to be adjacent. Words of two or three characters are
  bigrams and trigrams already.

What a query part matches (`part_terms`, mirrored by `partTerms` in client.js): an article
matches a part when it has *every* term of the part (its runs' trigrams, a two-character
run as its bigram, a lone one-character run as a unigram, the junctions between runs).
That is substring search of the part's key (`part_key`: its folded text from its first to
its last word character) for runs of up to three characters and a close approximation for
longer ones ("trigram-AND": `发展的重要` also finds an article with `发展的`, `展的重` and
`的重要` in different places). Bigrams alone were a poor one: on the benchmark's year,
`发展的重要` found 10,501 articles where 2,820 contain it. It is defined on the index alone,
so a split index gives exactly the same answers as one big index.

Folding is done one code point at a time: NFKC, lower case, then a traditional character
becomes its simplified form (`variants.py`: OpenCC's character table, so `電商` finds what
`电商` finds), white space and control characters become a space, other format characters
(zero-width space, soft hyphen) vanish, and punctuation stays as it is (NFKC has made
full-width `：` the `:` of `8:30`). Per-code-point folding keeps a map from folded text back
to the original (for highlighting) and is exactly reproducible in JavaScript, whose
`String.prototype.normalize` and `toLowerCase` implement the same Unicode algorithms.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

Cut = Callable[[str], Iterable[str]]
"""Segmentation function (jieba's `cut_for_search` with the site's user dictionary)."""

WORD_MIN = 4
"""Shortest jieba word stored as its own term: shorter ones are already n-grams."""

GRAM_MAX = 3
"""Longest n-gram indexed: a query run longer than this must have all of its trigrams."""

WORD_MAX = 16
"""Longest word term (code points). Longer runs (URLs, digit strings) are only bigrams."""

# Ideographs are word characters by range, not by Unicode category: Python 3.11 knows
# Unicode 14, browsers know 15 or 16, and a character assigned in between (CJK Extension H
# and I live in plane 3) would otherwise be a separator on one side and a letter on the other.
_IDEOGRAPH_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def is_word_char(ch: str) -> bool:
    """True for letters, digits and combining marks of any script, and all ideographs.

    Mirrors `isWordChar` in client.js (`/[\\p{L}\\p{N}\\p{M}]/u` plus the same ranges).
    """
    cp = ord(ch)
    for lo, hi in _IDEOGRAPH_RANGES:
        if lo <= cp <= hi:
            return True
    return unicodedata.category(ch)[0] in "LNM"


def is_break(ch: str) -> bool:
    """White space (line and paragraph separators and the BOM included, which JavaScript's
    `\\s` counts) and control characters: what separates a query's parts, and what no
    junction crosses. Mirrors `isBreak` in client.js."""
    return ch == "\ufeff" or unicodedata.category(ch) in _BREAK_CATEGORIES


_BREAK_CATEGORIES = frozenset({"Cc", "Zs", "Zl", "Zp"})


@lru_cache(maxsize=1 << 16)
def fold_char(ch: str) -> str:
    """One code point folded: NFKC (full-width `ＧＤＰ` is `gdp`, `①` is `1`, `：` is `:`),
    lower case, traditional characters simplified (`variants.t2s`), white space and control
    characters a space, other format characters (`Cf`: zero-width space, soft hyphen)
    nothing, anything else (punctuation, symbols) itself. Cached: news text reuses a few
    thousand characters, and folding is the hot loop of indexing."""
    from sitegen.search.variants import t2s

    table = t2s()
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower():
        if is_word_char(c):
            out.append(table.get(c, c))
        elif is_break(c):
            out.append(" ")
        elif unicodedata.category(c) != "Cf":
            out.append(c)
    return "".join(out)


def fold(text: str) -> str:
    """The search key of `text`: folded characters, each stretch of white space one space,
    no leading or trailing space. Substring search in this key is what a query means."""
    return " ".join(filter(None, "".join(fold_char(ch) for ch in text).split(" ")))


def split_key(key: str) -> tuple[list[str], list[str]]:
    """The runs of a folded key and the gaps between consecutive runs (what stands between
    run i and run i + 1: punctuation, white space, or both); leading and trailing gaps are
    dropped, so there is one gap fewer than runs."""
    out_runs: list[str] = []
    gaps: list[str] = []
    run: list[str] = []
    gap: list[str] = []
    for c in key:
        if is_word_char(c):
            if gap:
                if out_runs:
                    gaps.append("".join(gap))
                gap = []
            run.append(c)
        else:
            if run:
                out_runs.append("".join(run))
                run = []
            gap.append(c)
    if run:
        out_runs.append("".join(run))
    return out_runs, gaps


def runs(text: str) -> list[str]:
    """Maximal stretches of word characters of the folded text, in order."""
    return split_key(fold(text))[0]


def part_key(text: str) -> str:
    """A query part's key: its fold from the first to the last word character (`35.6%` is
    `35.6`: punctuation around a part binds nothing). Empty without word characters."""
    key = fold(text)
    start = next((i for i, c in enumerate(key) if is_word_char(c)), len(key))
    end = next((i for i in range(len(key), 0, -1) if is_word_char(key[i - 1])), 0)
    return key[start:end] if start < end else ""


def run_grams(run: str) -> list[str]:
    """Bigrams of `run` in order, then its trigrams, then each of its characters (see the
    module docstring)."""
    return ([run[i : i + 2] for i in range(len(run) - 1)]
            + [run[i : i + 3] for i in range(len(run) - 2)] + list(run))


def junction(left: str, gap: str, right: str) -> str | None:
    """The term joining two consecutive runs across `gap`: last character, the punctuation,
    first character; None when white space stands between them."""
    return None if " " in gap else left[-1] + gap + right[0]


def gram_terms(text: str) -> list[str]:
    """The n-gram and junction terms of a whole text, repeats kept (they are term
    frequencies): each run's grams, then the junction to the next run, if any."""
    rs, gaps = split_key(fold(text))
    out: list[str] = []
    for i, r in enumerate(rs):
        out += run_grams(r)
        if i + 1 < len(rs):
            term = junction(r, gaps[i], rs[i + 1])
            if term is not None:
                out.append(term)
    return out


def part_terms(key: str) -> list[str]:
    """The index terms an article must all have to match a query part whose key is `key`
    (`part_key`; it has no white space): the trigrams of each run (a run of two: its
    bigram), junctions between runs, and a lone one-character run as itself. Mirrors
    `partTerms` in client.js."""
    rs, gaps = split_key(key)
    if len(rs) == 1 and len(rs[0]) == 1:
        return [rs[0]]
    out: list[str] = []
    for i, r in enumerate(rs):
        n = min(len(r), GRAM_MAX)
        if n > 1:
            out += [r[k : k + n] for k in range(len(r) - n + 1)]
        if i + 1 < len(rs):
            term = junction(r, gaps[i], rs[i + 1])
            if term is not None:
                out.append(term)
    return list(dict.fromkeys(out))


class _FoldTable(dict):
    """`str.translate` table that folds like `fold_char`, filled on first sight of a code
    point: folding a whole text becomes one C-level call instead of a Python loop."""

    def __missing__(self, cp: int) -> str:
        value = fold_char(chr(cp))
        self[cp] = value
        return value


FOLD_TABLE = _FoldTable()
FOLD_TABLE[0] = "\x00"  # kept: the batch tokenizer uses NUL as a field separator


def word_terms(text: str, cut: Cut) -> list[str]:
    """Runs of three or more characters inside the segmenter's tokens of `text`."""
    return [r for token in cut(text) for r in runs(token) if WORD_MIN <= len(r) <= WORD_MAX]


def field_terms(text: str | None, cut: Cut) -> list[str]:
    """All index terms of one field's text: n-grams first, then words."""
    if not text:
        return []
    return gram_terms(text) + word_terms(text, cut)
