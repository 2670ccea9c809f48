"""lunr's index math without lunr.py: term statistics of many documents at once, and the
exact BM25 field-vector weights lunr 2.3.9 would compute from them.

Why not lunr.py: its `Builder` keeps a Python dict per term, per field and per document and
deep-copies metadata, about 5 ms and tens of kB per article; a year of the paper (20,000
articles, 30 million term occurrences) would take minutes and gigabytes. Here a batch of
documents is folded with one `str.translate`, encoded as UTF-32, and every unigram, bigram
and trigram becomes an integer code computed by numpy (`code = first << 21 | second`; a
trigram's three characters by their ranks among the batch's characters, 14 bits each, so
codes sort as the characters do), so counting term frequencies is one sort. Only jieba's
words (a few dozen per article) and the junctions (one per punctuation mark: their middle
is the punctuation as it stands, of any length) go through Python, as strings numbered
in a vocabulary.

What lunr needs from a corpus, and all this module produces, is per (term, document, field)
the term frequency `tf`, per (document, field) the field length (number of terms), the
number of documents `N`, and per term the number of (document, field) pairs that contain it
(`lunr.idf` counts those, not documents). `lunr_weight` is lunr's `createFieldVectors`
formula on those numbers, operation for operation, and `round(x, 3)` as lunr.py rounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sitegen.search.tokenize import FOLD_TABLE, WORD_MAX, WORD_MIN, Cut, is_word_char

FIELDS: tuple[str, ...] = ("title", "people", "towns", "body")
"""Index fields in lunr's order (the serialized index's `fields`)."""

BOOSTS: tuple[int, ...] = (10, 5, 3, 1)
"""Field boosts, same order. A title hit beats a body hit at equal term statistics."""

K1 = 1.2
"""lunr.Builder's `_k1`: term-frequency saturation."""

B = 0.75
"""lunr.Builder's `_b`: field-length normalisation."""

_SPACE = 32
_CP_BITS = 21  # every code point is below 2**21
_CP_MASK = (1 << _CP_BITS) - 1
_JUNCTION = 1 << 42
_WORD = 2 << 42
_TRIGRAM = 3 << 42
_ID_BITS = 14  # a trigram's characters by rank in the batch: 3 × 14 bits
_ID_MASK = (1 << _ID_BITS) - 1
_ID_LIMIT = 1 << _ID_BITS
"""Distinct word characters a batch may have for its trigrams to be coded by rank (a month
of news has 5,000–7,000); a batch with more spells its trigrams out."""
_DOC_BITS = 20  # (document, field) slots per batch: 2**20 / 4 = 262,144 documents
_KIND_MASK = 3 << 42


_UNSEEN = 0xFFFFFFFF  # code point not folded yet
_SEVERAL = 0xFFFFFFFE  # folds to more than one code point (`㎞` is `km`)


class _CodeFolder:
    """`str.translate(FOLD_TABLE)` for long texts, as a lookup in an array indexed by code
    point: translate looks every character up in a dict, 150 ns each, which made folding
    the largest single cost of indexing a year (30 million characters, twice). `words`
    tells, per code point of folded text, whether it is a word character (filled as the
    folded text meets new ones)."""

    def __init__(self) -> None:
        self.codes = np.full(0x110000, _UNSEEN, dtype=np.uint32)
        self.codes[0] = 0  # NUL separates fields and tokens: kept
        self.words = np.zeros(0x110000, dtype=bool)
        self.known = np.zeros(0x110000, dtype=bool)
        self.known[0] = self.known[_SPACE] = True
        self.seen = np.zeros(0x110000, dtype=bool)
        self.rank = np.zeros(0x110000, dtype=np.int64)

    def ranks(self, cps: np.ndarray) -> tuple[np.ndarray, list[str]] | None:
        """The rank of each of `cps` among their distinct values (code point order) and the
        characters by rank; None when there are more than `_ID_LIMIT` of them. Ranks, not
        numbers given in the order met: a worker's codes must not depend on the months it
        made before, or the terms' order, and the files, would."""
        self.seen[cps] = True
        distinct = np.flatnonzero(self.seen)
        self.seen[distinct] = False
        if len(distinct) > _ID_LIMIT:
            return None
        self.rank[distinct] = np.arange(len(distinct))
        return self.rank[cps], [chr(c) for c in distinct.tolist()]

    def word_mask(self, a: np.ndarray) -> np.ndarray:
        """Which code points of the folded text `a` are word characters."""
        unknown = ~self.known[a]
        if unknown.any():
            for cp in np.unique(a[unknown]).tolist():
                self.words[cp] = is_word_char(chr(cp))
                self.known[cp] = True
        return self.words[a]

    def fold(self, text: str) -> str:
        a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        folded = self.codes[a]
        unseen = folded == _UNSEEN
        if unseen.any():
            for cp in np.unique(a[unseen]).tolist():
                value = FOLD_TABLE[cp]
                self.codes[cp] = ord(value) if len(value) == 1 else _SEVERAL
            folded = self.codes[a]
        several = np.flatnonzero(folded == _SEVERAL)
        folded[several] = 1  # a placeholder, replaced below
        out = folded.tobytes().decode("utf-32-le", "surrogatepass")
        if not len(several):
            return out
        # `…` is `...`, `㎞` is `km`, a zero-width space nothing: the few characters that fold
    # to other than one
        # are put in by slicing
        pieces = []
        at = 0
        for i, cp in zip(several.tolist(), a[several].tolist(), strict=True):
            pieces += [out[at:i], FOLD_TABLE[cp]]
            at = i + 1
        pieces.append(out[at:])
        return "".join(pieces)


