"""Building the index: our lunr math equals lunr.py's, lunr.js can load it (term order,
pipeline labels), the written files are deterministic and incremental, and a missing lunr.js
is a clear error."""

from __future__ import annotations

import copy
import itertools
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from test_search_corpus import demo_cut, demo_docs, gold_docs

from sitegen.errors import SitegenError
from sitegen.output import BuildOutput, MemoryOutput
from sitegen.search import SearchDoc, build_index, lunr_py_index, shards, write_search_assets
from sitegen.search import assets as assets_module
from sitegen.search.assets import (
    month_groups,
    parse_manifest,
    write_pack,
    write_segment,
)
from sitegen.search.engine import (
    FIELDS,
    batch_postings,
    canonical,
    check_terms,
    doc_words,
    docs_words,
    fold_text,
    ints_csv,
    utf16_order,
)
from sitegen.search.index import PIPELINE_LABELS, field_texts, to_js_literal
from sitegen.search.parts import PartsStore
from sitegen.search.shards import (
    TARGET_POSTINGS,
    SegmentParts,
    heavy_file,
    pack_buckets,
    pack_keys,
    pack_light,
)
from sitegen.search.tokenize import FOLD_TABLE, field_terms
from sitegen.search.varint import B64, ints_varint

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def index() -> dict:
    return build_index(demo_docs(), demo_cut())


def _load_in_node(index: dict) -> dict:
    proc = subprocess.run(
        [NODE, str(ROOT / "tests" / "js" / "load_index.mjs")],
        input=json.dumps(index, ensure_ascii=False),
        capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(proc.stdout)


def random_docs(seed: int, n: int) -> list[SearchDoc]:
    """Small articles from a few hundred characters (repeats, Latin, digits, astral,
    punctuation), so terms recur across documents and fields."""
    rng = random.Random(seed)
    alphabet = list("平湖市独山港区跨境电商产业园发展经济新闻记者") + list("ab12") + ["𠮷", "﨑"]
    seps = ["，", "。", " ", "：", "\n"]

    def text(k: int) -> str:
        return "".join(rng.choice(alphabet) if rng.random() > 0.12 else rng.choice(seps)
                       for _ in range(k))

    return [
        SearchDoc(url=f"r/{i}.html", title=text(rng.randint(0, 12)), kicker=None,
                  subtitle=text(6) if rng.random() < 0.3 else None, body=text(rng.randint(0, 300)),
                  people=[text(3)] if rng.random() < 0.5 else [], towns=[], date="2024-01-01",
                  page="第01版", bylines="")
        for i in range(n)
    ]


def word_cut(text: str) -> list[str]:
    """A deterministic stand-in segmenter producing words of 1-5 characters."""
    out, i = [], 0
    while i < len(text):
        k = 1 + (ord(text[i]) % 5)
        out.append(text[i : i + k])
        i += k
    return out


def test_batch_postings_are_exactly_field_terms() -> None:
    for docs, cut in ((demo_docs(), demo_cut()), (random_docs(1, 60), word_cut)):
        texts = [tuple(field_texts(d)[f] for f in FIELDS) for d in docs]
        postings = batch_postings(texts, [doc_words(t, cut) for t in texts])
        assert check_terms(postings, [[field_terms(t, cut) for t in tx] for tx in texts])
        # the batch word maker (one fold for all documents) gives the same words
        assert docs_words(texts, cut) == [doc_words(t, cut) for t in texts]


def test_trigrams_are_spelled_out_when_characters_have_no_short_numbers(monkeypatch) -> None:
    """A batch with more than 2**14 distinct word characters cannot code a trigram's three
    by rank in 42 bits: it spells its trigrams out, with the same terms."""
    from sitegen.search import engine

    monkeypatch.setattr(engine, "_ID_LIMIT", 8)
    docs = random_docs(2, 30)
    texts = [tuple(field_texts(d)[f] for f in FIELDS) for d in docs]
    postings = batch_postings(texts, [doc_words(t, word_cut) for t in texts])
    assert check_terms(postings, [[field_terms(t, word_cut) for t in tx] for tx in texts])
    assert any(len(t) == 3 and all(c not in "，。：" for c in t) for t in postings.terms)


def test_postings_do_not_depend_on_what_the_process_indexed_before() -> None:
    """A build's workers make months in any order: a batch's terms and postings are the
    same whatever the process met before (trigram codes are ranks within the batch)."""
    texts = [tuple(field_texts(d)[f] for f in FIELDS) for d in random_docs(3, 20)]
    words = [doc_words(t, word_cut) for t in texts]
    first = batch_postings(texts, words)
    other = [tuple(field_texts(d)[f] for f in FIELDS) for d in demo_docs()]
    batch_postings(other, [doc_words(t, word_cut) for t in other])
    again = batch_postings(texts, words)
    assert first.terms == again.terms
    for name in ("term_start", "doc", "field", "tf", "lengths"):
        assert (getattr(first, name) == getattr(again, name)).all(), name


def test_fold_text_is_the_translate_table() -> None:
    """The array-lookup fold of long texts equals `str.translate(FOLD_TABLE)`, including
    characters that fold to several (`㎞`), to a space, and ones seen for the first time."""
    rng = random.Random(5)
    alphabet = "平湖日报ＧＤＰ①㎞Ａa,。 \x00\n\u00e9\u0301𠮷﨑ſK" + "".join(
        chr(rng.randrange(0x20, 0x3FFFF)) for _ in range(400))
    for size in (10, 300, 5000):
        for _ in range(20):
            text = "".join(rng.choice(alphabet) for _ in range(size))
            assert fold_text(text) == text.translate(FOLD_TABLE)
    plain = "平湖日报 Pinghu 2024" * 40  # no several-character folds: the array path
    assert fold_text(plain) == plain.translate(FOLD_TABLE)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_our_index_equals_lunr_py_index(seed: int) -> None:
    """Identical serialized JSON, term numbering aside (lunr.py numbers terms in first-seen
    order, we in UTF-16 order; `canonical` renumbers lunr.py's)."""
    docs, cut = (demo_docs(), demo_cut()) if seed == 1 else (random_docs(seed, 80), word_cut)
    ours = build_index(docs, cut)
    theirs = canonical(lunr_py_index(docs, cut))
    assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)


