"""Which gazetteer towns an article mentions, in order of first mention.

Plain substring search over the article's own text: town names and aliases are distinctive
multi-character strings, and the `exclude` list masks the known false friends (a string
that contains an alias but names something else) before searching.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.config import Town


def _mask(text: str, exclusions: Iterable[str]) -> str:
    for phrase in exclusions:
        if phrase:
            text = text.replace(phrase, "\0" * len(phrase))
    return text


def first_mention(text: str, town: Town) -> int | None:
    """Offset of the town's earliest spelling in `text`, or None when it is not mentioned."""
    masked = _mask(text, town.exclude)
    hits = [i for s in town.spellings if (i := masked.find(s)) >= 0]
    return min(hits) if hits else None


def towns_mentioned(texts: Iterable[str], gazetteer: Iterable[Town]) -> list[str]:
    """Canonical names of the towns mentioned in `texts` (joined in order), first mention first."""
    text = "\n".join(t for t in texts if t)
    found = [(pos, i, town.name) for i, town in enumerate(gazetteer)
             if (pos := first_mention(text, town)) is not None]
    return [name for _, _, name in sorted(found)]
