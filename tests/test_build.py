"""The demo build, checked the way a reader and a publisher see it.

Exact titles, URLs, groupings and counts come from the demo content (two editions of
平湖日报, one page of seven articles each), so a change in the site model or the URL scheme
shows up here as a precise diff, not as "something looks different".
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import REPO, DemoBuild, copy_site
from htmlscan import Node, parse

from sitegen.builder import build_site
from sitegen.config import load_config
from sitegen.content.model import Article, Byline, Edition, EditionPage, StoredArticle, StoredPage
from sitegen.errors import SitegenError
from sitegen.site import urls
from sitegen.site.model import build_site_model
from sitegen.site.views import lede

BASE = "https://example.github.io/pinghu-daily/"
SITE_ENTRIES = [".sitegen-cache", "build", "content", "sitegen.toml", "themes"]
"""What a site folder holds after a build: its files, build/ and the build cache."""

ARTICLES = {
    "2023-09-19": [
        ("kai-pi-jue-jin-kua-jing-dian-shang", "开辟“掘金”跨境电商新赛道"),
        ("jia-xing-quan-min-guo-fang-jiao-yu", "嘉兴全民国防教育月活动在平启动"),
        ("ping-hu-biao-zhu-chuang-xin-fen-jin", "平湖标注创新奋进“新刻度”"),
        ("lin-dai-fa-zhan-shu-zi-nong-wen", "林埭发展数字农文旅助力乡村振兴"),
        ("tui-jin-shen-gen-ji-hua-hui-ju", "推进“深根计划” 汇聚人才资源"),
        ("gua-deng-liang-xiang-dong-hu", "瓜灯亮相东湖"),
        ("wo-shi-huan-song-xin-bing-ru-wu", "我市欢送新兵入伍"),
    ],
    "2024-02-03": [
        ("chu-dian-teng-fei-you-zhen-zhao", "触“电”腾飞有真招"),
        ("a3-bo-wei-zheng-shi-dui-wai-kai", "A3泊位正式对外开放"),
        ("huai-chuai-min-yi-fu-sheng-hui-you", "怀揣民意赴盛会 有备而来献良策"),
        ("shi-zheng-xie-shi-si-jie-san-ci", "市政协十四届三次会议今日开幕"),
        ("shi-gan-zheng-chun-zao-fen-zhan-kai", "实干争春早 奋战开门红"),
        ("wo-shi-shou-ge-guo-dao-xia-chuan", "我市首个国道下穿项目建成"),
        ("shi-wei-chang-wei-hui-kuo-da-hui", "市委常委会（扩大）会议召开"),
    ],
}


PAGES = {"2023-09-19": "01", "2024-02-03": "C01"}
"""The page label of each demo edition: the 2024 page is 第C01版 今日平湖, as printed."""


def page(demo: DemoBuild, site_path: str) -> Node:
    return parse(demo.read(site_path))


def main_of(demo: DemoBuild, site_path: str) -> Node:
    return page(demo, site_path).find("main")


def hrefs(node: Node) -> list[str]:
    return [a["href"] for a in node.find_all("a") if a.get("href")]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path -> sha256), to compare whole trees."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


# ------------------------------------------------------------------------------ layout


def test_every_published_file_is_there(demo: DemoBuild) -> None:
    out = demo.out
    expected = [
        "index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", ".nojekyll",
        "archive/index.html", "reporters/index.html", "towns/index.html", "search/index.html",
        "assets/style.css", "assets/site.js",
        "downloads/2023-09-19.zip", "downloads/2024-02-03.zip",
    ]
    for day, articles in ARTICLES.items():
        expected += [f"{day}/index.html", f"{day}/{PAGES[day]}/index.html"]
        expected += [f"{day}/{PAGES[day]}/{slug}.html" for slug, _ in articles]
    missing = [p for p in expected if not (out / p).is_file()]
    assert missing == []
    article_files = sorted(
        p.relative_to(out).as_posix() for p in out.glob("????-??-??/*/*.html")
        if p.name != "index.html"
    )
    assert article_files == sorted(
        f"{day}/{PAGES[day]}/{slug}.html" for day, arts in ARTICLES.items() for slug, _ in arts
    )
    assert demo.result.articles == 14 and demo.result.editions == 2
    # nothing of the build machinery is left next to build/
    assert sorted(p.name for p in demo.root.iterdir()) == SITE_ENTRIES


def test_every_html_page_is_zh_cn_with_search_box(demo: DemoBuild) -> None:
    for path in demo.html_files():
        doc = parse(path.read_text(encoding="utf-8"))
        html = doc.find("html")
        assert html["lang"] == "zh-CN", path
        forms = doc.find_all("form", role="search")
        assert forms, path
        assert all(f.find("input")["name"] == "q" for f in forms), path
        assert all(f["action"].endswith("search/index.html") or f["action"] == "index.html"
                   or f["action"].startswith(BASE) for f in forms), path


# ------------------------------------------------------------------------------ front page


def test_front_page_is_the_latest_edition(demo: DemoBuild) -> None:
    doc = page(demo, "index.html")
    masthead = doc.find(cls="masthead")
    assert masthead.find("h1").text == "平湖日报"
    meta = masthead.find(cls="masthead__meta").text
    assert meta == "2024年2月3日 星期六 第12481期"
    assert masthead.find("time")["datetime"] == "2024-02-03"

    nav = doc.find("nav", cls="pages-nav")
    assert [a.text for a in nav.find_all("a")] == ["第C01版 今日平湖 7篇"]
    assert hrefs(nav) == ["2024-02-03/C01/index.html"]

    teasers = doc.find_all("article", cls="teaser")
    titles = [t.find(cls="teaser__title") for t in teasers]
    assert [t.text for t in titles] == [title for _, title in ARTICLES["2024-02-03"]]
    assert [hrefs(t)[0] for t in titles] == [
        f"2024-02-03/C01/{slug}.html" for slug, _ in ARTICLES["2024-02-03"]
    ]
    first = teasers[0]
    assert first.find(cls="subtitle").text == "平湖电商产业园上省榜"
    assert first.find(cls="bylines").text == "记者 林旭东 通讯员 吴慧婷"
    assert hrefs(first.find(cls="bylines")) == ["reporters/lin-xu-dong.html",
                                                "reporters/wu-hui-ting.html"]
    assert first.find(cls="teaser__lede").text.startswith("近日，浙江省商务厅发布了")
    # the article without bylines has none, and long openings are cut at a sentence end
    last = teasers[-1]
    assert not last.find_all(cls="bylines")
    assert last.find(cls="teaser__lede").text.endswith(("。", "……"))

    weather = doc.find(cls="weather")
    assert weather.find("h2").text == "天气"
    assert weather.find("p").text.startswith("今天阴有中雨")
    # the byline nobody claimed is shown on its page, not dropped
    assert doc.find(cls="other-bylines").text == "本版其他署名： 记者 高洁 见习记者 陶佳敏"
    tools = doc.find(cls="edition-tools")
    assert "downloads/2024-02-03.zip" in hrefs(tools)
    assert "2023-09-19/index.html" in hrefs(tools)


def test_older_edition_has_kicker_and_no_weather(demo: DemoBuild) -> None:
    doc = page(demo, "2023-09-19/01/index.html")
    assert doc.find("h1").text == "第01版 要闻"
    kickers = [k.text for k in doc.find_all(cls="kicker")]
    assert kickers == ["今年以来，平湖强力推进“地瓜经济”提能升级“一号开放工程”，",
                       "中国县域高质量发展第20位！"]
    assert not doc.find_all(cls="weather")
    assert hrefs(doc.find("nav", cls="pages-nav")) == ["index.html"]


def test_edition_page_lists_pages_and_articles(demo: DemoBuild) -> None:
    doc = main_of(demo, "2023-09-19/index.html")
    assert doc.find("h1").text == "2023年9月19日 星期二 第12345期"
    toc = doc.find(cls="toc-page")
    assert toc.find("h2").text == "第01版 要闻"
    assert [a.text for a in toc.find(cls="toc-list").find_all("a")] == [
        t for _, t in ARTICLES["2023-09-19"]
    ]
    tools = doc.find(cls="edition-tools")
    assert "../downloads/2023-09-19.zip" in hrefs(tools)
    assert "../2024-02-03/index.html" in hrefs(tools)  # 后一期


# ------------------------------------------------------------------------------ articles


def test_article_page_fields(demo: DemoBuild) -> None:
    doc = page(demo, "2024-02-03/C01/a3-bo-wei-zheng-shi-dui-wai-kai.html")
    assert doc.find("title").text == "A3泊位正式对外开放 - 平湖日报"
    story = doc.find("article", cls="story")
    assert story.find("h1").text == "A3泊位正式对外开放"
    assert story.find(cls="subtitle").text == "独山港再“扩容”"
    bylines = story.find(cls="bylines")
    assert bylines.text == "通讯员 徐冰艳 记者 钱澄蓉"
    assert hrefs(bylines) == ["../../reporters/xu-bing-yan.html",
                              "../../reporters/qian-cheng-rong.html"]
    towns = story.find(cls="story__towns")
    assert [(a.text, a["href"]) for a in towns.find_all("a")] == [
        ("独山港镇", "../../towns/du-shan-gang-zhen.html")]
    paragraphs = story.find(cls="story__body").find_all("p")
    assert len(paragraphs) == 4
    assert paragraphs[0].find(cls="dateline").text == "本报讯"
    assert paragraphs[0].text.startswith("本报讯 依海而建、因港而兴")
    crumbs = doc.find("nav", cls="breadcrumbs")
    assert [li.text for li in crumbs.find_all("li")] == [
        "2024年2月3日", "第C01版 今日平湖", "A3泊位正式对外开放"]
    assert hrefs(crumbs) == ["../index.html", "index.html"]
    assert doc.find("link", rel="canonical")["href"] == (
        BASE + "2024-02-03/C01/a3-bo-wei-zheng-shi-dui-wai-kai.html")
    control = story.find(cls="font-size")
    assert [b["data-font-size"] for b in control.find_all("button")] == [
        "small", "medium", "large", "xlarge"]


def test_prev_next_within_the_edition(demo: DemoBuild) -> None:
    slugs = [slug for slug, _ in ARTICLES["2024-02-03"]]
    titles = [title for _, title in ARTICLES["2024-02-03"]]
    for i, slug in enumerate(slugs):
        nav = page(demo, f"2024-02-03/C01/{slug}.html").find_all("nav", cls="prev-next")
        links = {a["rel"]: (a["href"], a.find(cls="prev-next__title").text)
                 for a in (nav[0].find_all("a") if nav else [])}
        expected = {}
        if i > 0:
            expected["prev"] = (f"{slugs[i - 1]}.html", titles[i - 1])
        if i < len(slugs) - 1:
            expected["next"] = (f"{slugs[i + 1]}.html", titles[i + 1])
        assert links == expected, slug


def test_captions_video_and_kicker(demo: DemoBuild) -> None:
    huai = page(demo, "2024-02-03/C01/huai-chuai-min-yi-fu-sheng-hui-you.html")
    assert [c.text for c in huai.find_all(cls="caption")] == ["图 政协委员报到"]
    assert not huai.find_all(cls="video-note")
    video = page(demo, "2024-02-03/C01/shi-zheng-xie-shi-si-jie-san-ci.html")
    assert "视频" in video.find(cls="video-note").text
    kicked = page(demo, "2023-09-19/01/ping-hu-biao-zhu-chuang-xin-fen-jin.html")
    assert kicked.find("article").find(cls="kicker").text == "中国县域高质量发展第20位！"
    commentary = page(demo, "2023-09-19/01/kai-pi-jue-jin-kua-jing-dian-shang.html")
    story = commentary.find("article")
    assert story.find(cls="bylines").text == "作者 言成声"
    assert not story.find_all(cls="dateline")  # commentary has no 本报讯


# ------------------------------------------------------------------------------ reporters


def role_groups(demo: DemoBuild, site_path: str = "reporters/index.html"
                ) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for section in main_of(demo, site_path).find_all("section", cls="role-group"):
        role = section.find("h2").text.split()[0]
        out[role] = {
            li.find("a").text: int(li.find(cls="count").text.removesuffix("篇"))
            for li in section.find_all("li")
        }
    return out


def test_reporters_grouped_by_role_with_counts(demo: DemoBuild) -> None:
    groups = role_groups(demo)
    assert list(groups) == ["记者", "见习记者", "通讯员", "摄影", "作者"]
    assert groups["记者"]["林旭东"] == 3  # 2023-09-19 ×1, 2024-02-03 ×2
    assert groups["记者"]["钱澄蓉"] == 2
    assert groups["见习记者"] == {"陶佳敏": 1}
    assert groups["摄影"] == {"王强": 2}
    assert groups["作者"] == {"言成声": 1}
    assert set(groups["通讯员"]) == {"蒋诗琪", "张丹燕", "纪亚千", "顾秋叶", "李婷", "吴慧婷",
                                   "徐冰艳", "曹金凤", "钱宇杰"}
    everyone = {name for members in groups.values() for name in members}
    assert "高洁" not in everyone  # only in an unassigned byline: credited on no article
    assert len(everyone) == 20
    # people are listed in pinyin order within a group
    names = list(groups["记者"])
    slugs = [a["href"] for a in main_of(demo, "reporters/index.html")
             .find("section").find_all("a")]
    assert slugs == sorted(slugs) and len(names) == len(slugs)


def test_reporter_page_lists_articles_newest_first_with_role(demo: DemoBuild) -> None:
    doc = main_of(demo, "reporters/lin-xu-dong.html")
    assert doc.find("h1").text == "林旭东"
    items = doc.find(cls="article-list").find_all("li")
    assert [li.find(cls="article-list__title").text for li in items] == [
        "触“电”腾飞有真招", "实干争春早 奋战开门红", "我市欢送新兵入伍"]
    assert [li.find(cls="role").text for li in items] == ["记者"] * 3
    assert hrefs(items[0])[0] == "../2024-02-03/C01/chu-dian-teng-fei-you-zhen-zhao.html"
    wang = main_of(demo, "reporters/wang-qiang.html")
    assert [li.find(cls="role").text for li in wang.find_all("li")] == ["摄影", "摄影"]


# ------------------------------------------------------------------------------ towns


def test_towns_index_and_pages(demo: DemoBuild) -> None:
    doc = main_of(demo, "towns/index.html")
    items = doc.find(cls="towns").find_all("li")
    assert [li.text for li in items] == [
        "当湖街道 0篇", "钟埭街道 0篇", "曹桥街道 1篇", "乍浦镇 0篇", "新埭镇 1篇",
        "新仓镇 2篇", "广陈镇 2篇", "林埭镇 2篇", "独山港镇 2篇"]
    assert hrefs(doc.find(cls="towns")) == [
        "cao-qiao-jie-dao.html", "xin-dai-zhen.html", "xin-cang-zhen.html",
        "guang-chen-zhen.html", "lin-dai-zhen.html", "du-shan-gang-zhen.html"]
    assert not (demo.out / "towns/dang-hu-jie-dao.html").exists()
    town = main_of(demo, "towns/du-shan-gang-zhen.html")
    assert town.find("h1").text == "独山港镇"
    assert [a.text for a in town.find_all("a", cls="article-list__title")] == [
        "A3泊位正式对外开放", "嘉兴全民国防教育月活动在平启动"]


# ------------------------------------------------------------------------------ archive


def test_archive_calendar(demo: DemoBuild) -> None:
    doc = main_of(demo, "archive/index.html")
    assert [h.text for h in doc.find_all("h2")] == ["2024年", "2023年"]
    tables = doc.find_all("table", cls="calendar")
    assert [t.find("caption").text for t in tables] == ["2024年2月 1期", "2023年9月 1期"]
    assert [th.text for th in tables[0].find_all("th")] == list("一二三四五六日")
    feb = tables[0]
    linked = [(row_i, col_i, td.text, hrefs(td))
              for row_i, tr in enumerate(feb.find("tbody").find_all("tr"))
              for col_i, td in enumerate(tr.find_all("td")) if hrefs(td)]
    assert linked == [(0, 5, "3", ["../2024-02-03/index.html"])]  # 3 Feb 2024: a Saturday
    assert hrefs(tables[1]) == ["../2023-09-19/index.html"]


# ------------------------------------------------------------------------------ search, 404


def test_search_page_has_the_agreed_markup(demo: DemoBuild) -> None:
    html = demo.read("search/index.html")
    expected = (
        '<form class="search-form" role="search" action="index.html" method="get">'
        '<label for="search-q">搜索</label><input id="search-q" type="search" name="q">'
        '<button type="submit">搜索</button></form>\n'
        '<p id="search-status" role="status" aria-live="polite"></p>\n'
        '<ol id="search-results"></ol>\n'
        '<script src="../assets/lunr.js"></script><script src="../assets/search-fold.js">'
        '</script><script src="../assets/search-index.js"></script>'
        '<script src="../assets/search-client.js"></script><script src="../assets/search.js">'
        '</script>'
    )
    main = html[html.index("<main"):html.index("</main>")]
    assert expected in main
    for asset in ("lunr.js", "search-fold.js", "search-index.js", "search-client.js",
                  "search.js"):
        assert (demo.out / "assets" / asset).is_file()


def test_404_links_are_absolute(demo: DemoBuild) -> None:
    doc = page(demo, "404.html")
    links = hrefs(doc) + [s["src"] for s in doc.find_all("script")]
    links += [f["action"] for f in doc.find_all("form")]
    links += [x["href"] for x in doc.find_all("link")]
    # GitHub Pages serves 404.html at any depth: only absolute links (and same-page
    # fragments such as the skip link) work from everywhere
    assert links and all(link.startswith((BASE, "#")) for link in links), links
    assert any(link == BASE for link in links)


# ------------------------------------------------------------------------------ feeds


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed(demo: DemoBuild) -> None:
    feed = ElementTree.fromstring((demo.out / "feed.xml").read_bytes())
    assert feed.find(f"{ATOM}title").text == "平湖日报"
    assert feed.find(f"{ATOM}updated").text == "2024-02-03T00:00:00+08:00"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 14
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[:7] == [t for _, t in ARTICLES["2024-02-03"]]
    assert titles[7:] == [t for _, t in ARTICLES["2023-09-19"]]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == (
        BASE + "2024-02-03/C01/chu-dian-teng-fei-you-zhen-zhao.html")
    assert [a.find(f"{ATOM}name").text for a in first.findall(f"{ATOM}author")] == [
        "林旭东", "吴慧婷"]
    assert entries[-1].find(f"{ATOM}published").text == "2023-09-19T00:00:00+08:00"


def test_sitemap_and_robots(demo: DemoBuild) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ElementTree.fromstring((demo.out / "sitemap.xml").read_bytes())
    locs = [u.find(f"{ns}loc").text for u in root.findall(f"{ns}url")]
    assert locs[0] == BASE
    assert BASE + "2024-02-03/C01/a3-bo-wei-zheng-shi-dui-wai-kai.html" in locs
    assert BASE + "2024-02-03/C01/" in locs and BASE + "reporters/lin-xu-dong.html" in locs
    assert all(loc.startswith(BASE) for loc in locs)
    assert not any("404" in loc or "search" in loc for loc in locs)
    html_pages = [p for p in demo.html_files() if p.name != "404.html"
                  and p.parent.name != "search"]
    assert len(locs) == len(html_pages) == len(set(locs))
    robots = (demo.out / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    assert (demo.out / ".nojekyll").read_bytes() == b""


# ------------------------------------------------------------------------------ offline zip


def test_offline_zip_is_a_self_contained_edition(demo: DemoBuild, tmp_path: Path) -> None:
    path = demo.out / "downloads/2024-02-03.zip"
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(2024, 2, 3, 0, 0, 0)}
        prefix = "ping-hu-ri-bao-2024-02-03/"
        assert all(n.startswith(prefix) for n in names)
        inner = {n.removeprefix(prefix) for n in names}
        zf.extractall(tmp_path)
    assert {"index.html", "assets/style.css", "assets/site.js", "search/index.html",
            "assets/search-index.js", "assets/lunr.js", "archive/index.html",
            "2024-02-03/index.html"} <= inner
    assert not any(n.startswith(("2023-09-19/", "downloads/")) for n in inner)
    assert "feed.xml" not in inner and "404.html" not in inner
    # its search index is one shard file (read from disk, splitting it gains nothing)
    assert [n for n in inner if n.startswith("assets/search/2024-02/")] == [
        "assets/search/2024-02/0.js"]
    site = tmp_path / prefix
    front = parse((site / "index.html").read_text(encoding="utf-8"))
    assert front.find(cls="masthead__meta").text == "2024年2月3日 星期六 第12481期"
    assert not any("downloads/" in h or "feed.xml" in h for h in hrefs(front))
    # the copy's reporter index counts this edition only
    counts = parse((site / "reporters/index.html").read_text(encoding="utf-8"))
    lin = [li for li in counts.find_all("li") if li.find("a").text == "林旭东"]
    assert lin[0].find(cls="count").text == "2篇"


# ------------------------------------------------------------------------------ determinism


def test_build_is_deterministic(demo: DemoBuild, tmp_path: Path) -> None:
    """A second build, in another folder (another absolute path), in another process with
    another hash seed (set and dict-of-str order), gives the same bytes."""
    other = copy_site(tmp_path / "elsewhere" / "site")
    script = ("import sys; from pathlib import Path; from sitegen.builder import build_site; "
              "from sitegen.config import load_config; "
              "build_site(load_config(Path(sys.argv[1])), Path(sys.argv[2]))")
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, "-c", script, str(other), str(REPO)], env=env, check=True,
                   cwd=tmp_path, timeout=120)
    first, second = snapshot(demo.out), snapshot(other / "build")
    assert list(first) == list(second)
    assert first == second


# ------------------------------------------------------------------------------ atomicity


@pytest.fixture
def built_copy(tmp_path: Path) -> Path:
    root = copy_site(tmp_path / "site")
    build_site(load_config(root), REPO, cut=str.split)
    return root


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ARTICLE_FILE = "content/2024-02-03/C01-02-a3-bo-wei-zheng-shi-dui.md"

BAD_INPUTS = {
    # name: (text in the article file, its replacement, line of the error, message)
    "broken-front-matter": ("subtitle: 独山港再“扩容”\n", "subtitle: 独山港: 再扩容\n", 5,
                            "broken front matter"),
    "missing-title": ("title: A3泊位正式对外开放\n", "", 1, "missing title"),
    "unknown-page": ("page: C01\n", "page: C07\n", 8, "unknown page C07"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_keeps_the_previous_site(built_copy: Path, case: str) -> None:
    old, new, _, message = BAD_INPUTS[case]
    before = snapshot(built_copy / "build")
    article = built_copy / ARTICLE_FILE
    _replace(article, old, new)
    content_before = snapshot(built_copy / "content")
    with pytest.raises(SitegenError) as info:
        build_site(load_config(built_copy), REPO, cut=str.split)
    err = info.value
    assert err.path == article
    assert err.line is not None
    assert message in err.message
    assert str(err).startswith(f"{article}:{err.line}: ")
    assert snapshot(built_copy / "build") == before
    assert snapshot(built_copy / "content") == content_before
    assert sorted(p.name for p in built_copy.iterdir()) == SITE_ENTRIES


class _SegmenterFailure(Exception):
    pass


def _failing_cut(text: str) -> list[str]:
    raise _SegmenterFailure(f"cannot segment {text[:10]!r}")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_search_month_fails_the_build_and_keeps_the_site(built_copy: Path,
                                                                    workers: int) -> None:
    """Search months are made in the workers while pages render: an error there (here, the
    segmenter) must fail the build with that error, leave `build/` as it was, and a build
    with a working segmenter must succeed afterwards."""
    before = snapshot(built_copy / "build")
    _replace(built_copy / ARTICLE_FILE, "\n\n", "\n\n新加的一段。\n\n")
    with pytest.raises(_SegmenterFailure):
        build_site(load_config(built_copy), REPO, cut=_failing_cut, workers=workers)
    assert snapshot(built_copy / "build") == before
    assert sorted(p.name for p in built_copy.iterdir()) == SITE_ENTRIES
    build_site(load_config(built_copy), REPO, cut=str.split, workers=workers)
    assert snapshot(built_copy / "build") != before


@pytest.mark.parametrize("case", [
    "broken-front-matter",
    "missing-title",
    "unknown-page",
])
def test_bad_input_error_names_the_line(tmp_path: Path, case: str) -> None:
    old, new, line, _ = BAD_INPUTS[case]
    root = copy_site(tmp_path / "site")
    _replace(root / ARTICLE_FILE, old, new)
    with pytest.raises(SitegenError) as info:
        build_site(load_config(root), REPO, cut=str.split)
    assert (info.value.path, info.value.line) == (root / ARTICLE_FILE, line)


def test_template_error_names_the_override_and_keeps_the_site(built_copy: Path) -> None:
    before = snapshot(built_copy / "build")
    override = built_copy / "themes/default/templates/article.html"
    override.write_text('{% extends "base.html" %}\n{% block main %}\n{{ article.nope }}\n'
                        "{% endblock %}\n", encoding="utf-8")
    with pytest.raises(SitegenError) as info:
        build_site(load_config(built_copy), REPO, cut=str.split)
    assert info.value.path == override
    assert info.value.line == 3
    assert snapshot(built_copy / "build") == before
    assert sorted(p.name for p in built_copy.iterdir()) == SITE_ENTRIES


def test_site_overrides_a_template_and_a_static_file(tmp_path: Path) -> None:
    """A site's own `themes/default/` wins over the built-in theme, file by file."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy2(REPO / "sitegen.toml", root)
    shutil.copytree(REPO / "content", root / "content")
    (root / "themes/default/templates").mkdir(parents=True)
    (root / "themes/default/static").mkdir(parents=True)
    (root / "themes/default/templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>走丢了</h1>{% endblock %}\n',
        encoding="utf-8")
    (root / "themes/default/static/site.js").write_text("/* site override */\n")
    result = build_site(load_config(root), REPO, cut=str.split)
    assert "<h1>走丢了</h1>" in (result.out_dir / "404.html").read_text(encoding="utf-8")
    assert (result.out_dir / "assets/site.js").read_text() == "/* site override */\n"
    builtin_css = (REPO / "themes/default/static/style.css").read_bytes()
    assert (result.out_dir / "assets/style.css").read_bytes() == builtin_css


