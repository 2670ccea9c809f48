"""Building the index: lunr.js can load it (term order, pipeline labels), the script file is
safe to embed, the output is deterministic, and a missing lunr.js is a clear error."""

from __future__ import annotations

import copy
import gzip
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from test_search_corpus import demo_cut, demo_docs, gold_docs

from sitegen.errors import SitegenError
from sitegen.search import SearchDoc, build_index, build_payload, render_index_js
from sitegen.search.assets import write_search_assets
from sitegen.search.index import PIPELINE_LABELS, parse_index_js, to_js_literal, utf16_order

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def index() -> dict:
    return build_index(demo_docs(), demo_cut())


def _load_in_node(index: dict) -> dict:
    proc = subprocess.run(
        [NODE, str(ROOT / "tests" / "js" / "load_index.mjs")],
        input=json.dumps(index, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def test_terms_are_in_utf16_order_which_differs_from_code_point_order(index: dict) -> None:
    terms = [t for t, _ in index["invertedIndex"]]
    assert terms == sorted(terms, key=utf16_order)
    assert "𠮷野家" in terms or "𠮷野" in terms
    # The corpus really hits the trap: Python's own order would be different.
    assert terms != sorted(terms)


def test_lunr_js_loads_our_order_and_rejects_python_order(index: dict) -> None:
    assert _load_in_node(index)["raw"] == {"ok": True, "terms": len(index["invertedIndex"])}
    naive = copy.deepcopy(index)
    naive["invertedIndex"].sort(key=lambda pair: pair[0])
    answer = _load_in_node(naive)["raw"]
    assert not answer["ok"] and "Out of order" in answer["error"]


def test_unregistered_pipeline_label_is_a_clear_error(index: dict) -> None:
    assert index["pipeline"] == list(PIPELINE_LABELS) == []
    search_js = (ROOT / "themes" / "default" / "static" / "search.js").read_text("utf-8")
    assert re.search(r"var PIPELINE_LABELS = \[\];", search_js)
    stemmed = dict(index, pipeline=["stemmer-zz"])
    answer = _load_in_node(stemmed)
    assert not answer["raw"]["ok"] and "unregistered" in answer["raw"]["error"]
    assert not answer["client"]["ok"] and "stemmer-zz" in answer["client"]["error"]


def test_fields_and_boosts(index: dict) -> None:
    assert index["fields"] == ["title", "people", "towns", "body"]
    assert index["version"] == "2.3.9"
    # Title vectors carry the 10x boost: the same term scores higher there than in the body.
    vectors = dict(index["fieldVectors"])
    assert max(vectors["title/0"][1::2]) > max(vectors["body/0"][1::2])


def test_js_literal_escapes_what_could_break_out() -> None:
    value = {"a": '</script><!-- \u2028\u2029 "q" \\ 张'}
    text = to_js_literal(value)
    assert "<" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
    assert "张" in text  # UTF-8, not \\u escapes: a third of the size for Chinese


def test_payload_is_deterministic_and_escaped() -> None:
    docs, cut = demo_docs(), demo_cut()
    first = render_index_js(build_payload(docs, cut))
    second = render_index_js(build_payload(list(docs), cut))
    assert first == second
    assert first.startswith("window.SITEGEN_SEARCH=JSON.parse(") and first.endswith(");\n")
    assert "<" not in first and "\u2028" not in first and "\u2029" not in first
    payload = parse_index_js(first)
    assert payload["format"] == 1
    assert [d["url"] for d in payload["docs"]] == [d.url for d in docs]


def test_write_search_assets_is_byte_identical(tmp_path: Path) -> None:
    docs, cut = demo_docs(), demo_cut()
    for name in ("a", "b"):
        write_search_assets(tmp_path / name, docs, cut, ROOT)
    for asset in ("lunr.js", "search-index.js"):
        assert (tmp_path / "a" / "assets" / asset).read_bytes() == (
            tmp_path / "b" / "assets" / asset
        ).read_bytes()
    lunr_js = (tmp_path / "a" / "assets" / "lunr.js").read_bytes()
    assert lunr_js == (ROOT / "node_modules" / "lunr" / "lunr.js").read_bytes()


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


def test_empty_site_builds_an_empty_index() -> None:
    payload = build_payload([], lambda s: [s])
    assert payload["docs"] == [] and payload["index"]["invertedIndex"] == []


def test_index_size_and_build_time_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Not a benchmark gate: prints the numbers the issue asks for (`pytest -s`)."""
    docs: list[SearchDoc] = gold_docs()
    cut = demo_cut()
    started = time.perf_counter()
    payload = build_payload(docs, cut)
    seconds = time.perf_counter() - started
    index_bytes = to_js_literal(payload["index"]).encode("utf-8")
    whole = render_index_js(payload).encode("utf-8")
    n = len(docs)
    report = {
        "articles": n,
        "index_bytes_per_article": len(index_bytes) // n,
        "index_gzip_bytes_per_article": len(gzip.compress(index_bytes, 6)) // n,
        "file_bytes_per_article": len(whole) // n,
        "file_gzip_bytes_per_article": len(gzip.compress(whole, 6)) // n,
        "terms": len(payload["index"]["invertedIndex"]),
        "build_ms_per_article": round(seconds * 1000 / n, 1),
    }
    with capsys.disabled():
        print("\nsearch index:", json.dumps(report))
    assert report["index_gzip_bytes_per_article"] < 20_000