def test_terms_are_in_utf16_order_which_differs_from_code_point_order(index: dict) -> None:
    terms = [t for t, _ in index["invertedIndex"]]
    assert terms == sorted(terms, key=utf16_order)
    assert "𠮷野家" in terms or "𠮷野" in terms
    assert terms != sorted(terms)
    assert [p["_index"] for _, p in index["invertedIndex"]] == list(range(len(terms)))


def test_lunr_js_loads_our_order_and_rejects_python_order(index: dict) -> None:
    assert _load_in_node(index)["raw"] == {"ok": True, "terms": len(index["invertedIndex"])}
    naive = copy.deepcopy(index)
    naive["invertedIndex"].sort(key=lambda pair: pair[0])
    answer = _load_in_node(naive)["raw"]
    assert not answer["ok"] and "Out of order" in answer["error"]


def test_unregistered_pipeline_label_is_a_clear_error(index: dict) -> None:
    assert index["pipeline"] == list(PIPELINE_LABELS) == []
    client_js = (ROOT / "sitegen" / "search" / "client.js").read_text("utf-8")
    assert "var PIPELINE_LABELS = [];" in client_js
    answer = _load_in_node(dict(index, pipeline=["stemmer-zz"]))
    assert not answer["raw"]["ok"] and "unregistered" in answer["raw"]["error"]
    assert not answer["client"]["ok"] and "stemmer-zz" in answer["client"]["error"]


def test_fields_and_boosts(index: dict) -> None:
    assert index["fields"] == ["title", "people", "towns", "body"]
    assert index["version"] == "2.3.9"
    vectors = dict(index["fieldVectors"])
    assert max(vectors["title/0"][1::2]) > max(vectors["body/0"][1::2])


def test_ints_csv() -> None:
    values = [0, 7, 10, 99, 100, 123456789, 5]
    text, ends = ints_csv(values)
    assert text == b"0,7,10,99,100,123456789,5"
    assert [text[: e].split(b",")[-1] for e in ends.tolist()] == [str(v).encode() for v in values]


def decode_varint(text: bytes | str) -> list[int]:
    """`ints_varint`'s text read back, as client.js `decodeInts` does, but refusing a
    text that ends inside a number."""
    raw = text.encode() if isinstance(text, str) else text
    out: list[int] = []
    value = 0
    inside = False
    for char in raw:
        digit = B64.index(char)
        value = (value << 5) | (digit & 31)
        inside = bool(digit & 32)
        if not inside:
            out.append(value)
            value = 0
    if inside:
        raise ValueError("text ends inside a number")
    return out


def test_ints_varint_digits() -> None:
    """Five bits a base64url digit, most significant first, bit 32 on all but the last."""
    text, ends = ints_varint([0, 1, 31, 32, 40, 1023, 1024, 2**31 - 1])
    assert text == b"A" b"B" b"f" b"hA" b"hI" b"_f" b"hgA" b"h_____f"
    assert ends.tolist() == [1, 2, 3, 5, 7, 9, 12, 19]
    assert decode_varint(text) == [0, 1, 31, 32, 40, 1023, 1024, 2**31 - 1]