@lru_cache(maxsize=1)
def _folder() -> _CodeFolder:
    return _CodeFolder()


def fold_text(text: str) -> str:
    """`text.translate(FOLD_TABLE)`, fast on long texts (one lookup table per process)."""
    if len(text) < 256:
        return text.translate(FOLD_TABLE)
    return _folder().fold(text)


_WORDS_BATCH = 128
"""Documents whose tokens are folded together: enough to amortise the fold's fixed cost,
few enough that a month's tokens (1.7 million strings, 0.25 GB) are never all alive."""


def docs_words(docs: Sequence[Sequence[str]], cut: Cut) -> list[tuple[tuple[str, ...], ...]]:
    """jieba's words of each field text of each document (runs of WORD_MIN..WORD_MAX code
    points inside the segmenter's tokens), repeats kept. Mirrors `word_terms`, faster: the
    tokens of a batch of documents are folded in one call."""
    if len(docs) > _WORDS_BATCH:
        return [w for i in range(0, len(docs), _WORDS_BATCH)
                for w in docs_words(docs[i : i + _WORDS_BATCH], cut)]
    tokens: list[str] = []
    counts: list[int] = []
    for texts in docs:
        for text in texts:
            before = len(tokens)
            if text:
                tokens += cut(text.replace("\x00", " "))
            counts.append(len(tokens) - before)
    folded = fold_text("\x00".join(tokens)).split("\x00") if tokens else []
    out: list[tuple[tuple[str, ...], ...]] = []
    field_words: list[tuple[str, ...]] = []
    at = 0
    for count in counts:
        # most tokens are one or two characters: keep the rest in one comprehension, then
        # split the rare ones with punctuation or a space (`35.6%`, `ＧＤＰ増长`) into runs,
        # and drop the too long ones
        kept = [tok for tok in folded[at : at + count] if len(tok) >= WORD_MIN]
        at += count
        if kept:
            words: list[str] = []
            for tok in kept:
                words += _token_words(tok)
            kept = words
        field_words.append(tuple(kept))
        if len(field_words) == len(docs[len(out)]):
            out.append(tuple(field_words))
            field_words = []
    return out


@lru_cache(maxsize=1 << 16)
def _token_words(token: str) -> tuple[str, ...]:
    """The runs of WORD_MIN..WORD_MAX characters of one folded token (most are one run)."""
    out = []
    run: list[str] = []
    for c in token + " ":
        if is_word_char(c):
            run.append(c)
        elif run:
            if WORD_MIN <= len(run) <= WORD_MAX:
                out.append("".join(run))
            run = []
    return tuple(out)


def doc_words(texts: Sequence[str], cut: Cut) -> tuple[tuple[str, ...], ...]:
    """`docs_words` of one document."""
    return docs_words([texts], cut)[0]


