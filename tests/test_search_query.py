"""The query table in node with the real lunr.js; split index == unsplit index; lunr.py
agreeing with lunr.js.

`tests/js/query.mjs` loads lunr.js, the built `assets/search-index.js` and `assets/search.js`
into one vm context (as the page's three <script>s), lets the page's own code load the shard
and article scripts it asks for, and answers every query of `tests/search_queries.json`;
each query is one test here. The same code also answers each query from the *unsplit* lunr
index (`build_index`), and the two must agree exactly: same articles, order, scores, tiers,
for the whole list and for the first `limit` results the page asks for (client.js ranks only
the candidates for those with lunr.js).
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lunr.index import Index
from lunr.query import Query, QueryPresence
from test_search_corpus import (
    build_demo_site,
    demo_cut,
    demo_docs,
    expected_urls,
    load_queries,
    site_for_tests,
)

from sitegen.search import SearchDoc, build_index, write_search_assets
from sitegen.search import shards as shards_module
from sitegen.search.assets import doc_ref, month_groups, parse_manifest
from sitegen.search.index import field_texts
from sitegen.search.tokenize import fold, part_key

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "themes" / "default" / "static" / "search.js"
NODE = shutil.which("node")
QUERIES = load_queries()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    return site_for_tests(tmp_path_factory.mktemp("search-node"))


def _unsplit(docs: list[SearchDoc], path: Path) -> Path:
    """The unsplit index of `docs` with the refs the split build gives them."""
    numbered = [(year, first + i, d)
                for _, year, first, items in month_groups(sorted(docs, key=lambda d: d.date))
                for i, d in enumerate(items)]
    index = build_index([d for _, _, d in numbered], demo_cut(),
                        [doc_ref(y, n) for y, n, _ in numbered])
    path.write_text(json.dumps(index, ensure_ascii=False), "utf-8")
    return path


def _run(site_dir: Path, queries: Path | None = None, unsplit: Path | None = None,
         real: bool = False) -> dict:
    cmd = [NODE, str(ROOT / "tests" / "js" / "query.mjs"), str(site_dir)]
    if queries:
        cmd.append(str(queries))
    if real:
        cmd.append("--real-build")
    if unsplit:
        cmd.append(f"--unsplit={unsplit}")
    # a guard against a hang, not a time limit: with --unsplit the reference index is loaded
    # for every query (lunr.Index.load: most of the run's CPU), and on the shared test
    # machine, loaded four times over, the 400 random queries took 73 s of wall time for
    # 18 s of CPU, past the 120 s this was
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    report["by_query"] = {r["q"]: r for r in report["results"]}
    return report


@pytest.fixture(scope="module")
def node_report(site: tuple[Path, bool], tmp_path_factory: pytest.TempPathFactory) -> dict:
    site_dir, real = site
    unsplit = None if real else _unsplit(demo_docs(), tmp_path_factory.mktemp("u") / "i.json")
    return _run(site_dir, unsplit=unsplit, real=real)


@pytest.mark.parametrize("entry", QUERIES, ids=[e["q"] for e in QUERIES])
def test_query_in_node(entry: dict, node_report: dict, site: tuple[Path, bool]) -> None:
    got = node_report["by_query"][entry["q"]]
    assert got["error"] is None
    want = expected_urls(entry, site[1])
    if entry.get("ordered"):
        assert got["urls"] == want
    else:
        assert sorted(got["urls"]) == sorted(want)
    if entry.get("first"):
        first = [u for u in entry["first"] if u in want]
        assert got["urls"][: len(first)] == first
    assert got["failure"] is None


def test_status_messages(node_report: dict) -> None:
    by_query = node_report["by_query"]
    assert by_query["电商"]["status"] == "找到 2 篇文章"
    assert by_query["火星基地"]["status"] == "没有找到与“火星基地”相关的文章"
    assert by_query["~"]["status"] == "没有找到与“~”相关的文章"


def test_query_terms_are_lunr_clauses_not_query_syntax(node_report: dict) -> None:
    clauses = node_report["by_query"]["独山港 泊位"]["clauses"]
    assert {(c["term"], c["presence"]) for c in clauses} == {
        ("独山港", "required"),  # a trigram
        ("泊位", "required"),
    }
    clauses = node_report["by_query"]["电商产业园"]["clauses"]
    assert [(c["term"], c["presence"]) for c in clauses if c["presence"] == "required"] == [
        ("电商产", "required"), ("商产业", "required"), ("产业园", "required")]
    single = node_report["by_query"]["电"]["clauses"]
    assert single == [{"term": "电", "presence": "required", "boost": 1, "wildcard": "none"}]
    assert {c["term"] for c in node_report["by_query"]["8:30"]["clauses"]} == {"8:3", "30"}


def _python_index(index: dict) -> Index:
    index = json.loads(json.dumps(index))
    # lunr.py's loader insists on Python's (code point) order; lunr.js on UTF-16 order.
    index["invertedIndex"].sort(key=lambda pair: pair[0])
    return Index.load(index)


def test_lunr_py_scores_the_browser_clauses_like_lunr_js(node_report: dict) -> None:
    """The index the browser assembled, the same clauses, two engines: the same documents
    with the same scores."""
    compared = 0
    for got in _answers(node_report):
        if not got["clauses"] or not got["rawHits"]:
            continue
        index = _python_index(got["index"])
        query = index.create_query()
        for c in got["clauses"]:
            query.term(
                c["term"],
                use_pipeline=False,
                boost=c["boost"],
                presence=QueryPresence.REQUIRED
                if c["presence"] == "required"
                else QueryPresence.OPTIONAL,
                wildcard=Query.WILDCARD_NONE,
            )
        py = {r["ref"]: r["score"] for r in index.query(query)}
        js = {h["ref"]: h["score"] for h in got["rawHits"]}
        assert py.keys() == js.keys(), (got["q"], got["limit"])
        for ref, score in js.items():
            assert py[ref] == pytest.approx(score, rel=1e-9), (got["q"], got["limit"], ref)
        compared += 1
    assert compared >= 15 * 2


def test_table_expectations_match_a_brute_force_substring_scan(site: tuple[Path, bool]) -> None:
    """The table is not copied from the output: every expected set is what a plain substring
    scan of the folded article texts gives."""
    real = site[1]
    if real:
        pytest.skip("needs the demo corpus's texts")
    keys = {d.url: "\n".join(fold(t) for t in field_texts(d).values()) for d in demo_docs()}
    for entry in QUERIES:
        parts = entry["q"].split()
        pos = [part_key(p) for p in parts
               if not (len(p) > 1 and p[0] in "-－") and part_key(p)]
        neg = [part_key(p[1:]) for p in parts
               if len(p) > 1 and p[0] in "-－" and part_key(p[1:])]
        scan = {
            url
            for url, key in keys.items()
            if pos and all(p in key for p in pos) and not any(n in key for n in neg)
        }
        assert scan == set(expected_urls(entry, real)), entry["q"]


def _answers(report: dict) -> list[dict]:
    """Every answer of the report: each query's full list and its limited answers."""
    return [a for got in report["results"] for a in (got, *got.get("limited", []))]


