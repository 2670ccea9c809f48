"""How long a reader waits for search results, measured in a real browser.

Each query opens `search/index.html?q=...` from disk (`file://`, the harder case: no HTTP
cache, every script read from the file system) in a fresh browser context of Debian's
Chromium, and waits until search.js has shown the first page of results. Two figures per
query, both from the page itself:

* `answer_ms`: from the moment search.js starts the query (its scripts are loaded and the
  page is parsed) until the results are in the page: loading the query's shards, putting
  the index together, ranking, loading the shown results' data, rendering them;
* `page_ms`: from navigation start to the same moment (`performance.now()`), which adds
  loading the page, lunr.js, the manifest and search.js.

The browser is Debian's `chromium` driven by Playwright (never a downloaded one).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--allow-file-access-from-files"]


def search_times(build: Path, queries: list[str], repeat: int = 3) -> list[dict]:
    """For each query, the median of `repeat` cold runs of `answer_ms` and `page_ms`, and
    the number of results."""
    from playwright.sync_api import sync_playwright

    page_url = (build / "search" / "index.html").resolve().as_uri()
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for q in queries:
                runs = []
                for _ in range(repeat):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(f"{page_url}?q={quote(q)}")
                    page.wait_for_function(
                        "window.SitegenSearch && window.SitegenSearch.timing"
                        " || /出错|未能/.test(document.getElementById('search-status')"
                        ".textContent)", timeout=60_000)
                    runs.append(page.evaluate(
                        "() => ({t: window.SitegenSearch.timing, now: performance.now(),"
                        " status: document.getElementById('search-status').textContent})"))
                    context.close()
                if runs[0]["t"] is None:
                    raise RuntimeError(f"search failed for {q!r}: {runs[0]['status']}")
                answer = sorted(r["t"]["totalMs"] for r in runs)[len(runs) // 2]
                page_ms = sorted(r["now"] for r in runs)[len(runs) // 2]
                rows.append({"query": q, "answer_ms": round(answer, 1),
                             "page_ms": round(page_ms, 1), "status": runs[0]["status"]})
        finally:
            browser.close()
    return rows
