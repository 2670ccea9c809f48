"""The search page in Debian's Chromium: typed queries, from `file://` and over HTTP.

A reader types into `#search-q` and presses Enter; the plain GET form reloads
`search/index.html?q=...` and search.js fills `#search-results`. Every query of the shared
table must give exactly the expected article links, with no script error and no dialog (a
hostile query or article must never run). Uses the system Chromium; never downloads one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import loopback_server
from playwright import sync_api
from test_search_corpus import expected_urls, load_queries, site_for_tests

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent

QUERIES = load_queries()
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    return site_for_tests(tmp_path_factory.mktemp("search-browser"))


@pytest.fixture(scope="module")
def http_root(site: tuple[Path, bool]) -> Iterator[str]:
    with loopback_server(site[0]) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


class SearchPage:
    """One tab on the search page, recording anything that must never happen."""

    def __init__(self, browser: object, root: str, init_script: str | None = None):
        self.root = root
        self.page = browser.new_page()  # type: ignore[attr-defined]
        if init_script:
            self.page.add_init_script(init_script)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.on("dialog", self._dialog)
        self.page.goto(root + "search/index.html")
        self.page.wait_for_function("window.SitegenSearch !== undefined")

    def _console(self, msg: object) -> None:
        # Failed loads are judged by URL in _response (the browser's own /favicon.ico is fine).
        text = msg.text  # type: ignore[attr-defined]
        if msg.type == "error" and not text.startswith("Failed to load resource"):  # type: ignore[attr-defined]
            self.errors.append(text)

    def _response(self, response: object) -> None:
        url = response.url  # type: ignore[attr-defined]
        if response.status >= 400 and not url.endswith("/favicon.ico"):  # type: ignore[attr-defined]
            self.errors.append(f"{response.status} {url}")  # type: ignore[attr-defined]

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def type_query(self, q: str) -> None:
        box = self.page.locator("#search-q")
        box.fill("")
        box.press_sequentially(q)
        with self.page.expect_navigation():
            box.press("Enter")
        self.page.wait_for_function(
            "(s => s.length > 0 && s !== '正在搜索…')"
            "(document.getElementById('search-status').textContent)"
        )

    def result_urls(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all(
            "#search-results > li a[href]", "els => els.map(e => e.href)"
        )
        base = urljoin(self.root, ".")
        out = []
        for href in hrefs:
            assert href.startswith(base), href
            out.append(unquote(href[len(base) :]))
        return out


@pytest.fixture(scope="module", params=["file", "http"])
def search_page(
    request: pytest.FixtureRequest, browser: object, site: tuple[Path, bool], http_root: str
) -> Iterator[SearchPage]:
    root = site[0].as_uri() + "/" if request.param == "file" else http_root
    page = SearchPage(browser, root)
    yield page
    page.page.close()


@pytest.mark.parametrize("entry", QUERIES, ids=[e["q"] for e in QUERIES])
def test_typed_query_finds_exactly_the_expected_articles(
    entry: dict, search_page: SearchPage, site: tuple[Path, bool]
) -> None:
    q = entry["q"]
    search_page.type_query(q)
    page = search_page.page
    # The query stays in the URL and in the box.
    assert urlsplit(page.url).path.endswith("/search/index.html")
    assert page.evaluate("new URLSearchParams(location.search).get('q')") == q
    assert page.input_value("#search-q") == q
    want = expected_urls(entry, site[1])
    got = search_page.result_urls()
    if entry.get("ordered"):
        assert got == want
    else:
        assert sorted(got) == sorted(want)
    if entry.get("first"):
        first = [u for u in entry["first"] if u in want]
        assert got[: len(first)] == first
    status = page.text_content("#search-status")
    assert status == (f"找到 {len(want)} 篇文章" if want else f"没有找到与“{q}”相关的文章")
    assert page.locator("#search-results > li").count() == len(want)
    assert search_page.errors == [] and search_page.dialogs == []
    # Nothing from the query or the content became markup.
    assert page.locator("img, #search-results script, #search-results b").count() == 0


def test_result_shows_title_date_page_bylines_and_highlighted_snippet(
    search_page: SearchPage,
) -> None:
    search_page.type_query("张立帆")
    item = search_page.page.locator("#search-results > li").first
    assert item.locator("a").text_content() == "推进“深根计划” 汇聚人才资源"
    meta = item.locator(".search-result-meta").text_content()
    assert "2023年9月19日" in meta and "第01版 要闻" in meta and "记者 李雨婷" in meta
    assert item.locator(".search-result-meta time").get_attribute("datetime") == "2023-09-19"
    marks = item.locator(".search-result-snippet mark").all_text_contents()
    assert marks and set(marks) == {"张立帆"}


def test_hostile_content_is_shown_as_text(search_page: SearchPage, site) -> None:
    if site[1]:
        pytest.skip("the synthetic hostile article is only in the demo corpus")
    search_page.type_query("onerror")
    item = search_page.page.locator("#search-results > li").first
    assert item.locator("a").text_content() == '<b>标签</b>测试 & "引号" </script>'
    assert "<img src=x onerror=alert(1)>" in item.locator(".search-result-snippet").text_content()
    assert search_page.page.locator("img, b, i, u").count() == 0
    assert search_page.dialogs == [] and search_page.errors == []


def test_punctuation_query_highlights_the_original_text(search_page: SearchPage) -> None:
    search_page.type_query("35.6%")
    marks = search_page.page.locator("#search-results mark").all_text_contents()
    assert "35.6" in marks


def test_empty_query_asks_for_words(search_page: SearchPage) -> None:
    search_page.page.goto(search_page.root + "search/index.html?q=")
    assert search_page.page.text_content("#search-status") == "请输入要搜索的词语"
    assert search_page.page.locator("#search-results > li").count() == 0


def test_query_loads_only_its_shards_and_shown_articles(search_page: SearchPage) -> None:
    """The page loads the manifest, then only the shard files of the query's terms and the
    shown articles' data; prints the timing search.js measured."""
    search_page.type_query("平湖")
    search_page.page.wait_for_function("window.SitegenSearch.timing.totalMs !== undefined")
    timing = search_page.page.evaluate("window.SitegenSearch.timing")
    loaded = search_page.page.evaluate(
        "Array.from(document.scripts).map(e => e.src)"
        ".filter(n => n.includes('/assets/search/'))"
    )
    shards = [u for u in loaded if "/search/docs/" not in u]
    docs = [u for u in loaded if "/search/docs/" in u]
    print(f"\nbrowser {search_page.root[:4]}: {json.dumps(timing)} files {len(loaded)}")
    assert 0 < len(shards) <= 3 * 3  # one bucket per term per month (at most 3 terms here)
    assert len(docs) == len(search_page.result_urls())
    assert 0 <= timing["totalMs"] < 2000


