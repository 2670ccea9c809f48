"""The query table in node with the real lunr.js, plus lunr.py agreeing with lunr.js.

`tests/js/query.mjs` loads lunr.js, the built `assets/search-index.js` and
`assets/search.js` into one vm context (as the page's three <script>s) and answers every
query of `tests/search_queries.json` with the page's own code; each query is one test here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lunr.index import Index
from lunr.query import Query, QueryPresence
from test_search_corpus import expected_urls, load_queries, site_for_tests

from sitegen.search import SearchDoc, write_search_assets
from sitegen.search.index import parse_index_js
from sitegen.search.tokenize import fold

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "themes" / "default" / "static" / "search.js"
NODE = shutil.which("node")
QUERIES = load_queries()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    return site_for_tests(tmp_path_factory.mktemp("search-node"))


@pytest.fixture(scope="module")
def node_report(site: tuple[Path, bool]) -> dict:
    site_dir, real = site
    cmd = [NODE, str(ROOT / "tests" / "js" / "query.mjs"), str(site_dir)]
    if real:
        cmd.append("--real-build")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    report["by_query"] = {r["q"]: r for r in report["results"]}
    return report


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
    assert {(c["term"], c["presence"]) for c in clauses} >= {
        ("独山", "required"),
        ("山港", "required"),
        ("泊位", "required"),
    }
    # jieba put 独山港 (a town alias from the user dictionary) into the index's words, so the
    # browser recognises it in the query and boosts articles that have it as a word.
    assert {"term": "独山港", "presence": "optional", "boost": 10, "wildcard": "none"} in clauses
    single = node_report["by_query"]["电"]["clauses"]
    assert single == [{"term": "电", "presence": "required", "boost": 1, "wildcard": "trailing"}]


def _python_index(site_dir: Path) -> Index:
    payload = parse_index_js((site_dir / "assets" / "search-index.js").read_text("utf-8"))
    index = payload["index"]
    # lunr.py's loader insists on Python's (code point) order; lunr.js on UTF-16 order.
    index["invertedIndex"].sort(key=lambda pair: pair[0])
    return Index.load(index)


def test_lunr_py_scores_the_browser_clauses_like_lunr_js(
    node_report: dict, site: tuple[Path, bool]
) -> None:
    """Same index, same clauses, two engines: the same documents with the same scores."""
    index = _python_index(site[0])
    compared = 0
    for got in node_report["results"]:
        if not got["clauses"] or not got["rawHits"]:
            continue
        query = index.create_query()
        for c in got["clauses"]:
            query.term(
                c["term"],
                use_pipeline=False,
                boost=c["boost"],
                presence=QueryPresence.REQUIRED
                if c["presence"] == "required"
                else QueryPresence.OPTIONAL,
                wildcard=Query.WILDCARD_TRAILING
                if c["wildcard"] == "trailing"
                else Query.WILDCARD_NONE,
            )
        py = {r["ref"]: r["score"] for r in index.query(query)}
        js = {h["ref"]: h["score"] for h in got["rawHits"]}
        assert py.keys() == js.keys(), got["q"]
        for ref, score in js.items():
            assert py[ref] == pytest.approx(score, rel=1e-9), (got["q"], ref)
        compared += 1
    assert compared >= 15


def test_table_expectations_match_a_brute_force_substring_scan(site: tuple[Path, bool]) -> None:
    """The table is not copied from the output: every expected set is what a plain substring
    scan of the folded article texts gives."""
    site_dir, real = site
    docs = parse_index_js((site_dir / "assets" / "search-index.js").read_text("utf-8"))["docs"]
    keys = {
        d["url"]: "\n".join(
            fold(t)
            for t in (
                "\n".join(p for p in (d["kicker"], d["title"], d["subtitle"]) if p),
                "\n".join(d["people"]),
                "\n".join(d["towns"]),
                d["body"],
            )
        )
        for d in docs
    }
    for entry in QUERIES:
        parts = entry["q"].split()
        pos = [fold(p) for p in parts if not (len(p) > 1 and p[0] == "-") and fold(p)]
        neg = [fold(p[1:]) for p in parts if len(p) > 1 and p[0] == "-" and fold(p[1:])]
        scan = {
            url
            for url, key in keys.items()
            if pos and all(p in key for p in pos) and not any(n in key for n in neg)
        }
        assert scan == set(expected_urls(entry, real)), entry["q"]


def _tiny_site(tmp_path: Path, docs: list[SearchDoc], cut) -> Path:
    write_search_assets(tmp_path, docs, cut, ROOT)
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
        _doc("split.html", "其他新闻", "这三角洲际，三角洲际，三角洲际都有。"),
        _doc("word.html", "其他消息", "长江三角洲发展。"),
        _doc("title.html", "三角洲观察", "正文。"),
        _doc("none.html", "无关", "三角形和洲际。"),
    ]

    def cut(text: str) -> list[str]:
        # A stand-in segmenter: only 长江三角洲 is segmented into a word containing 三角洲.
        return ["长江", "三角洲", "发展"] if "长江三角洲" in text else list(text)

    got = _run_table(
        _tiny_site(tmp_path, docs, cut),
        [{"q": "三角洲", "expect": ["title.html", "word.html", "split.html"], "ordered": True}],
    )
    assert got["三角洲"]["urls"] == ["title.html", "word.html", "split.html"]
    assert got["三角洲"]["tiers"] == [0, 1, 1]


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
    """search.js's pure query-side functions, under node's own test runner."""
    proc = subprocess.run(
        [NODE, "--test", str(ROOT / "tests" / "js" / "client.test.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "# fail 0" in proc.stdout
