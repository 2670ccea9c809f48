"""Chinese word segmentation (jieba's algorithm and dictionary) with the site's own words.

The implementation is rjieba, the Python binding of jieba-rs: the same dictionary and
algorithm as jieba, measured to give token-for-token identical output on the demo and
synthetic corpora (tests/test_segment.py checks this against jieba itself) at about 20×
the speed (4.4 M vs 0.2 M characters/s for search mode on this machine), which is what
makes indexing a year of the paper fit in a build. See docs/scale.md.

Why a wrapper: a shared module-level dictionary would leak one site's reporter names into
every other user in the process. A `Segmenter` owns a private dictionary, adds the caller's
user words (reporter names, town names) to it only, and loads it on the first `cut`, never
at import time. Create one per site (or per run) and pass it to everything that segments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rjieba


def load_dictionary() -> rjieba.Jieba:
    """jieba's own dictionary, freshly loaded (0.1–0.3 s), for one `Segmenter` to take.

    A build's workers load one each while the parent is still reading the content, so
    the month of search data that waits for it does not."""
    # imported here: importing rjieba takes a quarter of a second, which the "nothing
    # changed" answer (whose import check loads the parser) never needs
    import rjieba

    return rjieba.Jieba()


class Segmenter:
    """Word segmentation with extra user words; the dictionary is loaded on first use.

    `dictionary`: one from `load_dictionary` that nothing else holds (this segmenter adds
    its words to it), instead of loading one."""

    def __init__(self, user_words: Iterable[str] = (),
                 dictionary: rjieba.Jieba | None = None) -> None:
        self.user_words: tuple[str, ...] = tuple(
            dict.fromkeys(w.strip() for w in user_words if w and w.strip()))
        self._tokenizer = None if dictionary is None else self._with_words(dictionary)

    def _with_words(self, tokenizer: rjieba.Jieba) -> rjieba.Jieba:
        for word in self.user_words:
            tokenizer.add_word(word, None, None)
        return tokenizer

    def _ready(self) -> rjieba.Jieba:
        if self._tokenizer is None:
            self._tokenizer = self._with_words(load_dictionary())
        return self._tokenizer

    def load(self) -> None:
        """Load the dictionary now (0.1–0.7 s) instead of on the first `cut`.

        The importer calls this before it forks its workers, so the dictionary is read once
        per import and the workers share the loaded copy, instead of each paying for it."""
        self._ready()

    def cut(self, text: str) -> list[str]:
        """Precise-mode words of `text`, in order; concatenated they give back `text`.

        HMM (jieba's guesser for unknown words) is off: the parser asks "does a word span
        this line break?", and guessed words glue arbitrary characters across it."""
        return self._ready().cut(text, False)

    def cut_for_search(self, text: str) -> list[str]:
        """jieba's search mode (overlapping sub-words), for the search index."""
        return self._ready().cut_for_search(text, True)


def segmenter(user_words: Iterable[str] = (), dictionary: rjieba.Jieba | None = None
              ) -> Segmenter:
    """A segmenter that knows `user_words` (e.g. reporter and town names) as words; see
    `Segmenter` for `dictionary`."""
    return Segmenter(user_words, dictionary)