def _split_equals_unsplit(report: dict) -> tuple[int, int]:
    """Every query: same refs in the same order, bit-identical scores, same tiers; for each
    limit, exactly the first `limit` of those, with the true total. Returns the number of
    queries with results and of limited answers whose lunr index left matches out."""
    compared = restricted = 0
    for got in report["results"]:
        assert got["error"] is None, got["q"]
        ref = got["reference"]
        assert got["refs"] == ref["refs"], got["q"]
        assert got["scores"] == ref["scores"], got["q"]
        assert got["tiers"] == ref["tiers"], got["q"]
        assert got["clauses"] == ref["clauses"], got["q"]
        assert got["count"] == len(ref["refs"]), got["q"]
        assert len(got["limited"]) >= 2
        for part in got["limited"]:
            n = part["limit"]
            where = (got["q"], n)
            assert part["error"] is None, where
            assert part["refs"] == ref["refs"][:n], where
            assert part["scores"] == ref["scores"][:n], where
            assert part["tiers"] == ref["tiers"][:n], where
            assert part["clauses"] == ref["clauses"], where
            assert part["count"] == len(ref["refs"]), where
            assert part["status"] == got["status"], where
            restricted += part["candidates"] < part["count"]
        compared += bool(ref["refs"])
    return compared, restricted