@dataclass
class Postings:
    """Term statistics of a batch of documents (each with the four fields).

    Posting arrays are sorted by term code, then document, then field; `term_start[i]` is
    where term `terms[i]`'s postings begin.
    """

    terms: list[str]
    term_start: np.ndarray
    doc: np.ndarray
    field: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray
    """Field lengths, shape (documents, 4): the number of terms of each field."""

    @property
    def postings(self) -> int:
        return len(self.doc)


def _spelled(cps: np.ndarray) -> list[str]:
    """Each row of code points (n, k) as a string of k characters: one decode, then
    slices (a call per term took a tenth of the time of an offline copy's search data)."""
    k = cps.shape[1]
    text = cps.astype("<u4").tobytes().decode("utf-32-le")
    return [text[i : i + k] for i in range(0, len(text), k)]


def _decode(codes: np.ndarray, strings: list[str], chars: list[str]) -> list[str]:
    """The terms of term codes: unigrams and bigrams are their code points, trigrams their
    characters' ranks (`chars`), words and junctions numbers in the batch's `strings`."""
    out = np.empty(len(codes), dtype=object)
    kind = codes & np.uint64(_KIND_MASK)
    first = (codes >> np.uint64(_CP_BITS)) & np.uint64(_CP_MASK)
    second = codes & np.uint64(_CP_MASK)
    at = np.flatnonzero((kind == 0) & (first == 0))
    out[at] = _spelled(second[at, None])
    at = np.flatnonzero((kind == 0) & (first != 0))
    out[at] = _spelled(np.stack((first[at], second[at]), axis=1))
    at = np.flatnonzero(kind == np.uint64(_TRIGRAM))
    if len(at):
        cp = np.array([ord(c) for c in chars], dtype=np.uint32)
        ids = codes[at]
        mask = np.uint64(_ID_MASK)
        out[at] = _spelled(np.stack((cp[(ids >> np.uint64(2 * _ID_BITS)) & mask],
                                     cp[(ids >> np.uint64(_ID_BITS)) & mask],
                                     cp[ids & mask]), axis=1))
    # words and junctions: numbered in the batch's vocabulary
    at = np.flatnonzero((kind == np.uint64(_WORD)) | (kind == np.uint64(_JUNCTION)))
    numbers = codes[at] & np.uint64((1 << 42) - 1)
    out[at] = [strings[i] for i in numbers.tolist()]
    return out.tolist()


