"""The search tests' corpus and demo site, shared by the node and Chromium tests.

Until the real build writes `build/search/index.html`, the tests assemble a small site
themselves: the exact search-page markup of the contract, `write_search_assets` over the two
real pages' gold articles, plus two synthetic articles (`zz-test/...`) that carry hostile
HTML and characters that trip lunr.js (astral ideographs, U+2028). Set
`SITEGEN_SEARCH_SITE=/path/to/build` to run the same query table against a real build; the
synthetic expectations are then dropped.

Also importable as a module (`from test_search_corpus import ...`); the tests in this file
check the corpus itself.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from sitegen.search import SearchDoc, write_search_assets

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
QUERIES = ROOT / "tests" / "search_queries.json"
SEARCH_JS = ROOT / "themes" / "default" / "static" / "search.js"
SYNTHETIC_PREFIX = "zz-test/"

# The gold pages are the raw pages of these editions (content/raw/<date>/<label>.txt).
GOLD_PAGES = {
    "000_945dd167e662ca43.json": ("2023-09-19", "01", "要闻"),
    "002_855235c3d5b4990d.json": ("2024-02-03", "C01", "今日平湖"),
}

SEARCH_MARKUP = (
    '<form class="search-form" role="search" action="index.html" method="get">'
    '<label for="search-q">搜索</label><input id="search-q" type="search" name="q">'
    '<button type="submit">搜索</button></form>\n'
    '<p id="search-status" role="status" aria-live="polite"></p>\n'
    '<ol id="search-results"></ol>\n'
    '<script src="../assets/lunr.js"></script><script src="../assets/search-fold.js"></script>'
    '<script src="../assets/search-index.js"></script>'
    '<script src="../assets/search-client.js"></script><script src="../assets/search.js"></script>'
)

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>搜索 - 平湖日报</title><link rel="icon" href="data:,"></head>
<body>
<main>
{markup}
</main>
</body>
</html>
"""


def slug(title: str) -> str:
    """The article slug the real build uses (pinyin of the title), so URLs in the query
    table are the same for the demo corpus and a real build."""
    from sitegen.text.slugs import slugify

    return slugify(title)


def gold_docs() -> list[SearchDoc]:
    docs = []
    for name, (day, page_no, page_name) in GOLD_PAGES.items():
        data = json.loads((GOLD / name).read_text(encoding="utf-8"))
        for art in data["articles"]:
            docs.append(
                SearchDoc(
                    url=f"{day}/{page_no}/{slug(art['title'])}.html",
                    title=art["title"],
                    kicker=art["kicker"],
                    subtitle=art["subtitle"],
                    body="\n".join(art["paragraphs"]),
                    people=[b["name"] for b in art["bylines"]],
                    towns=list(art["towns"]),
                    date=day,
                    page=f"第{page_no}版 {page_name}",
                    bylines=" ".join(f"{b['role']} {b['name']}" for b in art["bylines"]),
                )
            )
    return docs


def synthetic_docs() -> list[SearchDoc]:
    """Content that must be shown as text, and characters that break naive indexes."""
    return [
        SearchDoc(
            url=f"{SYNTHETIC_PREFIX}hostile.html",
            title='<b>标签</b>测试 & "引号" </script>',
            kicker=None,
            subtitle="<i>副题</i>",
            body=(
                "正文里有 <img src=x onerror=alert(1)> 和 <script>alert(2)</script>，"
                "页面必须原样显示。"
            ),
            people=["<u>某某</u>"],
            towns=[],
            date="2099-01-01",
            page="第99版 测试",
            bylines="记者 <u>某某</u>",
        ),
        SearchDoc(
            url=f"{SYNTHETIC_PREFIX}rare.html",
            title="𠮷野家与﨑山的生僻字",
            kicker=None,
            subtitle=None,
            # U+2028/U+2029 end lines in pre-2019 JavaScript; ＧＤＰ２０２４ is full-width.
            body="𠮷野家\u2028分店开业，﨑山先生出席。\u2029全角ＧＤＰ２０２４年增长。",
            people=[],
            towns=[],
            date="2099-01-02",
            page="第99版 测试",
            bylines="",
        ),
    ]


def demo_docs() -> list[SearchDoc]:
    return gold_docs() + synthetic_docs()


def user_words(docs: Iterable[SearchDoc]) -> list[str]:
    """Every reporter and town name (with the gazetteer's aliases), as the build loads them."""
    words = {name for d in docs for name in (*d.people, *d.towns)}
    config = tomllib.loads((ROOT / "sitegen.toml").read_text(encoding="utf-8"))
    for town in config.get("towns", []):
        words.add(town["name"])
        words.update(town.get("aliases", []))
    return sorted(w for w in words if w)


@cache
def make_cut(words: tuple[str, ...]) -> Callable[[str], Iterable[str]]:
    """jieba's search-mode segmentation with `words` in its user dictionary."""
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    for w in words:
        tokenizer.add_word(w, freq=100_000)
    return tokenizer.cut_for_search


def demo_cut() -> Callable[[str], Iterable[str]]:
    return make_cut(tuple(user_words(demo_docs())))


def build_demo_site(out: Path) -> Path:
    """A minimal site with the real search page contract, in `out`."""
    (out / "search").mkdir(parents=True, exist_ok=True)
    (out / "search" / "index.html").write_text(PAGE.format(markup=SEARCH_MARKUP), encoding="utf-8")
    write_search_assets(out, demo_docs(), demo_cut(), ROOT)
    shutil.copyfile(SEARCH_JS, out / "assets" / "search.js")
    return out


def site_for_tests(tmp_root: Path) -> tuple[Path, bool]:
    """(site folder, is_real_build): `$SITEGEN_SEARCH_SITE` if set, else a demo site."""
    real = os.environ.get("SITEGEN_SEARCH_SITE")
    if real:
        return Path(real).resolve(), True
    return build_demo_site(tmp_root / "site"), False


def load_queries() -> list[dict]:
    return json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]


def expected_urls(entry: dict, real_build: bool) -> list[str]:
    """The expected result URLs; a real build has no synthetic articles."""
    urls = entry["expect"]
    if real_build:
        urls = [u for u in urls if not u.startswith(SYNTHETIC_PREFIX)]
    return urls


# ---------------------------------------------------------------- tests of the corpus itself


def test_gold_corpus_has_every_article_once() -> None:
    docs = gold_docs()
    assert len(docs) == 14
    assert len({d.url for d in docs}) == len(docs)
    assert "2023-09-19/01/jia-xing-quan-min-guo-fang-jiao-yu.html" in {d.url for d in docs}


def test_query_table_names_only_corpus_urls() -> None:
    urls = {d.url for d in demo_docs()}
    for entry in load_queries():
        assert set(entry["expect"]) <= urls, entry["q"]
