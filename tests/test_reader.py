"""What a reader of the 数字报 does beyond reading (issue 18), in Debian's Chromium, from
`file://` and over HTTP under a sub-path: 上一版/下一版 through every page and across
editions, 往期查阅's date picker, 历史上的今天, the article's QR code (decoded from the pixels
Chromium draws, with zxing-cpp's reader), its link and GB/T 7714 citation, its
`NewsArticle` structured data and Open Graph tags, charts with their numbers, headlines
without a lone last character; and axe-core finding nothing on the pages these touch, in
light and dark mode, at desktop and phone widths.

The site: the demo editions (2023-09-19 第01版, 2024-02-03 第C01版), the fixture edition
(2024-03-12, A01–A06) and the demo's 2023-09-19 page filed again as 2023-03-12, so the
fixture edition has a 历史上的今天 and neighbours on both sides.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EDITION_RAW, REPO, DemoBuild, copy_site, loopback_server
from htmlscan import parse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from sitegen.builder import build_site
from sitegen.config import load_config
from sitegen.render import share
from sitegen.render.share import citation, page_number
from sitegen.site import urls

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

FIXTURE_PAGES = ["A01", "A02", "A03", "A04", "A05", "A06"]
WALK = (["2023-03-12/01", "2023-09-19/01", "2024-02-03/C01"]
        + [f"2024-03-12/{p}" for p in FIXTURE_PAGES])
"""Every 版 of the site in reading order: what 下一版 walks through."""

ARTICLE = "2024-03-12/A02/yi-can-re-fan-li-de-xing-fu.html"


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    root = copy_site(tmp_path_factory.mktemp("reader-site") / "site")
    raw = root / "content" / "raw"
    shutil.copytree(EDITION_RAW, raw / EDITION_RAW.name)
    shutil.copytree(REPO / "content" / "raw" / "2023-09-19", raw / "2023-03-12")
    config = load_config(root)
    from sitegen.ingest.importer import import_editions
    from sitegen.ingest.parse import page_parser
    from sitegen.ingest.raw import raw_editions

    import_editions(config, raw_editions(config), page_parser(config.towns))
    return DemoBuild(root, config, build_site(config, REPO))


@pytest.fixture(scope="module")
def http_base(reader_site: DemoBuild) -> Iterator[str]:
    """The site's parent folder served on loopback: the site lives under `/build/`."""
    with loopback_server(reader_site.out.parent) as base:
        yield f"{base}{reader_site.out.name}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, reader_site: DemoBuild) -> str:
    if request.param == "file":
        return reader_site.out.resolve().as_uri() + "/"
    return request.getfixturevalue("http_base")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
           else None)
    yield tab
    context.close()
    assert errors == [] and failed == []


def site_path(url: str, base: str) -> str:
    assert url.startswith(base), url
    return url[len(base):]


# ------------------------------------------------------------------ 上一版 / 下一版


def test_next_and_previous_page_walk_every_page_across_editions(page: Page, base: str) -> None:
    page.goto(base + WALK[0] + "/index.html")
    seen = [site_path(page.url, base)]
    nav = page.get_by_role("navigation", name="上一版／下一版")
    expect(nav.locator("a[rel=prev]")).to_have_count(0)  # the archive's first 版
    while nav.locator("a[rel=next]").count():
        with page.expect_navigation():  # counted on the next page, not the one leaving
            nav.locator("a[rel=next]").click()
        seen.append(site_path(page.url, base))
    assert seen == [f"{p}/index.html" for p in WALK]
    # back again with 上一版; crossing into 前一期 names its date
    expect(nav.locator("a[rel=next]")).to_have_count(0)
    back = [site_path(page.url, base)]
    while nav.locator("a[rel=prev]").count():
        if back[-1] == "2024-03-12/A01/index.html":
            expect(nav.locator("a[rel=prev]")).to_contain_text("2024年2月3日 第C01版 今日平湖")
        with page.expect_navigation():
            nav.locator("a[rel=prev]").click()
        back.append(site_path(page.url, base))
    assert back == list(reversed(seen))


def test_front_page_steps_to_the_second_page_and_the_previous_edition(
        page: Page, base: str) -> None:
    page.goto(base + "index.html")
    nav = page.get_by_role("navigation", name="上一版／下一版")
    expect(nav.locator("a[rel=next]")).to_contain_text("第A02版 综合")
    expect(nav.locator("a[rel=prev]")).to_contain_text("2024年2月3日")


# ------------------------------------------------------------------ 往期查阅, 历史上的今天