def test_ints_varint_across_chunks_cut_where_asked() -> None:
    """A year's numbers go through in chunks; the offsets asked for (`at`) cut the text
    into the parts' numbers exactly."""
    values = [(i * 7919) % 300_007 for i in range(200_000)]
    cuts = [0, 65_535, 65_536, 131_071, 199_999]
    text, ends = ints_varint(values, cuts)
    assert decode_varint(text) == values
    pieces = [decode_varint(text[a:b]) for a, b in itertools.pairwise([0, *ends.tolist()])]
    bounds = [0] + [c + 1 for c in cuts]
    assert pieces == [values[a:b] for a, b in itertools.pairwise(bounds)]


def test_ints_varint_refuses_what_the_client_cannot_read() -> None:
    with pytest.raises(ValueError, match="must be in"):
        ints_varint([1, 2**31])
    with pytest.raises(ValueError, match="must be in"):
        ints_varint([-1])
    with pytest.raises(ValueError, match="inside a number"):
        decode_varint(b"h")


@pytest.mark.skipif(NODE is None, reason="node is required")
def test_the_client_reads_ints_varint_back(tmp_path: Path) -> None:
    """client.js `decodeInts` on the writer's text: every width of number, digits of zero
    inside a number (1024 is `hgA`), the largest the client takes."""
    rng = random.Random(7)
    values = [0, 1, 31, 32, 1023, 1024, 1055, 32 ** 3, 32 ** 4 + 1, 2**31 - 1]
    values += [rng.randrange(1 << rng.randrange(1, 32)) for _ in range(5000)]
    text, _ = ints_varint(values)
    script = tmp_path / "decode.mjs"
    script.write_text(
        f"import {{ loadClient }} from {json.dumps((ROOT / 'tests/js/pipeline.mjs').as_uri())};\n"
        "import fs from 'node:fs';\n"
        "const ints = loadClient().decodeInts(fs.readFileSync(0, 'utf8'));\n"
        "process.stdout.write(JSON.stringify(Array.from(ints)));\n", "utf-8")
    proc = subprocess.run([NODE, str(script)], input=text.decode(), capture_output=True,
                          text=True, timeout=60, check=True)
    assert json.loads(proc.stdout) == values


def test_ints_csv_across_chunks_and_wide_numbers() -> None:
    """A year's worth of numbers goes through in chunks, some with numbers too wide for the
    digit table: the text and offsets are those of `str` all the same."""
    values = [(i * 7919) % 100_003 for i in range(200_000)]
    values[70_000] = 123_456_789
    text, ends = ints_csv(values)
    assert text == ",".join(map(str, values)).encode()
    lengths = [len(str(v)) + 1 for v in values]
    assert ends.tolist() == [sum(lengths[: i + 1]) - 1 for i in range(3)] + ends.tolist()[3:]
    assert int(ends[-1]) == len(text)
    assert text[int(ends[69_999]) + 1 : int(ends[70_000])] == b"123456789"


def test_js_literal_escapes_what_could_break_out() -> None:
    value = {"a": '</script><!-- \u2028\u2029 "q" \\ 张'}
    text = to_js_literal(value)
    assert "<" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
    assert "张" in text


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_write_search_assets_is_byte_identical_and_safe(tmp_path: Path) -> None:
    docs, cut = demo_docs(), demo_cut()
    for name in ("a", "b"):
        stats = write_search_assets(tmp_path / name, docs, cut, ROOT)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    assert stats.documents == len(docs) and stats.doc_files == len(docs)
    assert stats.segments == 3 and stats.shard_files >= 3  # 2023-09, 2024-02, 2099-01
    assert a["assets/lunr.js"] == (ROOT / "node_modules" / "lunr" / "lunr.js").read_bytes()
    manifest = parse_manifest(a["assets/search-index.js"].decode("utf-8"))
    assert manifest["format"] == 5 and sum(s["count"] for s in manifest["segments"]) == len(docs)
    # one pack per earlier year, the latest month alone
    assert [(s["key"], s["pack"]) for s in manifest["segments"]] == [
        ("2023-09", "2023-09"), ("2024-02", "2024-02"), ("2099-01", "2099-01")]
    # a month is cut PACK_SPLIT (4) times finer than a pack of it alone is published
    assert [s["buckets"] for s in manifest["segments"]] == [32, 32, 4]
    assert manifest["packs"] == {"2023-09": 8, "2024-02": 8, "2099-01": 1}
    assert a["assets/search-client.js"] == (ROOT / "sitegen" / "search" / "client.js").read_bytes()
    for rel, data in a.items():
        if rel.startswith("assets/search") and rel != "assets/search-client.js":  # data
            text = data.decode("utf-8")
            assert "<" not in text and "\u2028" not in text and "\u2029" not in text, rel