# The manifest as the page sees it, with a page size of SMALL_PAGE results.
SMALL_PAGE = 4
SMALL_PAGE_SCRIPT = (
    "Object.defineProperty(window, 'SITEGEN_SEARCH', {configurable: true,"
    " get() { return this.__manifest; },"
    f" set(v) {{ v.shown = {SMALL_PAGE}; this.__manifest = v; }}}});"
)


def test_more_button_shows_the_next_results_of_the_same_ranking(
    search_page: SearchPage, browser: object
) -> None:
    """With a page of SMALL_PAGE results, "显示更多" appends the next SMALL_PAGE (search.js
    ranks more of them only now), in the order of the whole list, the status keeps the
    true total, and the button goes when everything is shown."""
    q = "平湖"
    search_page.type_query(q)
    want = search_page.result_urls()  # the whole list (a first page of 20)
    assert len(want) > 2 * SMALL_PAGE
    small = SearchPage(browser, search_page.root, SMALL_PAGE_SCRIPT)
    try:
        small.type_query(q)
        page = small.page
        total = int(page.text_content("#search-status").split()[1])
        assert total >= len(want)
        shown = SMALL_PAGE
        clicks = 0
        while True:
            assert page.locator("#search-results > li").count() == shown
            assert small.result_urls() == want[:shown]
            status = page.text_content("#search-status")
            if shown == total:
                assert status == f"找到 {total} 篇文章"
                assert page.locator("#search-more").count() == 0
                break
            assert status == f"找到 {total} 篇文章，显示前 {shown} 篇"
            if min(shown + SMALL_PAGE, total) > len(want) or clicks == 4:
                break  # a real build's list is longer than the first page compared
            page.click("#search-more")
            clicks += 1
            shown = min(shown + SMALL_PAGE, total)
            page.wait_for_function(
                f"document.querySelectorAll('#search-results > li').length >= {shown}")
        assert clicks >= 2
        assert small.errors == [] and small.dialogs == []
    finally:
        small.page.close()