def test_split_index_answers_the_table_exactly_like_the_unsplit_index(node_report: dict,
                                                                      site) -> None:
    if site[1]:
        pytest.skip("the unsplit reference is built from the demo corpus")
    compared, restricted = _split_equals_unsplit(node_report)
    assert compared >= 20
    assert restricted >= 10


def _utf16(term: str) -> bytes:
    # lunr.js numbers terms in UTF-16 order (JavaScript's sort), not code point order.
    return term.encode("utf-16-be")


def _assembled_is_restricted(report: dict, full: dict) -> int:
    """Each answer's assembled index is, JSON for JSON, the unsplit index `full` restricted
    to the query's terms and the candidate documents: every match for the whole list, a
    set holding the first `limit` matches otherwise. Returns how many indexes kept a term
    that no candidate has (it must stay: lunr's query vector counts it)."""
    postings = dict(map(tuple, full["invertedIndex"]))
    vectors = dict(map(tuple, full["fieldVectors"]))
    kept_empty = 0
    for got in report["results"]:
        matches = got["reference"]["refs"]
        for answer in (got, *got["limited"]):
            where = (got["q"], answer["limit"])
            index = answer["index"]
            if any(t not in postings for key, ts in zip(answer["keys"], answer["partTerms"],
                                                        strict=True)
                   if not key.startswith("-") for t in ts):
                # a positive part has a term the corpus lacks: the term directory says so
                # and the client loads no postings at all (nothing can match)
                assert not matches and not index["fieldVectors"], where
                continue
            # The loaded terms (every part's terms, the index words found) the corpus has.
            loaded = {t for ts in answer["partTerms"] for t in ts}
            loaded |= {c["term"] for c in answer["clauses"]}
            terms = sorted((t for t in loaded if t in postings), key=_utf16)
            cands = {key.split("/", 1)[1] for key, _ in index["fieldVectors"]}
            assert len(cands) == answer["candidates"], where
            assert cands <= set(matches), where
            n = answer["limit"]
            if n is None or n >= len(matches):
                assert cands == set(matches), where
            else:
                assert cands >= set(matches[:n]), where
            old = {postings[t]["_index"]: r for r, t in enumerate(terms)}
            want_inv = [[t, {f: {d: m for d, m in p.items() if d in cands} if f != "_index" else r
                             for f, p in postings[t].items()}]
                        for r, t in enumerate(terms)]
            want_vec = {}
            for key, el in vectors.items():
                if key.split("/", 1)[1] not in cands:
                    continue
                pairs = [(old[el[k]], el[k + 1]) for k in range(0, len(el), 2) if el[k] in old]
                if pairs:
                    want_vec[key] = [x for p in sorted(pairs) for x in p]
            assert index["invertedIndex"] == want_inv, where
            assert dict(map(tuple, index["fieldVectors"])) == want_vec, where
            assert index["fields"] == full["fields"] and index["pipeline"] == full["pipeline"]
            kept_empty += any(not any(p[f] for f in full["fields"]) for _, p in want_inv)
    return kept_empty


def test_assembled_index_is_the_unsplit_index_restricted_to_the_loaded_terms_and_candidates(
    node_report: dict, site, tmp_path: Path
) -> None:
    """The lunr index client.js assembles from shards for a query is, JSON for JSON, the
    unsplit index restricted to the terms it loaded (term numbers are ranks, so they are
    renumbered within the subset) and the candidate documents."""
    if site[1]:
        pytest.skip("the unsplit reference is built from the demo corpus")
    full = json.loads(_unsplit(demo_docs(), tmp_path / "u.json").read_text("utf-8"))
    _assembled_is_restricted(node_report, full)
    assert sum(bool(got["index"]["invertedIndex"]) for got in node_report["results"]) >= 20


