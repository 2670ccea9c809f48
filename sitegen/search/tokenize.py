"""The build-side half of the search tokenizer. `themes/default/static/search.js` is the other
half, and the two must agree character for character (tests compare them).

Why not lunr's own tokenizer: lunr splits on whitespace, and Chinese has none. Its trimmer
strips `\\W` from the ends of tokens, and in JavaScript `\\W` matches every Chinese character.
The reader's browser has no jieba either, so the index cannot depend on a segmentation the
browser cannot repeat. What the index stores:

* **Character bigrams** of every *run*, and **every character** of it as a unigram. A run is
  a maximal stretch of word characters (letters, digits, marks; any script) after folding.
  Any substring a reader types is then covered: each of its bigrams is in every article that
  contains it, and a single character is its own term (an exact term, not the prefix query
  `c*`: a prefix of a common character expands to hundreds of terms, which a split index
  would have to download).
* **Junctions**: the last character of a run, a space, and the first character of the next
  run (`8 3` for `8:30`). A query written across punctuation (`8:30`, `35.6%`) then needs
  its junctions too, so `8:30` does not find every article that has an 8 and a 30.
* **Words** of three or more characters: the runs inside jieba's tokens (whose user
  dictionary holds the site's reporter and town names). They are not needed to *find* an
  article. They *rank* it: when the browser finds a query run among the index's own words, it
  adds a boosted optional clause, so an article where `独山港` is a word comes before one where
  those characters only happen to be adjacent. Two-character words are bigrams already.

What a query part matches (`part_terms`, mirrored by `partTerms` in search.js): an article
matches a part when it has *every* term of the part (its runs' bigrams, a lone one-character
run as a unigram, the junctions between runs). That is substring search for one- and
two-character parts and a very close approximation for longer ones ("bigram-AND": `三角洲`
also finds an article with `三角` and `角洲` in different places); it is defined on the index
alone, so a split index gives exactly the same answers as one big index.

Folding is done one code point at a time (NFKC, then lower case; everything that is not a word
character becomes a separator). Per-code-point folding keeps a map from folded text back to
the original (for highlighting) and is exactly reproducible in JavaScript, whose
`String.prototype.normalize` and `toLowerCase` implement the same Unicode algorithms.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

Cut = Callable[[str], Iterable[str]]
"""Segmentation function (jieba's `cut_for_search` with the site's user dictionary)."""

WORD_MIN = 3
"""Shortest jieba word stored as its own term: shorter ones are already bigrams/unigrams."""

WORD_MAX = 16
"""Longest word term (code points). Longer runs (URLs, digit strings) are only bigrams."""

# Ideographs are word characters by range, not by Unicode category: Python 3.11 knows
# Unicode 14, browsers know 15 or 16, and a character assigned in between (CJK Extension H
# and I live in plane 3) would otherwise be a separator on one side and a letter on the other.
_IDEOGRAPH_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def is_word_char(ch: str) -> bool:
    """True for letters, digits and combining marks of any script, and all ideographs.

    Mirrors `isWordChar` in search.js (`/[\\p{L}\\p{N}\\p{M}]/u` plus the same ranges).
    """
    cp = ord(ch)
    for lo, hi in _IDEOGRAPH_RANGES:
        if lo <= cp <= hi:
            return True
    return unicodedata.category(ch)[0] in "LNM"


@lru_cache(maxsize=1 << 16)
def fold_char(ch: str) -> str:
    """One code point folded: NFKC (full-width `ＧＤＰ` is `gdp`, `①` is `1`), lower case, and
    every non-word character in the result replaced by a space. Cached: news text reuses
    a few thousand characters, and folding is the hot loop of indexing."""
    folded = unicodedata.normalize("NFKC", ch).lower()
    return "".join(c if is_word_char(c) else " " for c in folded)


def fold(text: str) -> str:
    """The search key of `text`: folded characters, each stretch of separators one space,
    no leading or trailing space. Substring search in this key is what a query means."""
    return " ".join(runs(text))


def runs(text: str) -> list[str]:
    """Maximal stretches of word characters of the folded text, in order."""
    return [r for r in "".join(fold_char(ch) for ch in text).split(" ") if r]


def run_grams(run: str) -> list[str]:
    """Bigrams of `run` in order, then each of its characters (see the module docstring)."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + list(run)


def junction(left: str, right: str) -> str:
    """The term joining two consecutive runs: last character, space, first character."""
    return left[-1] + " " + right[0]


def gram_terms(text: str) -> list[str]:
    """The n-gram and junction terms of a whole text, repeats kept (they are term
    frequencies): each run's grams, then the junction to the next run."""
    rs = runs(text)
    out: list[str] = []
    for i, r in enumerate(rs):
        out += run_grams(r)
        if i + 1 < len(rs):
            out.append(junction(r, rs[i + 1]))
    return out


def part_terms(part_runs: list[str]) -> list[str]:
    """The index terms an article must all have to match a query part made of `part_runs`
    (the part's folded runs): bigrams of each run, junctions between runs, and a lone
    one-character run as itself. Mirrors `partTerms` in search.js."""
    if len(part_runs) == 1 and len(part_runs[0]) == 1:
        return [part_runs[0]]
    out: list[str] = []
    for i, r in enumerate(part_runs):
        out += [r[k : k + 2] for k in range(len(r) - 1)]
        if i + 1 < len(part_runs):
            out.append(junction(r, part_runs[i + 1]))
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