def test_date_picker_opens_the_chosen_days_paper(page: Page, base: str) -> None:
    page.goto(base + "index.html")
    box = page.get_by_role("region", name="往期查阅")
    # this month's calendar links its editions without JavaScript
    expect(box.get_by_role("link", name="2024年3月12日的报纸")).to_be_visible()
    picker = box.get_by_label("按日期查看")
    picker.fill("2023-09-19")
    box.get_by_role("button", name="查看").click()
    page.wait_for_url(base + "2023-09-19/index.html")
    page.goto(base + "index.html")
    picker.fill("2023-09-20")  # no paper that day: the nearest ones are offered
    box.get_by_role("button", name="查看").click()
    status = box.get_by_role("status")
    expect(status).to_contain_text("2023年9月20日没有报纸")
    status.get_by_role("link", name="2024年2月3日").click()
    page.wait_for_url(base + "2024-02-03/index.html")


def test_date_picker_is_hidden_without_javascript(browser: Browser, reader_site) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto((reader_site.out / "index.html").resolve().as_uri())
    expect(tab.locator(".date-jump__form")).to_be_hidden()
    expect(tab.get_by_role("link", name="全部往期（按月日历）")).to_be_visible()
    expect(tab.get_by_role("button", name="复制链接")).to_have_count(0)
    context.close()


def test_same_day_in_earlier_years(reader_site: DemoBuild) -> None:
    for rel in ("index.html", "2024-03-12/index.html", "2024-03-12/A03/index.html"):
        box = parse(reader_site.read(rel)).find("section", cls="same-day")
        assert box.find("h2").text == "历史上的今天"
        assert [a.text for a in box.find_all("a")] == ["2023年3月12日"]
    assert "same-day" not in reader_site.read("2024-02-03/index.html")  # none that day


# ------------------------------------------------------------------ share and cite


def test_citation_follows_gbt_7714(reader_site: DemoBuild) -> None:
    doc = parse(reader_site.read(ARTICLE))
    cite = doc.find("span", id="share-cite").text
    assert cite == "朱晓雯, 钱蕾, 金佳豪. 一餐热饭里的幸福滋味[N]. 平湖日报, 2024-03-12(A02)."
    demo = parse(reader_site.read("2023-09-19/01/index.html"))
    first = demo.find(cls="teaser__title").find("a")
    art = parse(reader_site.read("2023-09-19/01/" + first["href"]))
    assert art.find("span", id="share-cite").text.endswith("[N]. 平湖日报, 2023-09-19(1).")
    assert page_number("01") == "1" and page_number("C01") == "C01"


def test_citation_cuts_more_than_three_authors() -> None:
    from datetime import date

    from sitegen.site.views import ArticleView, BylineGroup, PersonLink

    people = tuple(PersonLink("记者", n, None) for n in ("甲一", "乙二", "丙三", "丁四"))
    art = ArticleView(url="x.html", slug="x", kind="news", kicker=None, title="标题",
                      subtitle=None, date=date(2024, 3, 12), page="A01", order=1,
                      page_label="第A01版 要闻", page_url="", edition_url="",
                      bylines=(BylineGroup("记者", people), BylineGroup("摄影", (
                          PersonLink("摄影", "戊五", None),))),
                      towns=(), captions=(), video=False, lede="")
    assert citation(art, "平湖日报") == "甲一, 乙二, 丙三, 等. 标题[N]. 平湖日报, 2024-03-12(A01)."
    wire = ArticleView(**{**{f: getattr(art, f) for f in art.__slots__}, "bylines": (),
                          "agency": "新华社"})
    assert citation(wire, "平湖日报").startswith("新华社. 标题[N].")


def test_json_ld_names_the_articles_title_date_and_authors(reader_site: DemoBuild) -> None:
    base = reader_site.config.base_url
    checked = 0
    for path in sorted((reader_site.out / "2024-03-12").glob("A0*/*.html")):
        if path.name == "index.html":
            continue
        doc = parse(path.read_text("utf-8"))
        scripts = doc.find_all("script", type="application/ld+json")
        assert len(scripts) == 1, path
        data = json.loads(scripts[0].text)
        title = doc.find("h1").text
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["headline"] == title
        assert data["datePublished"] == "2024-03-12"
        rel = path.relative_to(reader_site.out).as_posix()
        assert data["url"] == data["mainEntityOfPage"] == urls.absolute_url(base, rel)
        assert data["publisher"] == {"@type": "Organization", "name": "平湖日报",
                                     "url": base}
        bylines = doc.find_all("span", cls="byline")
        credited = [n.text for b in bylines for n in b.find_all()
                    if n.tag in ("a", "span") and "byline__role" not in n.classes]
        if "author" in data:
            assert all(a["@type"] in ("Person", "Organization") and a["name"]
                       for a in data["author"])
            assert {a["name"] for a in data["author"]} <= set(credited) | {"新华社"}
        assert data["articleSection"] and data["printPage"] == rel.split("/")[1]
        og = {m["property"]: m["content"] for m in doc.find_all("meta")
              if m.get("property")}
        assert og["og:type"] == "article" and og["og:title"] == title
        assert og["og:url"] == data["url"] and og["article:published_time"] == "2024-03-12"
        checked += 1
    assert checked >= 15
    data = json.loads(parse(reader_site.read(ARTICLE)).find(
        "script", type="application/ld+json").text)
    assert [a["name"] for a in data["author"]] == ["朱晓雯", "钱蕾", "金佳豪"]
    assert data["author"][0]["url"].startswith(base + "reporters/")
    assert data["articleSection"] == "综合"