def test_script_in_content_is_text(built_copy: Path) -> None:
    article = built_copy / ARTICLE_FILE
    text = article.read_text(encoding="utf-8")
    extra = "危险<script>alert(1)</script>和<b>粗体</b>，还有 &copy; 与 *星号*"
    article.write_text(f"{text}\n{extra}\n", encoding="utf-8")
    result = build_site(load_config(built_copy), REPO, cut=str.split)
    html = (result.out_dir / "2024-02-03/C01/a3-bo-wei-zheng-shi-dui-wai-kai.html").read_text(
        encoding="utf-8")
    assert "<script>alert" not in html and "<b>粗体" not in html
    assert "危险&lt;script&gt;alert(1)&lt;/script&gt;和&lt;b&gt;粗体&lt;/b&gt;" in html
    body = parse(html).find(cls="story__body").find_all("p")[-1]
    assert body.text == "危险<script>alert(1)</script>和<b>粗体</b>，还有 &copy; 与 *星号*"


# ------------------------------------------------------------------------------ units


def test_relative_urls_name_files_and_never_start_at_the_root() -> None:
    assert urls.relative_url("index.html", "2024-02-03/C01/x.html") == "2024-02-03/C01/x.html"
    assert urls.relative_url("2024-02-03/C01/x.html", "reporters/a.html") == (
        "../../reporters/a.html")
    assert urls.relative_url("2024-02-03/C01/x.html", "2024-02-03/C01/index.html") == "index.html"
    assert urls.relative_url("2024-02-03/C01/x.html", "2024-02-03/index.html") == "../index.html"
    assert urls.relative_url("reporters/a.html", "index.html") == "../index.html"
    assert urls.relative_url("archive/index.html", "archive/index.html#y2024") == (
        "index.html#y2024")
    assert urls.relative_url("archive/index.html", "#main") == "#main"
    with pytest.raises(ValueError):
        urls.relative_url("/index.html", "a.html")
    assert urls.absolute_url("https://x.org/paper/", "index.html") == "https://x.org/paper/"
    assert urls.absolute_url("https://x.org/paper", "towns/index.html") == (
        "https://x.org/paper/towns/")
    assert urls.absolute_url("https://x.org/paper/", "towns/a.html") == (
        "https://x.org/paper/towns/a.html")