def test_incremental_build_reuses_unchanged_months(tmp_path: Path) -> None:
    """Adding the newest edition rebuilds its month only, and gives the same bytes as a
    cold build of everything."""
    docs, cut = demo_docs(), demo_cut()

    class Cut:  # a segmenter whose identity the cache can know
        cache_key = "demo"

        def __call__(self, text: str):
            return cut(text)

    older = [d for d in docs if d.date != "2099-01-02"]
    cache = tmp_path / "cache"
    first = write_search_assets(BuildOutput(tmp_path / "a"), older, Cut(), ROOT, cache)
    assert first.segments_rebuilt == first.segments == 3
    second = write_search_assets(BuildOutput(tmp_path / "b", tmp_path / "a"), docs, Cut(), ROOT,
                                 cache)
    assert second.segments_rebuilt == 1 and second.files_reused > 0
    third = write_search_assets(BuildOutput(tmp_path / "c", tmp_path / "b"), docs, Cut(), ROOT,
                                cache)
    assert third.segments_rebuilt == 0 and third.files_written == 2  # lunr.js and manifest
    write_search_assets(tmp_path / "cold", docs, Cut(), ROOT)
    assert _files(tmp_path / "c") == _files(tmp_path / "cold") == _files(tmp_path / "b")
    # Reused files are links to the previous build's, never copies.
    shard = next(p for p in (tmp_path / "c" / "assets" / "search").rglob("*.js"))
    assert shard.stat().st_nlink >= 2