def batch_postings(
    texts: Sequence[Sequence[str]], words: Sequence[Sequence[Sequence[str]]]
) -> Postings:
    """Postings of documents given as their four field texts and their `doc_words`.

    The terms are exactly `field_terms` (tests compare): unigrams, bigrams, trigrams and
    junctions of the folded runs, plus the words.
    """
    n_docs = len(texts)
    if n_docs * len(FIELDS) >= 1 << _DOC_BITS:
        raise ValueError("batch too large; split it")
    # (Temporaries are deleted as soon as they are used: a month is 6 million terms, and
    # this function's peak is what bounds the memory of a build's search worker.)
    flat = [t.replace("\x00", " ") if "\x00" in t else t for doc in texts for t in doc]
    big = fold_text("\x00" + "\x00".join(flat) + "\x00")
    del flat
    a = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    del big
    # Collapse white space stretches to one space and drop them at field edges, as `fold`
    # does.
    prev = np.concatenate(([0], a[:-1]))
    a = a[~((a == _SPACE) & ((prev == _SPACE) | (prev == 0)))]
    nxt = np.concatenate((a[1:], [0]))
    a = a[~((a == _SPACE) & (nxt == 0))]
    del prev, nxt
    slot = np.cumsum(a == 0, dtype=np.int64) - 1  # (document, field) slot of each position
    a64 = a.astype(np.uint64)
    folder = _folder()
    is_word = folder.word_mask(a)
    uni = np.flatnonzero(is_word)
    bi = np.flatnonzero(is_word[:-1] & is_word[1:])
    tri = np.flatnonzero(is_word[:-2] & is_word[1:-1] & is_word[2:])
    # junctions: consecutive word characters with punctuation, and no space or field end,
    # between them (`split_key` and `junction`)
    breaks = np.cumsum((a == 0) | (a == _SPACE))
    left, right = uni[:-1], uni[1:]
    joined = (right - left > 1) & (breaks[left] == breaks[right])
    left, right = left[joined], right[joined]
    text = a.tobytes().decode("utf-32-le")
    junctions = [text[i : j + 1] for i, j in zip(left.tolist(), right.tolist(), strict=True)]
    del text, breaks, joined
    shift = np.uint64(_CP_BITS)
    codes = [a64[uni], (a64[bi] << shift) | a64[bi + 1]]
    slots = [slot[uni], slot[bi]]
    ranked = folder.ranks(a[uni]) if len(tri) else None
    spelled: list[str] = []
    chars: list[str] = []
    if ranked is not None:
        ids, chars = ranked
        number = np.zeros(len(a), dtype=np.uint64)
        number[uni] = ids.astype(np.uint64)
        idb = np.uint64(_ID_BITS)
        codes.append(np.uint64(_TRIGRAM) | (number[tri] << (idb + idb))
                     | (number[tri + 1] << idb) | number[tri + 2])
        slots.append(slot[tri])
        del number
    elif len(tri):
        text = a.tobytes().decode("utf-32-le")
        spelled = [text[i : i + 3] for i in tri.tolist()]
        del text
    # words and junctions: numbered in order of first appearance, each posted to its
    # (document, field)
    field_words = [fw for fields in words for fw in fields]
    if len(field_words) != n_docs * len(FIELDS):
        raise ValueError("words must have one tuple per field of each document")
    flat_words = [w for fw in field_words for w in fw]
    vocab = {w: i for i, w in enumerate(dict.fromkeys(flat_words + junctions + spelled))}
    codes.append(np.fromiter(map(vocab.__getitem__, flat_words), dtype=np.uint64,
                             count=len(flat_words)) | np.uint64(_WORD))
    slots.append(np.repeat(np.arange(len(field_words), dtype=np.int64),
                           [len(fw) for fw in field_words]))
    codes.append(np.fromiter(map(vocab.__getitem__, junctions), dtype=np.uint64,
                             count=len(junctions)) | np.uint64(_JUNCTION))
    slots.append(slot[left])
    if spelled:  # trigrams of a batch whose characters have no short numbers
        codes.append(np.fromiter(map(vocab.__getitem__, spelled), dtype=np.uint64,
                                 count=len(spelled)) | np.uint64(_JUNCTION))
        slots.append(slot[tri])
    del a64, slot, is_word, uni, bi, tri, left, right, flat_words, junctions, spelled
    keys = np.concatenate(codes)
    del codes
    all_slots = np.concatenate(slots)
    del slots
    lengths = np.bincount(all_slots, minlength=n_docs * len(FIELDS))
    keys <<= np.uint64(_DOC_BITS)
    keys |= all_slots.astype(np.uint64)
    del all_slots
    keys.sort()
    first = np.concatenate(([True], keys[1:] != keys[:-1]))
    at = np.flatnonzero(first)
    del first
    tf = np.diff(np.append(at, len(keys)))
    keys = keys[at]
    del at
    term_codes = keys >> np.uint64(_DOC_BITS)
    slot_of = (keys & np.uint64((1 << _DOC_BITS) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], term_codes[1:] != term_codes[:-1])))
    strings = list(vocab)
    terms = _decode(term_codes[starts], strings, chars)
    return Postings(
        terms=terms,
        term_start=np.concatenate((starts, [len(keys)])),
        doc=(slot_of // len(FIELDS)).astype(np.int64),
        field=(slot_of % len(FIELDS)).astype(np.int8),
        tf=tf.astype(np.int64),
        lengths=lengths.reshape(n_docs, len(FIELDS)).astype(np.int64),
    )


def idf(df: int, n: int) -> float:
    """`lunr.idf`: `df` counts (document, field) pairs with the term."""
    return math.log(1 + abs((n - df + 0.5) / (df + 0.5)))


def lunr_weight(idf_value: float, tf: int, length: int, avg: float, boost: int) -> float:
    """One field-vector entry, exactly as lunr.py's `_create_field_vectors` computes it (the
    same floating-point operations in the same order as lunr.js), rounded like lunr.py."""
    score = idf_value * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / avg)) + tf)
    score *= boost
    score *= 1  # document boost
    return round(score, 3)