def random_queries(docs: list[SearchDoc], n: int, seed: int) -> list[dict]:
    """Substrings of the articles (1-8 characters, across punctuation too), pairs of them,
    negations, and a few strings that are in no article."""
    rng = random.Random(seed)
    texts = [t for d in docs for t in field_texts(d).values() if t]
    out: list[str] = []
    while len(out) < n:
        t = rng.choice(texts)
        i = rng.randrange(len(t))
        q = t[i : i + rng.randint(1, 8)]
        r = rng.random()
        if r < 0.2:
            u = rng.choice(texts)
            j = rng.randrange(len(u))
            q = q + " " + u[j : j + rng.randint(1, 4)]
        elif r < 0.3:
            u = rng.choice(texts)
            j = rng.randrange(len(u))
            q = q + " -" + u[j : j + rng.randint(1, 3)]
        elif r < 0.35:
            q = q[::-1] + "湖"
        out.append(q)
    return [{"q": q} for q in dict.fromkeys(out)]


def _spread_over_months(docs: list[SearchDoc]) -> list[SearchDoc]:
    """`docs` moved into five months of one year, months of different sizes, so the
    earlier four share a pack (and, with tiny shards, differ in bucket counts)."""
    months = [1, 1, 2, 3, 3, 3, 4, 5]
    return sorted((dataclasses.replace(d, date=f"2099-{months[i % len(months)]:02d}-0{1 + i % 3}")
                   for i, d in enumerate(docs)), key=lambda d: d.date)


def _spread_over_years(docs: list[SearchDoc]) -> list[SearchDoc]:
    """`docs` moved into two months of each of three years: two completed years, whose
    packs are joined (`past.py`), and the latest year's two packs."""
    months = ["2097-01", "2097-02", "2098-03", "2098-05", "2099-01", "2099-02"]
    return sorted((dataclasses.replace(d, date=f"{months[i % len(months)]}-0{1 + i % 3}")
                   for i, d in enumerate(docs)), key=lambda d: d.date)


