"""Chinese word segmentation (jieba) with the site's own words.

Why a wrapper: jieba's module-level functions share one global dictionary, so adding a
reporter's name for one site would leak into every other user in the process, and its
first use prints a banner and loads a 5 MB dictionary. A `Segmenter` owns a private
`jieba.Tokenizer`, adds the caller's user words (reporter names, town names) to that
instance only, and loads the dictionary on the first `cut`, never at import time. Create one
per site (or per run) and pass it to everything that segments.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable


class Segmenter:
    """Word segmentation with extra user words; the dictionary is loaded on first use."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self.user_words: tuple[str, ...] = tuple(
            dict.fromkeys(w.strip() for w in user_words if w and w.strip()))
        self._tokenizer = None

    def _ready(self):
        if self._tokenizer is None:
            import jieba  # deferred: importing jieba is cheap, but keep even that off import

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for word in self.user_words:
                tokenizer.add_word(word)
            self._tokenizer = tokenizer
        return self._tokenizer

    def cut(self, text: str) -> list[str]:
        """Precise-mode words of `text`, in order; concatenated they give back `text`.

        HMM (jieba's guesser for unknown words) is off: the parser asks "does a word span
        this line break?", and guessed words glue arbitrary characters across it."""
        return list(self._ready().cut(text, HMM=False))

    def cut_for_search(self, text: str) -> list[str]:
        """jieba's search mode (overlapping sub-words), for the search index."""
        return list(self._ready().cut_for_search(text))


def segmenter(user_words: Iterable[str] = ()) -> Segmenter:
    """A segmenter that knows `user_words` (e.g. reporter and town names) as words."""
    return Segmenter(user_words)