def utf16_order(term: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units).

    lunr.js rebuilds its token set by inserting the serialized terms in order and throws
    "Out of order word insertion" if one compares lower than the one before it. Python sorts
    by code point, which disagrees for characters outside the BMP: `𠮷` (U+20BB7, surrogates
    D842 DFB7) sorts after `﨑` (U+FA11) in Python but before it in JavaScript.
    """
    return term.encode("utf-16-be")


def lunr_index(postings: Postings | None, refs: Sequence[str]) -> dict:
    """The serialized lunr.js 2.3.9 index of the batch, `refs[i]` being document i's ref.

    Equal to what lunr.py builds from the same term lists, except that a term's `_index` is
    its rank in UTF-16 order instead of first-seen order (tests compare both). The rank is
    what a browser that holds only some terms can recompute (client.js sorts the terms it
    loaded), so the split index and this one add up the same products in the same order.
    """
    n = len(refs)
    fields = list(FIELDS)
    if not n or postings is None:
        return {"version": "2.3.9", "fields": fields, "fieldVectors": [],
                "invertedIndex": [], "pipeline": []}
    avg = [int(s) / n for s in postings.lengths.sum(axis=0).tolist()]
    order = sorted(range(len(postings.terms)), key=lambda i: utf16_order(postings.terms[i]))
    rank = {i: r for r, i in enumerate(order)}
    inverted = []
    vectors: dict[tuple[int, int], list[tuple[int, float]]] = {}
    starts = postings.term_start.tolist()
    doc, field, tf = postings.doc.tolist(), postings.field.tolist(), postings.tf.tolist()
    lengths = postings.lengths.tolist()
    for i in order:
        lo, hi = starts[i], starts[i + 1]
        term_idf = idf(hi - lo, n)
        entry: dict[str, object] = {"_index": rank[i], **{f: {} for f in fields}}
        for p in range(lo, hi):
            d, f = doc[p], field[p]
            entry[fields[f]][refs[d]] = {}  # type: ignore[index]
            w = lunr_weight(term_idf, tf[p], lengths[d][f], avg[f], BOOSTS[f])
            vectors.setdefault((d, f), []).append((rank[i], w))
        inverted.append([postings.terms[i], entry])
    field_vectors = []
    for d in range(n):
        for f in range(len(fields)):
            elements = sorted(vectors.get((d, f), []))
            field_vectors.append(
                [f"{fields[f]}/{refs[d]}", [x for pair in elements for x in pair]])
    return {"version": "2.3.9", "fields": fields, "fieldVectors": field_vectors,
            "invertedIndex": inverted, "pipeline": []}


def canonical(index: dict) -> dict:
    """A serialized lunr index with `_index` renumbered to UTF-16 term rank (and its
    vectors re-sorted): how `lunr_index` numbers terms, for comparing with lunr.py."""
    terms = sorted((t for t, _ in index["invertedIndex"]), key=utf16_order)
    old = {t: p["_index"] for t, p in index["invertedIndex"]}
    new_of_old = {old[t]: r for r, t in enumerate(terms)}
    inverted = [[t, {**p, "_index": new_of_old[p["_index"]]}]
                for t, p in sorted(index["invertedIndex"], key=lambda e: utf16_order(e[0]))]
    vectors = []
    for ref, el in index["fieldVectors"]:
        pairs = sorted((new_of_old[el[k]], el[k + 1]) for k in range(0, len(el), 2))
        vectors.append([ref, [x for pair in pairs for x in pair]])
    return {**index, "invertedIndex": inverted, "fieldVectors": vectors}


_CSV_LIMIT = 100_000
_CSV_WIDTH = 6  # five digits and a comma


@lru_cache(maxsize=1)
def _csv_table() -> tuple[np.ndarray, np.ndarray]:
    """Every number below _CSV_LIMIT as ASCII digits and a comma, left-aligned in rows of
    _CSV_WIDTH bytes (flattened), and each one's length with the comma."""
    text, ends = _wide_csv(np.arange(_CSV_LIMIT, dtype=np.int64))
    raw = np.frombuffer(text, dtype=np.uint8)
    starts = np.concatenate(([0], ends[:-1] + 1))
    digits = ends - starts
    table = np.full((_CSV_LIMIT, _CSV_WIDTH), ord(","), dtype=np.uint8)
    for k in range(_CSV_WIDTH - 1):
        has = digits > k
        table[has, k] = raw[starts[has] + k]
    return table.ravel(), digits + 1


