"""Readable ASCII slugs for URLs: Hanyu Pinyin (tone-less) for Chinese, kept ASCII words.

URLs must survive GitHub Pages, `file://` on every OS and being pasted into chat, so they
are lower-case ASCII letters, digits and hyphens only. Collisions (two 王强 articles with the
same title, two people whose names share a reading) are resolved deterministically by the
caller's order with `-2`, `-3`, ... so the same content always yields the same URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80
"""The longest slug: a file name must stay well under the file system's 255 bytes with
`-N` and `.html` added (a byline name of 300 letters made the build fail with "file name
too long"). Pinyin slugs of real titles and names are under 50 characters."""


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """The pinyin syllables and ASCII words of `text`, remembered: the import names an
    article's file by its title, and reading the edition back (in the same process, for the
    build) slugs the same title again."""
    # pypinyin loads its dictionaries on import (a quarter of a second): only builds that
    # make a new slug pay for it, not the "nothing changed" answer
    from pypinyin import Style, lazy_pinyin

    parts: list[str] = []
    for chunk in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        for word in _NON_ALNUM.split(chunk.lower()):
            if word:
                parts.append(word)
    return tuple(parts)


def slugify(text: str, max_parts: int = 8, fallback: str = "item") -> str:
    """Pinyin syllables and ASCII words joined by hyphens, at most `max_parts` of them."""
    return "-".join(_words(text)[:max_parts])[:MAX_SLUG].strip("-") or fallback


def unique_slugs(texts: Iterable[str], max_parts: int = 8, fallback: str = "item",
                 slug_of: Callable[[str], str] | None = None) -> list[str]:
    """Slugs for `texts` in order; repeats get -2, -3 … (the first keeps the bare slug).

    `slug_of` replaces `slugify` for callers that memoise it between builds."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        base = slug_of(text) if slug_of else slugify(text, max_parts, fallback)
        slug, n = base, 1
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        out.append(slug)
    return out
