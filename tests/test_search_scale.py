"""Search at archive scale: what a query whose terms occur nowhere downloads, asserted in
bytes (sizes, not times), on a synthetic three-year archive built by `sitegen build` and on
a directory the size of ten years' vocabulary."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from archive import YEARS, make_archive

from sitegen.search import shards
from sitegen.search.assets import MANIFEST, parse_manifest
from sitegen.search.download import PAGE_SCRIPTS, files_size, probe

NO_MATCH = "没有这个词语"
"""Four trigrams, none in any article (the benchmark's query table has it)."""

LIMIT = 20_000
"""The most (gzip bytes) a query that matches nothing may download beyond the search page's
own scripts (lunr.js, the folding table, the manifest, client.js: every query's)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("scale") / "site"
    make_archive(site)
    subprocess.run([sys.executable, "-m", "sitegen.cli", "build", "--site", str(site)],
                   check=True, capture_output=True)
    return site / "build"


def test_a_query_matching_nothing_reads_only_the_term_directory(built: Path) -> None:
    rows = {r["q"]: r for r in probe(built, [NO_MATCH, "平湖 " + NO_MATCH, "平湖"])}
    none = rows[NO_MATCH]
    assert none["results"] == 0
    assert none["loaded"] and all(rel.startswith("search/t/") for rel in none["loaded"])
    assert len(none["loaded"]) <= 4  # one directory file per trigram at most
    raw, gz = files_size(built, none["loaded"])
    assert gz <= LIMIT, (raw, gz)
    # a part that matches nothing empties the whole query: no postings of 平湖 either
    both = rows["平湖 " + NO_MATCH]
    assert both["results"] == 0 and all(r.startswith("search/t/") for r in both["loaded"])
    # while a query that matches loads postings from every pack (three years of two months
    # each: an earlier year is one pack, the latest two) and the shown results
    hit = rows["平湖"]
    packs = {rel.split("/")[1] for rel in hit["loaded"] if not rel.startswith(("search/t/",
                                                                             "search/docs/"))}
    assert hit["results"] > 0 and packs == {"2022-03_04", "2023-03_04", "2024-03",
                                                "2024-04"}
    page, _ = files_size(built, PAGE_SCRIPTS)
    assert page > 0


def test_the_manifest_dates_every_year_and_joins_the_completed_ones(built: Path) -> None:
    """The built manifest's result dates cover every year; the completed years' packs are
    the ones joined (`past.py`; with no heavy term in this small archive, nothing to join)."""
    manifest = parse_manifest((built.parent / "build" / MANIFEST).read_text("utf-8"))
    assert sorted(manifest["dates"]) == [str(y) for y in YEARS]
    assert manifest["past"] == ["2022-03_04", "2023-03_04"] and manifest["pastDigest"]
    assert not (built / "assets" / "search" / "past").exists()


def _ten_year_vocab(terms: int, packs: int, seed: int = 17) -> list[shards.PackVocab]:
    """Directory entries of `packs` packs over `terms` distinct terms: most terms in one pack
    (names, numbers, junctions), a geometric tail in several, like a newspaper's
    vocabulary; random hashes and fingerprints, light or heavy codes, the heavy ones with
    the lengths files of the body (field 3) or of the body and the towns (2 and 3)."""
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 2**56, size=terms, dtype=np.uint64)
    keys = (keys >> np.uint64(24) << np.uint64(32)) | (keys & np.uint64(2**24 - 1))
    spread = np.minimum(rng.geometric(0.45, size=terms), packs)
    out = []
    for _ in range(packs):
        has = rng.random(terms) < spread / packs
        codes = rng.choice(np.array([1, 1, 1, 2 | 4 << 3, 3 | 4 << 3, 2 | 4 << 2 | 4 << 3],
                                    dtype=np.uint8), size=int(has.sum()))
        order = np.argsort(keys[has])
        out.append((keys[has][order], codes[order]))
    return out


def test_the_directory_stays_small_per_file_at_ten_years() -> None:
    """Ten years' synthetic archive has about four million distinct terms (trigrams,
    bigrams, junctions, words) over eleven packs: the directory file a query reads for a
    term is at most about 5 kB gzip, so four absent trigrams read under 20 kB."""
    vocab = _ten_year_vocab(terms=4_000_000, packs=11)
    count, files = shards.directory_files(vocab)
    assert count == shards.directory_count(4_000_000) or count >= 2048
    sizes = sorted(len(gzip.compress(f, 6)) for f in files)
    assert sizes[-1] <= 4_000, sizes[-5:]
    assert sum(sizes[-4:]) <= LIMIT


def test_directory_codes_round_trip(tmp_path: Path) -> None:
    """Every entry of every pack is found under its file with its pack's code, and the
    codes of one fingerprint in several packs are kept apart (what client.js reads)."""
    vocab = _ten_year_vocab(terms=20_000, packs=3, seed=5)
    count, files = shards.directory_files(vocab)
    width = 4 + len(vocab)
    table: dict[tuple[int, int], str] = {}
    for k, data in enumerate(files):
        body = data.decode().split('"')[1]
        for i in range(0, len(body), width):
            fp = 0
            for c in body[i:i + 4]:
                fp = fp * 64 + shards.B64.index(c.encode())
            codes = [shards.B64.index(c.encode()) for c in body[i + 4:i + width]]
            known = table.get((k, fp), [0] * len(codes))
            table[(k, fp)] = [a | b for a, b in zip(known, codes, strict=True)]
    bits = count.bit_length() - 1
    for p, (keys, codes) in enumerate(vocab):
        for key, code in zip(keys.tolist(), codes.tolist(), strict=True):
            k = (key >> 32) >> (32 - bits) if bits else 0
            fp = key & (2**shards.FP_BITS - 1)
            assert table[(k, fp)][p] & code == code