def _wide_csv(v: np.ndarray) -> tuple[bytes, np.ndarray]:
    """`ints_csv` of numbers of any size, digit by digit (the rare path)."""
    width = len(str(int(v.max())))
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (v[:, None] // powers) % 10
    ndig = np.searchsorted(10 ** np.arange(1, width + 1, dtype=np.int64), v, side="right") + 1
    chars = np.full((len(v), width + 1), 44, dtype=np.uint8)
    chars[:, :width] = digits + 48
    keep = np.ones((len(v), width + 1), dtype=bool)
    keep[:, :width] = np.arange(width)[None, :] >= (width - ndig)[:, None]
    keep[-1, width] = False
    return chars[keep].tobytes(), np.cumsum(ndig + 1) - 1


def ints_csv(values: np.ndarray | Sequence[int], at: np.ndarray | None = None
             ) -> tuple[bytes, np.ndarray]:
    """Non-negative integers as ASCII `1,22,333`, and the offset just past each number (or
    just past the numbers whose indices are `at`, ascending), so a caller can cut the text
    into files at number boundaries.

    A year's search data is about 100 million numbers. They are copied out of a table of
    every number's digits, a chunk at a time (`ints_in_chunks`)."""
    v = np.asarray(values)
    if v.dtype.kind not in "iu":
        v = v.astype(np.int64)
    if not len(v):
        return b"", np.zeros(0, dtype=np.int64)
    if int(v.min()) < 0:
        raise ValueError("negative")
    table, lengths = _csv_table()

    def digits(chunk: np.ndarray) -> tuple[bytes, np.ndarray]:
        # each number and its comma, so the chunks join with their commas
        chunk = chunk.astype(np.int64)
        if int(chunk.max()) >= _CSV_LIMIT:
            text, ends = _wide_csv(chunk)
            return text + b",", ends + 1
        lens = lengths[chunk]
        ends = np.cumsum(lens)
        index = np.repeat(chunk * _CSV_WIDTH - (ends - lens), lens)
        index += np.arange(int(ends[-1]))
        return table[index].tobytes(), ends

    text, ends = ints_in_chunks(v, at, digits)
    return text[:-1], ends - 1


INT_CHUNK = 1 << 16
"""Numbers made text at a time (`ints_in_chunks`)."""


def ints_in_chunks(values: np.ndarray, at: np.ndarray | Sequence[int] | None,
                   encode: Callable[[np.ndarray], tuple[bytes, np.ndarray]]
                   ) -> tuple[bytes, np.ndarray]:
    """`encode` (a chunk of numbers -> its text and the offset past each number in it) run
    on `values` INT_CHUNK numbers at a time, the texts joined, and the offset past each
    number in the whole (or past the numbers whose indices are `at`, ascending). Whole-array
    arithmetic on a year's 100 million numbers made temporary arrays of hundreds of
    megabytes, and the kernel's work of mapping and zeroing them cost more than the
    arithmetic (measured: 10× slower)."""
    wanted = None if at is None else np.asarray(at, dtype=np.int64)
    parts: list[bytes] = []
    ends: list[np.ndarray] = []
    offset = 0
    for i in range(0, len(values), INT_CHUNK):
        chunk = values[i : i + INT_CHUNK]
        text, chunk_ends = encode(chunk)
        parts.append(text)
        if wanted is not None:
            lo, hi = np.searchsorted(wanted, [i, i + len(chunk)])
            chunk_ends = chunk_ends[wanted[lo:hi] - i]
        ends.append(chunk_ends + offset)
        offset += len(text)
    return b"".join(parts), np.concatenate(ends)


def check_terms(postings: Postings, terms_per_doc: Sequence[Sequence[Sequence[str]]]) -> bool:
    """True when `postings` has exactly the given per-field term lists (for tests)."""
    got: dict[tuple[int, int, str], int] = {}
    starts = postings.term_start.tolist()
    for i, t in enumerate(postings.terms):
        for p in range(starts[i], starts[i + 1]):
            got[(int(postings.doc[p]), int(postings.field[p]), t)] = int(postings.tf[p])
    want: dict[tuple[int, int, str], int] = {}
    for d, fields in enumerate(terms_per_doc):
        for f, terms in enumerate(fields):
            for t in terms:
                want[(d, f, t)] = want.get((d, f, t), 0) + 1
            if postings.lengths[d][f] != len(terms):
                return False
    return got == want


__all__ = ["BOOSTS", "FIELDS", "Postings", "batch_postings", "doc_words", "docs_words",
           "lunr_index"]
