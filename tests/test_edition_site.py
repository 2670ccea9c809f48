"""The fixture edition (A01–A06) built into a site, read the way a 数字报 reader reads it:
boxes for 核心提示 and 编者按, intertitles as headings, pull quotes with their source,
poems as verse, briefs under their column on the 版 view, wire copy with its agency, a
jumped story as one article printed on both pages, notices and ads on their page only."""

from __future__ import annotations

from conftest import DemoBuild
from htmlscan import Node, parse

from sitegen.check import edition_findings
from sitegen.content.files import read_edition
from sitegen.content.model import Dropped
from sitegen.search.download import probe

DAY = "2024-03-12"
FEATURE = f"{DAY}/A02/yi-can-re-fan-li-de-xing-fu.html"
JUMPED = f"{DAY}/A01/wo-shi-chu-tai-shi-tiao-cuo-shi.html"
POEM = f"{DAY}/A04/chun-dao-guang-chen.html"


def page(site: DemoBuild, path: str) -> Node:
    return parse(site.read(path))


def texts(nodes: list[Node]) -> list[str]:
    return [n.text for n in nodes]


def test_pages_are_labelled_as_printed(edition_demo: DemoBuild) -> None:
    nav = page(edition_demo, f"{DAY}/A01/index.html").find("nav", cls="pages-nav")
    assert [a.find(cls="pages-nav__no").text for a in nav.find_all("a")] == [
        "第A01版", "第A02版", "第A03版", "第A04版", "第A05版", "第A06版"]
    assert page(edition_demo, f"{DAY}/A03/index.html").find("h1").text == "第A03版 城乡"


def test_feature_prints_lead_intertitles_and_pull_quote(edition_demo: DemoBuild) -> None:
    story = page(edition_demo, FEATURE).find("article", cls="story")
    assert story.find(cls="subtitle")["class"] == "subtitle subtitle--dashed"
    lead = story.find(cls="lead-box")
    assert lead.text.startswith("核心提示 “吃饭”是老年人生活中的头等大事。")
    body = story.find(cls="story__body")
    blocks = [(n.tag, n.text[:6]) for n in body.children if isinstance(n, Node)]
    assert [t for t, _ in blocks if t == "h2"] == ["h2", "h2"]
    headings = texts(body.find_all("h2", cls="intertitle"))
    assert headings == ["从“吃得上”到“吃得好”", "让助餐服务走得更远"]
    # the first intertitle stands above the third paragraph, as printed
    order = [n.text for n in body.children if isinstance(n, Node)
             and n.tag in ("p", "h2") and "pull-quote" not in (n.get("class") or "")]
    assert order.index(headings[0]) == 2
    quote = body.find("figure", cls="pull-quote")
    assert quote.find("blockquote").text == (
        "“以前中午一个人懒得烧，现在走几步路就能吃上热饭热菜，心里踏实多了。”")
    assert quote.find("figcaption").text == "—— 沈阿婆（春晖社区居民）"


def test_editor_note_stands_before_its_story(edition_demo: DemoBuild) -> None:
    doc = page(edition_demo, f"{DAY}/A06/jia-zhuang-dian-ti-jia-chu-xing-fu.html")
    note = doc.find(cls="editor-note")
    assert note.text.startswith("编者按 老旧小区加装电梯，是一件群众关心的“关键小事”。")


def test_jumped_story_is_one_article_on_both_pages(edition_demo: DemoBuild) -> None:
    doc = page(edition_demo, JUMPED)
    meta = doc.find(cls="story__meta")
    assert [a.text for a in meta.find_all("a")][1:] == ["第A01版", "第A02版"]
    paragraphs = texts(doc.find(cls="story__body").find_all("p"))
    assert len(paragraphs) == 6 and paragraphs[-1].startswith("据悉，市级财政今年")
    a02 = page(edition_demo, f"{DAY}/A02/index.html")
    cont = a02.find(cls="continuations")
    assert cont.text == "上接第A01版 我市出台十条措施助推制造业技改提速（续）"
    assert [a["href"] for a in cont.find_all("a")] == [
        "../A01/index.html", "../A01/wo-shi-chu-tai-shi-tiao-cuo-shi.html"]
    # the continuation is no article of its own
    assert len(a02.find_all("article", cls="teaser")) == 1