@pytest.mark.parametrize("layout", ["default", "tiny", "packed", "years", "single"])
def test_random_queries_split_equals_unsplit(layout: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of random substring queries, on the normal layout, on one with a handful
    of postings per shard and every common term in a file of its own (so heavy-term files
    and many buckets are exercised), on that one with the articles spread over the
    months of one year (packs of several months), and on an offline copy's (one part a
    month, its lengths ahead of its postings): identical answers."""
    docs = demo_docs()
    if layout in ("tiny", "packed", "years"):
        monkeypatch.setattr(shards_module, "TARGET_POSTINGS", 8)
        monkeypatch.setattr(shards_module, "HEAVY_POSTINGS", 3)
    if layout == "single":
        site_dir = _tiny_site(tmp_path / "site", docs, demo_cut(), buckets=1)
        parts = sorted((site_dir / "assets" / "search").glob("20*/*.js"))
        assert [p.name for p in parts] == ["0.js"] * 3  # the demo's three months
        for part in parts:  # every posting two numbers, the lengths ahead of them
            text = part.read_text("utf-8")
            assert text.count("SitegenSearch.lengths(") == 4
            assert text.index("SitegenSearch.lengths(") < text.index("SitegenSearch.shard(")
            assert '"w":[2,2,2,2]' in text
    elif layout == "packed":
        docs = _spread_over_months(docs)
        site_dir = _tiny_site(tmp_path / "site", docs, demo_cut())
        manifest = parse_manifest((site_dir / "assets" / "search-index.js").read_text("utf-8"))
        packs = [s["pack"] for s in manifest["segments"]]
        assert packs == ["2099-01_04"] * 4 + ["2099-05"]
        assert len({s["buckets"] for s in manifest["segments"]}) > 1
        assert manifest["past"] == []  # one year: nothing joined
    elif layout == "years":
        docs = _spread_over_years(docs)
        site_dir = _tiny_site(tmp_path / "site", docs, demo_cut())
        manifest = parse_manifest((site_dir / "assets" / "search-index.js").read_text("utf-8"))
        assert manifest["past"] == ["2097-01_02", "2098-03_05"]
        assert sorted(manifest["dates"]) == ["2097", "2098", "2099"]
        search = site_dir / "assets" / "search"
        joined = sorted(p.relative_to(search / "past").as_posix()
                        for p in (search / "past").rglob("*.js"))
        # a joined file is its packs' files, one after the other
        for name in joined:
            parts = [search / pack / name for pack in manifest["past"]]
            assert (search / "past" / name).read_bytes() == b"".join(
                p.read_bytes() for p in parts if p.exists())
        assert sum(name.startswith("h/") for name in joined) > 20
        assert [n for n in joined if not n.startswith("h/")] == [f"len-{f}.js" for f in
                                                                 range(len(shards_module.FIELDS))]
    else:
        site_dir = build_demo_site(tmp_path / "site")
    shard_files = list((site_dir / "assets" / "search").glob("20*/*.js"))
    assert len(shard_files) > {"default": 3, "single": 1}.get(layout, 200)
    if layout in ("tiny", "packed", "years"):  # heavy postings with lengths and without
        widths = {w for f in (site_dir / "assets" / "search").glob("20*/h/*.js")
                  for ws in re.findall(r'"w":\[([0-9,]+)\]', f.read_text("utf-8"))
                  for w in ws.split(",")}
        assert widths == {"2", "3"}
        # the directory names the lengths files: the body's for some heavy terms, none
        # for others (the years' months are small: every heavy term there needs some)
        codes = set(_directory_heavy_codes(site_dir))
        assert 2 | 4 << 3 in codes and (layout == "years" or 2 in codes), sorted(codes)
    queries = tmp_path / "q.json"
    table = random_queries(demo_docs(), 400, seed=7) + load_queries()
    queries.write_text(json.dumps({"queries": table}, ensure_ascii=False), "utf-8")
    unsplit = _unsplit(docs, tmp_path / "u.json")
    report = _run(site_dir, queries, unsplit)
    compared, restricted = _split_equals_unsplit(report)
    assert compared >= 250
    assert restricted >= 150
    kept_empty = _assembled_is_restricted(report, json.loads(unsplit.read_text("utf-8")))
    assert kept_empty >= 100
    if layout in ("tiny", "packed", "years"):
        heavy = [r for r in report["results"] if any("/h/" in x for x in r["loaded"])]
        assert len(heavy) > 50
    if layout == "years":  # the completed years' heavy postings from the joined files only
        loaded = [x for r in report["results"] for x in r["loaded"]]
        assert any(x.startswith("search/past/h/") for x in loaded)
        assert any(x.startswith("search/past/len-") for x in loaded)
        assert not any(x.startswith(("search/2097-01_02/h/", "search/2098-03_05/h/"))
                       for x in loaded)


def _tiny_site(tmp_path: Path, docs: list[SearchDoc], cut, buckets: int | None = None
               ) -> Path:
    write_search_assets(tmp_path, docs, cut, ROOT, buckets=buckets)
    shutil.copyfile(SEARCH_JS, tmp_path / "assets" / "search.js")
    return tmp_path


def _run_table(site_dir: Path, table: list[dict]) -> dict:
    queries = site_dir / "queries.json"
    queries.write_text(json.dumps({"queries": table}, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [NODE, str(ROOT / "tests" / "js" / "query.mjs"), str(site_dir), str(queries)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return {r["q"]: r for r in json.loads(proc.stdout)["results"]}


def _doc(url: str, title: str, body: str, date: str = "2024-01-01") -> SearchDoc:
    return SearchDoc(url, title, None, None, body, [], [], date, "第01版 要闻", "")


def test_title_then_whole_word_then_score(tmp_path: Path) -> None:
    """Ranking: the title tier first; within a tier, an article where the query is one of
    the segmenter's words beats one where the same characters merely sit side by side, even
    when the latter repeats them more often."""
    docs = [
        _doc("split.html", "其他新闻", "这珠三角洲际，珠三角洲际，珠三角洲际都有。"),
        _doc("word.html", "其他消息", "珠三角洲发展。"),
        _doc("title.html", "珠三角洲观察", "正文。"),
        _doc("none.html", "无关", "珠三角和三角形。"),
    ]

    def cut(text: str) -> list[str]:
        # A stand-in segmenter: only 珠三角洲发展 is segmented into a word 珠三角洲.
        return ["珠三角洲", "发展"] if "珠三角洲发展" in text else list(text)

    got = _run_table(
        _tiny_site(tmp_path, docs, cut),
        [{"q": "珠三角洲", "expect": ["title.html", "word.html", "split.html"],
          "ordered": True}],
    )
    # none.html has 珠三角 but not 三角洲: trigram-AND does not find it
    assert got["珠三角洲"]["urls"] == ["title.html", "word.html", "split.html"]
    assert got["珠三角洲"]["tiers"] == [0, 1, 1]


def test_ties_put_newer_articles_first(tmp_path: Path) -> None:
    docs = [
        _doc("old.html", "标题甲", "港口", "2023-01-01"),
        _doc("new.html", "标题乙", "港口", "2024-01-01"),
    ]
    got = _run_table(
        _tiny_site(tmp_path, docs, list),
        [{"q": "港口", "expect": ["new.html", "old.html"], "ordered": True}],
    )
    assert got["港口"]["scores"][0] == got["港口"]["scores"][1]


def test_empty_site_searches_without_error(tmp_path: Path) -> None:
    got = _run_table(_tiny_site(tmp_path, [], list), [{"q": "平湖", "expect": []}])
    assert got["平湖"]["error"] is None and got["平湖"]["urls"] == []


def test_js_client_unit_tests() -> None:
    """client.js's pure query-side functions, under node's own test runner."""
    proc = subprocess.run(
        [NODE, "--test", str(ROOT / "tests" / "js" / "client.test.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "# fail 0" in proc.stdout


def _scripts(path: Path, call: str) -> list[list]:
    """The arguments of every `SitegenSearch.<call>(...)` line of a search script."""
    decoder = json.JSONDecoder()
    out = []
    for line in path.read_text("utf-8").splitlines():
        assert line.startswith(f"SitegenSearch.{call}(") and line.endswith(");"), line[:80]
        text, pos, args = line[len(call) + 15:-2], 0, []
        while pos < len(text):
            value, pos = decoder.raw_decode(text, pos)
            args.append(value)
            pos += text[pos:pos + 1] == ","
        out.append(args)
    return out


def _directory_heavy_codes(site_dir: Path) -> list[int]:
    """Checks that a heavy term's directory code in a pack names the pack's `len-<f>.js`
    of exactly the fields where its postings there leave their lengths out (width 2):
    client.js asks for them with the postings, so a missing one would fail a query and an
    extra one cost bytes. Returns the heavy codes checked."""
    search = site_dir / "assets" / "search"
    manifest = parse_manifest((site_dir / "assets" / "search-index.js").read_text("utf-8"))
    width = 4 + len(manifest["dirPacks"])
    directory: dict[tuple[int, int], list[int]] = {}
    for k in range(manifest["dir"]):
        ((_, body),) = _scripts(search / "t" / f"{k}.js", "dir")
        for i in range(0, len(body), width):
            fp = 0
            for c in body[i:i + 4]:
                fp = fp * 64 + shards_module.B64.index(c.encode())
            codes = body[i + 4:i + width]
            directory[(k, fp)] = [shards_module.B64.index(c.encode()) for c in codes]
    bits = manifest["dir"].bit_length() - 1
    masks = []
    for p, pack in enumerate(manifest["dirPacks"]):
        need: dict[str, int] = {}
        for path in sorted((search / pack / "h").glob("*.js")):
            for _, _, part in _scripts(path, "shard"):
                (term,) = part["t"]
                widths = part.get("w", [3] * len(shards_module.FIELDS))
                need[term] = need.get(term, 2) | sum(
                    4 << f for f, n in enumerate(part["c"]) if n and widths[f] == 2)
        for term, mask in need.items():
            h = int(shards_module.bucket_hashes([term])[0])
            k = h >> (32 - bits) if bits else 0
            fp = int(shards_module.fingerprints([term])[0])
            assert directory[(k, fp)][p] & ~1 == mask, (pack, term)
            masks.append(mask)
    return masks