def test_qr_code_decodes_to_the_articles_published_url(page: Page, reader_site) -> None:
    import zxingcpp
    from PIL import Image

    page.goto((reader_site.out / ARTICLE).resolve().as_uri())
    qr = page.locator(".share svg.qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("role", "img")
    png = qr.screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [b.text for b in found] == [urls.absolute_url(reader_site.config.base_url, ARTICLE)]
    # dark mode keeps the code dark on light, as scanners expect
    page.emulate_media(color_scheme="dark")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())),
                                   try_invert=False)
    assert [b.text for b in found] == [urls.absolute_url(reader_site.config.base_url, ARTICLE)]


def test_copy_link_puts_the_published_url_on_the_clipboard(browser: Browser,
                                                           http_base: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=http_base.split("/build/")[0])
    tab = context.new_page()
    tab.goto(http_base + ARTICLE)
    share = tab.get_by_role("region", name="分享与引用")
    share.get_by_role("button", name="复制链接").click()
    expect(share.get_by_role("button", name="已复制")).to_be_visible()
    url = tab.evaluate("navigator.clipboard.readText()")
    assert url == tab.locator("#share-url").text_content()
    assert url.startswith("https://example.github.io/pinghu-daily/2024-03-12/A02/")
    share.get_by_role("button", name="复制引用").click()
    assert tab.evaluate("navigator.clipboard.readText()").endswith("2024-03-12(A02).")
    context.close()


def test_offline_copy_shares_the_published_address_without_claiming_to_be_it(
        reader_site: DemoBuild, tmp_path: Path) -> None:
    with zipfile.ZipFile(reader_site.out / "downloads" / "2024-03-12.zip") as zf:
        names = zf.namelist()
        folder = names[0].split("/")[0]
        article = parse(zf.read(f"{folder}/{ARTICLE}").decode("utf-8"))
        front = parse(zf.read(f"{folder}/index.html").decode("utf-8"))
        archive = parse(zf.read(f"{folder}/archive/index.html").decode("utf-8"))
    published = urls.absolute_url(reader_site.config.base_url, ARTICLE)
    assert article.find("span", id="share-url").text == published
    assert article.find("p", id="share-url-label").text == "网络版地址"
    assert article.find_all("script", type="application/ld+json") == []
    assert not [m for m in article.find_all("meta") if m.get("property")]
    # the copy's own front page and lists are not the published ones
    for doc in (front, archive):
        assert doc.find_all("link", rel="canonical") == []
    assert front.find_all("section", cls="date-jump") == []


# ------------------------------------------------------------------ rough edges


def test_favicon_is_a_relative_asset(page: Page, base: str) -> None:
    for rel in ("index.html", ARTICLE, "search/index.html"):
        page.goto(base + rel)
        href = page.locator("link[rel=icon]").evaluate("l => l.href")
        assert href == base + "assets/favicon.svg"
    response = page.request.get(base + "assets/favicon.svg") if base.startswith("http") \
        else None
    assert response is None or response.status == 200


def test_one_month_chart_shows_its_label_and_numbers(page: Page, reader_site) -> None:
    towns = parse(reader_site.read("towns/index.html"))
    link = next(a["href"] for a in towns.find_all("a") if a["href"].endswith(".html")
                and a.text == "林埭镇")
    page.goto((reader_site.out / "towns" / link).resolve().as_uri())
    svg = page.locator("svg.chart")
    width = svg.evaluate("s => s.getBoundingClientRect().right")
    for text in svg.locator("text").all():
        assert text.evaluate("t => t.getBoundingClientRect().right") <= width + 0.5
    labels = svg.locator("text").all_text_contents()
    assert "2023年" in labels and "2024年" not in labels[:1]
    assert any(t.isdigit() for t in labels)
    table = page.locator("table.chart-table")
    expect(table.locator("caption")).to_contain_text("林埭镇每月相关稿件")
    assert table.locator("tbody tr").count() >= 1


