"""A reader's clicks through the built site in a real browser, opened from disk (`file://`).

Debian's Chromium driven by Playwright; no browser is downloaded. Opening the files
directly (no web server) is the hardest case for links: no directory indexes, no root, so
anything that works here also works under a GitHub Pages project path.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DemoBuild
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="light")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def url_of(path: Path) -> str:
    return path.resolve().as_uri()


def test_reader_clicks_through_the_site(page: Page, demo: DemoBuild) -> None:
    out = demo.out
    page.goto(url_of(out / "index.html"))
    expect(page.locator(".masthead__name")).to_have_text("平湖日报")
    # the stylesheet loaded through its relative link
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 250, 247)"

    # front page -> article
    page.get_by_role("link", name="A3泊位正式对外开放").first.click()
    expect(page).to_have_url(url_of(out / "2024-02-03/C01/a3-bo-wei-zheng-shi-dui-wai-kai.html"))
    expect(page.locator("h1")).to_have_text("A3泊位正式对外开放")

    # article -> reporter
    page.locator(".story .bylines").get_by_role("link", name="钱澄蓉").click()
    expect(page).to_have_url(url_of(out / "reporters/qian-cheng-rong.html"))
    expect(page.locator("h1")).to_have_text("钱澄蓉")
    expect(page.locator(".article-list li")).to_have_count(2)

    # reporter -> their older article -> town
    page.get_by_role("link", name="嘉兴全民国防教育月活动在平启动").click()
    expect(page.locator("h1")).to_have_text("嘉兴全民国防教育月活动在平启动")
    page.locator(".story__towns").get_by_role("link", name="独山港镇").click()
    expect(page).to_have_url(url_of(out / "towns/du-shan-gang-zhen.html"))
    expect(page.locator("h1")).to_have_text("独山港镇")

    # town -> archive -> an edition -> its page
    page.locator(".site-nav").get_by_role("link", name="往期回顾").click()
    expect(page).to_have_url(url_of(out / "archive/index.html"))
    page.get_by_role("link", name="2023年9月19日的报纸").click()
    expect(page).to_have_url(url_of(out / "2023-09-19/index.html"))
    page.get_by_role("link", name="第01版 要闻").first.click()
    expect(page).to_have_url(url_of(out / "2023-09-19/01/index.html"))

    # breadcrumbs and 上一篇/下一篇 on an article
    page.get_by_role("link", name="瓜灯亮相东湖").click()
    page.get_by_role("link", name="下一篇 我市欢送新兵入伍").click()
    expect(page.locator("h1")).to_have_text("我市欢送新兵入伍")
    page.locator(".breadcrumbs").get_by_role("link", name="2023年9月19日").click()
    expect(page).to_have_url(url_of(out / "2023-09-19/index.html"))


def test_font_size_control(page: Page, demo: DemoBuild) -> None:
    page.goto(url_of(demo.out / "2024-02-03/C01/huai-chuai-min-yi-fu-sheng-hui-you.html"))
    control = page.get_by_role("group", name="正文字号")
    expect(control).to_be_visible()
    paragraph = page.locator(".story__body p").first

    def size() -> float:
        return float(paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))

    normal = size()
    large = control.get_by_role("button", name="大号字", exact=True)
    large.click()
    expect(large).to_have_attribute("aria-pressed", "true")
    expect(control.get_by_role("button", name="中号字", exact=True)).to_have_attribute(
        "aria-pressed", "false")
    assert size() > normal
    control.get_by_role("button", name="小号字", exact=True).click()
    assert size() < normal
    # the choice follows the reader to the next article
    control.get_by_role("button", name="特大号字").click()
    biggest = size()
    page.get_by_role("link", name="下一篇 市政协十四届三次会议今日开幕").click()
    expect(page.locator("h1")).to_have_text("市政协十四届三次会议今日开幕")
    assert size() == biggest


def test_keyboard_skip_link(page: Page, demo: DemoBuild) -> None:
    page.goto(url_of(demo.out / "index.html"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_box_leads_to_results(page: Page, demo: DemoBuild) -> None:
    page.goto(url_of(demo.out / "2024-02-03/C01/index.html"))
    box = page.get_by_role("searchbox", name="搜索全站")
    box.fill("独山港")
    box.press("Enter")
    query = "?q=%E7%8B%AC%E5%B1%B1%E6%B8%AF"  # 独山港, as the form submits it
    expect(page).to_have_url(url_of(demo.out / "search/index.html") + query)
    expect(page.locator("#search-results li").first).to_be_visible()
    expect(page.locator("#search-results")).to_contain_text("A3泊位正式对外开放")


@pytest.mark.parametrize("path", [
    "index.html",
    "2024-02-03/C01/huai-chuai-min-yi-fu-sheng-hui-you.html",
    "reporters/index.html",
    "archive/index.html",
])
def test_phone_width_has_no_sideways_scrolling(browser: Browser, demo: DemoBuild,
                                               path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url_of(demo.out / path))
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360


def test_offline_copy_opens_from_disk(page: Page, demo: DemoBuild, tmp_path: Path) -> None:
    with zipfile.ZipFile(demo.out / "downloads/2023-09-19.zip") as zf:
        zf.extractall(tmp_path)
    site = tmp_path / "ping-hu-ri-bao-2023-09-19"
    page.goto(url_of(site / "index.html"))
    expect(page.locator(".masthead__meta")).to_contain_text("2023年9月19日")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 250, 247)"  # its own copy of the stylesheet
    page.get_by_role("link", name="林埭发展数字农文旅助力乡村振兴").first.click()
    expect(page).to_have_url(url_of(site / "2023-09-19/01/lin-dai-fa-zhan-shu-zi-nong-wen.html"))
    page.locator(".story__towns").get_by_role("link", name="林埭镇").click()
    expect(page.locator(".article-list li")).to_have_count(1)  # this edition only
    page.locator(".site-nav").get_by_role("link", name="搜索").click()
    box = page.locator("#search-q")
    box.fill("林埭")
    box.press("Enter")
    expect(page.locator("#search-results")).to_contain_text("林埭发展数字农文旅助力乡村振兴")