def test_lede_cuts_at_a_sentence_end() -> None:
    assert lede([]) == ""
    assert lede(["短。"]) == "短。"
    long = "一" * 60 + "。" + "二" * 60
    assert lede([long]) == "一" * 60 + "。"
    assert lede(["三" * 200]) == "三" * 90 + "……"


def _stored(day: date, order: int, title: str, names: list[str]) -> StoredArticle:
    article = Article(kind="news", kicker=None, title=title, subtitle=None, dateline=None,
                      bylines=[Byline("记者", n) for n in names], paragraphs=["正文。"])
    return StoredArticle(article=article, date=day, page="01", page_name="要闻",
                         order=order, source="", path=Path(f"{order}.md"))


def _edition(day: date, articles: list[StoredArticle]) -> Edition:
    return Edition(date=day, number=None,
                   pages=[EditionPage(StoredPage(date=day, label="01", name="要闻"), articles)])


def test_slug_collisions_are_numbered_in_a_stable_order(demo: DemoBuild) -> None:
    """Same titles on a page and same-sounding names get -2 by page order and by first
    credit (oldest edition first), so adding a newer edition never renames older URLs."""
    old_day, new_day = date(2024, 1, 1), date(2024, 1, 2)
    older = _edition(old_day, [_stored(old_day, 1, "同题", ["李婷"]),
                               _stored(old_day, 2, "同题", ["李亭"])])
    newer = _edition(new_day, [_stored(new_day, 1, "另一篇", ["李庭", "李婷"])])
    site = build_site_model([newer, older], demo.config)
    assert [a.url for a in site.articles] == [
        "2024-01-01/01/tong-ti.html", "2024-01-01/01/tong-ti-2.html",
        "2024-01-02/01/ling-yi-pian.html"]
    assert {r.name: r.url for r in site.reporters} == {
        "李婷": "reporters/li-ting.html", "李亭": "reporters/li-ting-2.html",
        "李庭": "reporters/li-ting-3.html"}
    # the offline copy of the newer edition keeps the full site's file names
    mini = build_site_model([newer, older], demo.config, only=new_day)
    assert {r.name: r.url for r in mini.reporters} == {
        "李婷": "reporters/li-ting.html", "李庭": "reporters/li-ting-3.html"}