def test_changed_search_code_makes_the_months_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts kept in the cache belong to the code that cut them: after a change to the
    search package every month is indexed again, never re-packed from the old parts."""
    docs, cut = demo_docs(), demo_cut()

    class Cut:
        cache_key = "demo"

        def __call__(self, text: str):
            return cut(text)

    cache = tmp_path / "cache"
    first = write_search_assets(BuildOutput(tmp_path / "a"), docs, Cut(), ROOT, cache)
    assert first.segments_rebuilt == 3
    monkeypatch.setattr(assets_module, "parts_code", lambda: "the next version's code")
    again = write_search_assets(BuildOutput(tmp_path / "b", tmp_path / "a"), docs, Cut(), ROOT,
                                cache)
    assert again.segments_rebuilt == 3


def test_missing_node_modules_says_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(SitegenError, match="npm ci"):
        write_search_assets(tmp_path / "out", gold_docs()[:1], lambda s: [s], tmp_path)


def test_wrong_lunr_version_is_an_error(tmp_path: Path) -> None:
    lunr_js = tmp_path / "node_modules" / "lunr" / "lunr.js"
    lunr_js.parent.mkdir(parents=True)
    lunr_js.write_text("/**\n * lunr - http://lunrjs.com - not as bright - 2.3.8\n */\n")
    with pytest.raises(SitegenError, match=r"2\.3\.9"):
        write_search_assets(tmp_path / "out", gold_docs()[:1], lambda s: [s], tmp_path)


def test_npm_manifest_pins_lunr_and_vnu_exactly() -> None:
    manifest = json.loads((ROOT / "package.json").read_text("utf-8"))
    assert manifest["dependencies"] == {"lunr": "2.3.9", "vnu-jar": "26.9.27"}
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/lunr"]["version"] == "2.3.9"
    assert lock["packages"]["node_modules/vnu-jar"]["version"] == "26.9.27"


def test_empty_site_builds_an_empty_index(tmp_path: Path) -> None:
    assert build_index([], list)["invertedIndex"] == []
    stats = write_search_assets(tmp_path, [], list, ROOT)
    assert stats.documents == 0 and stats.segments == 0


def test_pack_keys_group_years_and_keep_the_latest_month_alone() -> None:
    months = ["2022-03", "2022-11", "2023-01", "2023-02", "2023-05", "2023-06"]
    assert pack_keys(months) == {
        "2022-03": "2022-03_11", "2022-11": "2022-03_11",
        "2023-01": "2023-01_05", "2023-02": "2023-01_05", "2023-05": "2023-01_05",
        "2023-06": "2023-06"}
    assert pack_keys(["2024-12"]) == {"2024-12": "2024-12"}
    assert pack_keys([]) == {}


def test_heavy_files_are_named_by_the_hex_of_the_term() -> None:
    # the same literals are checked against client.js's heavyFile in tests/js/client.test.mjs
    assert heavy_file("独山港") == "h/e78bace5b1b1e6b8af.js"
    assert heavy_file("a b") == "h/612062.js"
    assert heavy_file("\U00020000é") == "h/f0a08080c3a9.js"


def test_a_pack_concatenates_its_months_parts_in_order(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    """A pack's light file j holds each month's light part j modulo that month's bucket
    count; the heavy file of a term, that term's heavy parts: nothing else, nothing lost,
    whichever share of the files a task writes."""
    monkeypatch.setattr(shards, "HEAVY_POSTINGS", 4)  # the demo has no heavy terms
    docs, cut = demo_docs(), demo_cut()
    store = PartsStore(None)
    months = []
    for (key, year, first, items), buckets in zip(
            month_groups(sorted(docs, key=lambda d: d.date)), (2, 4, 1), strict=True):
        seg = write_segment(MemoryOutput(), key, year, first, items, cut, buckets=buckets,
                            store=store)
        months.append((key, seg.digest))
    parts = [store.load(key, digest) for key, digest in months]
    heavy = {t for p in parts for t in p.heavy}
    assert len(heavy) > 10
    out = MemoryOutput()
    made = [write_pack(out, "p", months, share=(i, 3), store=store) for i in range(3)]
    assert sorted(f for m in made for f in m.files) == sorted(out.files)
    # and len-<f>.js, the lengths heavy parts omit: each month's, per field
    assert len(out.files) == 4 + len(heavy) + 4
    lengths = [parts_lengths(store.extra(key, digest, "lengths")) for key, digest in months]
    for f in range(4):
        lines = out.files[f"assets/search/p/len-{f}.js"].decode().splitlines()
        assert [decode_lengths(line.split('"')[3]) for line in lines] == [
            month[f] for month in lengths]
    # the months are cut in 2, 4 and 1 parts; the pack has 4 files (its finest month's)
    assert [p.record["buckets"] for p in parts] == [2, 4, 1]
    for j in range(4):
        assert out.files[f"assets/search/p/{j}.js"] == b"".join(
            (parts[0].light[j % 2], parts[1].light[j], parts[2].light[0]))
    for t in heavy:
        assert out.files[f"assets/search/p/{heavy_file(t)}"] == b"".join(
            p.heavy[t] for p in parts if t in p.heavy)


def parts_lengths(line: bytes) -> list[list[int]]:
    text = line.decode()
    return json.loads(text[text.index('",') + 2:text.rindex(");")])


def decode_lengths(text: str) -> list[int]:
    """What `lengthsOf` in client.js reads from `shards.length_code`."""
    out, i = [], 0
    digits = shards.B64.decode()
    while i < len(text):
        if text[i] == "_":
            out.append(digits.index(text[i + 1]) << 12 | digits.index(text[i + 2]) << 6
                       | digits.index(text[i + 3]))
            i += 4
        else:
            out.append(digits.index(text[i]) << 6 | digits.index(text[i + 1]))
            i += 2
    return out


def test_length_codes_round_trip() -> None:
    values = [0, 1, 63, 64, 4031, 4032, 4095, 70_000, 262_143]
    assert decode_lengths(shards.length_code(values)) == values


def test_a_pack_has_about_target_postings_a_file_from_finer_months() -> None:
    """A year's twelve months, each cut in 8 parts: the pack aims at TARGET_POSTINGS a file
    over all of them, where one file per month part would hold twelve months' worth."""
    month = {"buckets": 8, "light": 2 * TARGET_POSTINGS}
    assert pack_buckets([month]) == 2  # alone: its own size
    assert pack_buckets([month] * 3) == 8  # 6 x TARGET: 8 files, never finer than a month
    assert pack_buckets([month] * 12) == 8
    assert pack_buckets([{"buckets": 1, "light": 10 * TARGET_POSTINGS}]) == 1  # one part


def test_a_pack_file_gathers_every_part_of_its_bucket() -> None:
    def month(name: str, buckets: int) -> SegmentParts:
        return SegmentParts(record={"buckets": buckets},
                            light=[f"{name}{f};".encode() for f in range(buckets)], heavy={})

    months = [month("a", 8), month("b", 2), month("c", 4)]
    # file j of 4: parts j and j + 4 of a month of 8, part j % 2 of a month of 2
    assert [pack_light(months, j, 4) for j in range(4)] == [
        b"a0;a4;b0;c0;", b"a1;a5;b1;c1;", b"a2;a6;b0;c2;", b"a3;a7;b1;c3;"]