def test_headlines_never_end_with_one_character_alone(page: Page, base: str) -> None:
    for p in FIXTURE_PAGES:
        page.goto(base + f"2024-03-12/{p}/index.html")
        lone = page.evaluate("""() => {
          const out = [];
          for (const h of document.querySelectorAll('.teaser__title a, h1')) {
            const text = h.firstChild;
            if (!text || text.nodeType !== 3) continue;
            const tops = [];
            for (let i = 0; i < text.length; i++) {
              const r = document.createRange();
              r.setStart(text, i); r.setEnd(text, i + 1);
              const rect = r.getClientRects()[0];
              if (rect) tops.push(Math.round(rect.top));
            }
            const last = tops.filter((t) => t === tops[tops.length - 1]).length;
            if (new Set(tops).size > 1 && last < 2) out.push(h.textContent);
          }
          return out;
        }""")
        assert lone == [], p


def test_search_results_print_dates_as_pages_do(page: Page, base: str) -> None:
    page.goto(base + "search/index.html?q=" + "一餐热饭")
    meta = page.locator(".search-result-meta").first
    expect(meta.locator("time")).to_have_text("2024年3月12日")
    expect(meta.locator("time")).to_have_attribute("datetime", "2024-03-12")


def test_traditional_query_finds_the_simplified_articles(page: Page, base: str) -> None:
    def found(q: str) -> list[str]:
        page.goto(base + "search/index.html?q=" + q)
        page.wait_for_function("document.getElementById('search-status').textContent"
                               " && document.getElementById('search-status').textContent"
                               " !== '正在搜索…'")
        return sorted(page.eval_on_selector_all("#search-results a", "a => a.map(e => e.href)"))

    simplified = found("老年食堂")
    assert simplified and found("老年食堂") == simplified
    assert found("電商") == found("电商") != []
    assert found("幸福滋味") == found("幸福滋味") != []
    # the match is highlighted in the article's own (simplified) text
    found("餐熱飯")
    assert "餐热饭" in page.locator("#search-results mark").all_text_contents()


# ------------------------------------------------------------------ axe-core

AXE_PAGES = ["index.html", "2024-03-12/index.html", "2024-03-12/A01/index.html",
             "2024-03-12/A03/index.html", ARTICLE, "archive/index.html",
             "search/index.html?q=电商", "towns/lin-dai-zhen.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violations(browser: Browser, reader_site: DemoBuild, scheme: str,
                                 width: int) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {REPO}")
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    tab = context.new_page()
    found = {}
    for rel in AXE_PAGES:
        path, _, query = rel.partition("?")
        tab.goto((reader_site.out / path).resolve().as_uri() + (f"?{query}" if query else ""))
        if query:
            tab.wait_for_selector("#search-results li")
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found[rel] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                      for v in result["violations"]]
    context.close()
    assert found == {rel: [] for rel in AXE_PAGES}


def _drawn_modules(svg: str, size: int) -> list[list[bool]]:
    """The modules the QR SVG's path strokes: `M` to the first row's middle, then per run a
    relative move (`m dx dy`) and a horizontal line (`h n`) one module high."""
    import re

    path = re.search(r' d="M(\d+) ([\d.]+)(.*?)"', svg)
    assert path is not None
    x, y = int(path[1]), float(path[2])
    drawn = [[False] * size for _ in range(size)]
    for dx, dy, n in re.findall(r"m(-?\d+) (-?\d+)h(\d+)", path[3]):
        x, y = x + int(dx), y + int(dy)
        for col in range(x, x + int(n)):
            drawn[int(y) - share.QR_QUIET][col - share.QR_QUIET] = True
        x += int(n)
    assert "".join(re.findall(r"m-?\d+ -?\d+h\d+", path[3])) == path[3]
    return drawn


@pytest.mark.parametrize("length", [1, 20, 61, 300, 2331])
def test_qr_path_strokes_exactly_the_dark_modules_of_the_code(length: int) -> None:
    import numpy as np
    import zxingcpp

    text = ("https://example.github.io/pinghu-daily/2024-03-12/A02/" * 50)[:length]
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    dark = (np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128).tolist()
    svg = str(share.qr_svg(text, "扫码"))
    assert _drawn_modules(svg, len(dark)) == dark
    assert f'viewBox="0 0 {len(dark) + 8} {len(dark) + 8}"' in svg
    if length == 2331:
        assert len(dark) == 177  # the largest code: moves of ±176 modules still fit