def test_briefs_are_grouped_under_their_column(edition_demo: DemoBuild) -> None:
    doc = page(edition_demo, f"{DAY}/A03/index.html")
    column = doc.find("section", cls="brief-column")
    assert column.find(cls="brief-column__head").text == "镇街动态"
    assert texts(column.find_all(cls="teaser__title")) == [
        "新埭镇举办春风行动专场招聘会", "广陈镇开展农村人居环境集中整治",
        "镇街动态：3月10日，当湖街道联合市消防救……", "林埭镇开展“学雷锋”志愿服务月活动"]
    outside = [t for t in doc.find_all("article", cls="teaser") if t not in
               column.find_all("article", cls="teaser")]
    assert texts([t.find(cls="teaser__title") for t in outside]) == [
        "乍浦老街改造提升工程开工", "家门口就业 增收有奔头", "油菜花开春意浓"]


def test_poem_keeps_its_lines(edition_demo: DemoBuild) -> None:
    body = page(edition_demo, POEM).find(cls="story__body")
    assert body["class"] == "story__body story__body--verse"
    stanzas = body.find_all("p")
    assert len(stanzas) == 3
    assert len(stanzas[0].find_all("br")) == 3
    assert stanzas[0].text.startswith("风从南边的田埂上走来")


def test_wire_copy_shows_its_agency_and_its_reporters_stay_apart(edition_demo: DemoBuild) -> None:
    a05 = page(edition_demo, f"{DAY}/A05/index.html")
    assert texts(a05.find_all(cls="teaser__agency")) == ["新华社", "新华社", "新华社"]
    story = page(edition_demo, f"{DAY}/A05/chun-ji-zao-lin-lv-hua-you-xu.html")
    assert story.find(cls="story__source").text == "（据新华社）"
    groups = {g.find("h2").text.split(" ")[0]: texts(g.find_all("a"))
              for g in page(edition_demo, "reporters/index.html").find_all(cls="role-group")}
    assert groups["新华社"] == ["陈晨", "王立新", "周晓航"]
    assert not {"王立新", "陈晨", "周晓航"} & set(groups["记者"])
    assert list(groups)[-1] == "新华社"  # after the paper's own people


def test_notices_and_ads_are_on_their_page_and_are_no_articles(edition_demo: DemoBuild) -> None:
    doc = page(edition_demo, f"{DAY}/A06/index.html")
    notices = doc.find(cls="notices")
    assert [n.find("p").text for n in notices.find_all("div")] == [
        "遗失声明", "招聘启事", "金平湖家居广场"]
    edition = read_edition(edition_demo.root / "content" / DAY)
    titles = [a.article.title for a in edition.articles]
    assert "遗失声明" not in titles and "金平湖家居广场" not in titles
    assert len(titles) == 20


def test_search_reads_leads_notes_intertitles_and_quotes(edition_demo: DemoBuild) -> None:
    """Each phrase is printed only in one of those parts of one article; the real search
    client (client.js with lunr.js, in node) finds exactly that article."""
    found = probe(edition_demo.out, ["头等大事", "关键小事", "让助餐服务走得更远", "懒得烧",
                                     "没有这个词语"])
    assert [q["results"] for q in found] == [1, 1, 1, 1, 0]


def test_check_lists_what_fits_no_rule_and_jumps_without_their_other_part(
        edition_demo: DemoBuild) -> None:
    """What the parser placed nowhere is kept in the page file and `sitegen check` lists
    it (a video prompt is expected furniture, not a finding); so is a jump whose other
    part was lost."""
    edition = read_edition(edition_demo.root / "content" / DAY)
    a01 = edition.pages[0]
    a01.meta.dropped = [Dropped(3, "孤立的标题", "headline group with no article body"),
                        Dropped(9, "扫一扫 看视频", "video prompt (QR code)")]
    a01.articles[2].pages = ()
    messages = [f.message for f in edition_findings(edition, edition_demo.root)]
    assert "line 3 fits no rule (headline group with no article body): 孤立的标题" in messages
    assert not any("看视频" in m for m in messages)
    assert ("（下转第A02版） but its continuation was not found: 我市出台十条措施助推制造业技改提速"
            in messages)
