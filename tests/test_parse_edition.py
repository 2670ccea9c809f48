"""Every page of an edition (`docs/edition-pages.md`): the fixture edition's gold, the
edition parse with its jump joined, and each rule that recovers a structure, on its own."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.content.model import Byline, ParsedPage
from sitegen.errors import SitegenError
from sitegen.ingest.parse import parse_page
from sitegen.ingest.parse.article import lead_phrase
from sitegen.ingest.parse.bylines import bracketed_byline_at_end, is_credit_line, parse_byline
from sitegen.ingest.parse.edition import join_jumps
from sitegen.ingest.parse.furniture import is_weather, quote_box
from sitegen.ingest.parse.headlines import undouble
from sitegen.ingest.parse.lines import split_blocks, split_lines
from sitegen.ingest.parse.marks import (
    has_dateline,
    is_contact,
    is_notice_head,
    jump_from,
    jump_to,
    labelled,
    source_line,
    source_suffix,
    wire_dateline,
)
from sitegen.text.labels import display, is_label, label_of_file, resolve_jump, sorted_labels

REPO = Path(__file__).resolve().parent.parent
EDITION = REPO / "tests" / "fixtures" / "edition"
RAW = EDITION / "2024-03-12"
LABELS = ("A01", "A02", "A03", "A04", "A05", "A06")



def page_gold(label: str) -> dict:
    return json.loads((EDITION / "gold" / f"{label}.json").read_text("utf-8"))


def parse(label: str, towns, seg) -> ParsedPage:
    return parse_page((RAW / f"{label}.txt").read_text("utf-8"), f"{label}.txt", towns, seg)


def parse_text(text: str, towns, seg) -> ParsedPage:
    return parse_page(text, "x.txt", towns, segmenter=seg)


# ------------------------------------------------------------------------------ the contract


@pytest.mark.parametrize("label", LABELS)
def test_fixture_pages_parse_exactly(label: str, towns, seg) -> None:
    assert parse(label, towns, seg).to_dict() == page_gold(label)


def test_parse_dir_prints_the_edition_with_its_jump_joined(capsys) -> None:
    assert main(["parse", "--site", str(REPO), str(RAW)]) == 0
    expected = json.loads((EDITION / "gold" / "edition.json").read_text("utf-8"))
    del expected["note"]
    assert json.loads(capsys.readouterr().out) == expected


def test_parse_page_prints_the_page(capsys) -> None:
    assert main(["parse", "--site", str(REPO), str(RAW / "A03.txt")]) == 0
    assert json.loads(capsys.readouterr().out) == page_gold("A03")


MARKER_CHARS = Counter("下转上接第版据核心提示编者按本报新华社文记者")
"""Characters that may be read and not kept: printed marks that become fields
(`（下转第A02版）` is `continued_to`, `据新华社` a `source`, `核心提示：` a `lead`), role
words spelled otherwise (`本报记者` is `记者`, `■文/陆一帆` is `作者`, the staff title of
`■摄影 记者 王 蓉` qualifies 摄影). A few characters of slack, never a word of text."""


def _han(text: str) -> Counter:
    return Counter(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def _parse_chars(page: ParsedPage) -> Counter:
    seen_columns: set[str] = set()
    out: Counter = Counter()
    for a in page.articles:
        texts = [a.kicker, a.title, a.subtitle, a.dateline, a.lead, a.editor_note, a.source,
                 *a.paragraphs, *a.captions, *(h.text for h in a.headings),
                 *(f"{q.text}{q.source}" for q in a.quotes),
                 *(f"{b.role}{b.name}" for b in a.bylines)]
        if a.column and a.column not in seen_columns:
            seen_columns.add(a.column)
            texts.append(a.column)
        for text in texts:
            out += _han(text or "")
    for extra in page.extras:
        out += _han(extra.text)
    for group in page.unassigned_bylines:
        out += _han("".join(b.role + b.name for b in group))
    for dropped in page.dropped:
        out += _han(dropped.text)
    return out


@pytest.mark.parametrize("label", LABELS)
def test_nothing_on_an_edition_page_is_lost(label: str, towns, seg) -> None:
    """Every Chinese character of the input is in the parse, but for the marks' own words
    (and role words spelled out: `本报记者` is `记者`, `文/图` credits two roles)."""
    text = (RAW / f"{label}.txt").read_text("utf-8")
    lines = [undouble(line) or line for line in text.split("\n")]  # display type read twice
    missing = _han("\n".join(lines)) - _parse_chars(parse(label, towns, seg))
    assert missing - MARKER_CHARS == Counter()


# ------------------------------------------------------------------------------ marks


@pytest.mark.parametrize(("text", "label"), [
    ("（下转第A02版）", "A02"), ("云用数”，订单交付周期平均缩短两成。（下转第2版）", "2"),
    ("(下转第 C02 版)", "C02"), ("（下转2版）", "2"), ("下转第2版", None),
])
def test_jump_to(text: str, label: str | None) -> None:
    assert jump_to(text) == label


@pytest.mark.parametrize(("text", "label"), [
    ("（上接第A01版）", "A01"), ("（上接第1版）市经信局…", "1"), ("市经信局（上接第1版）", None)])
def test_jump_from(text: str, label: str | None) -> None:
    assert jump_from(text) == label


def test_wire_dateline_splits_dispatch_reporters_and_text() -> None:
    wire = wire_dateline("新华社北京3月11日电（记者 王立新 陈晨）记者11日从农业农村部获悉")
    assert wire is not None
    assert (wire.dispatch, wire.agency, wire.names, wire.rest) == (
        "新华社北京3月11日电", "新华社", "记者 王立新 陈晨", "记者11日从农业农村部获悉")
    assert wire_dateline("中新社杭州 3 月 5 日电 今天…").dispatch == "中新社杭州3月5日电"
    assert wire_dateline("据新华社报道，今天…") is None
    assert has_dateline("新华社杭州3月") and has_dateline("本报讯 近日")
    assert not has_dateline("新华社记者近日走访")


@pytest.mark.parametrize(("text", "agency"), [
    ("据新华社", "新华社"), ("（据新华社电）", "新华社"), ("据中新社", "中新社"),
    ("据新华社报道，今年…", None)])
def test_source_line(text: str, agency: str | None) -> None:
    assert source_line(text) == agency


def test_source_suffix() -> None:
    assert source_suffix("由重数量向量质并重转变。（据新华社）") == (
        "由重数量向量质并重转变。", "新华社")


@pytest.mark.parametrize(("kind", "text", "rest"), [
    ("lead", "核心提示：“吃饭”是大事。", "“吃饭”是大事。"), ("lead", "【核心提示】今年…", "今年…"),
    ("note", "编者按：老旧小区…", "老旧小区…"), ("note", "编者认为…", None),
    ("lead", "核心是提示…", None)])
def test_labelled(kind: str, text: str, rest: str | None) -> None:
    assert labelled(kind, text) == rest


@pytest.mark.parametrize(("text", "head"), [
    ("遗失声明", True), ("招 聘 启 事", True), ("公告", True), ("寻人启事", True),
    ("市政府发布公告称今年起", False), ("声明作废。", False)])
def test_notice_head(text: str, head: bool) -> None:
    assert is_notice_head(text) is head


@pytest.mark.parametrize(("text", "contact"), [
    ("服务热线：400-800-1234", True), ("咨询电话 0573-85123456", True), ("扫码关注", True),
    ("联系人：13812345678", True), ("扫一扫 看视频", False), ("全市新增岗位1300余个", False)])
def test_contact(text: str, contact: bool) -> None:
    assert is_contact(text) is contact


def test_weather_box_is_a_forecast() -> None:
    """A wire story about spring tea mentions 气温 and 晴 but forecasts nothing."""
    assert is_weather("今天多云到晴，偏东风3到4级。今天白天最高气温17℃。")
    assert not is_weather("随着气温回升，浙江多地早茶陆续开采，茶农们抢抓晴好天气采摘新茶。")


# ------------------------------------------------------------------------------ bylines


def names(bylines: list[Byline]) -> list[tuple[str, str]]:
    return [(b.role, b.name) for b in bylines]


@pytest.mark.parametrize(("lines", "expected", "literary"), [
    (["■本报记者 朱晓雯", "见习记者 钱 蕾", "通讯员 金佳豪"],
     [("记者", "朱晓雯"), ("见习记者", "钱蕾"), ("通讯员", "金佳豪")], False),
    (["■摄影 记者 王 蓉"], [("摄影", "王蓉")], False),
    (["■记者 张 三 摄"], [("摄影", "张三")], False),
    (["文/图 李 明"], [("文", "李明"), ("图", "李明")], False),
    (["文/摄 李 明"], [("文", "李明"), ("摄影", "李明")], False),
    (["■文/陆一帆"], [("作者", "陆一帆")], True),
    (["□沈晓梅"], [("作者", "沈晓梅")], True),
    (["作者 沈晓梅"], [("作者", "沈晓梅")], True),
    (["■本报评论员"], [("作者", "本报评论员")], False),
    (["■湖畔声"], [("作者", "湖畔声")], False),
    (["■特约通讯员 王 五 实习生 赵 六"], [("特约通讯员", "王五"), ("实习生", "赵六")], False),
    (["■记者 张 文"], [("记者", "张文")], False),
])
def test_byline_forms(lines: list[str], expected: list, literary: bool) -> None:
    parsed = parse_byline(lines)
    assert names(parsed.bylines) == expected
    assert parsed.leftovers == []
    assert parsed.literary is literary


@pytest.mark.parametrize(("text", "expected"), [
    ("众1500余人次。（通讯员 金佳豪）", ("众1500余人次。", [("通讯员", "金佳豪")])),
    ("（记者 俞佳怡 通讯员 顾 磊）", ("", [("记者", "俞佳怡"), ("通讯员", "顾磊")])),
    ("林埭镇各村（社区）志愿服务队", None), ("活动（三）", None),
])
def test_bracketed_byline(text: str, expected) -> None:
    found = bracketed_byline_at_end(text)
    assert (None if found is None else (found[0], names(found[1]))) == expected


@pytest.mark.parametrize(("line", "credit"), [
    ("文/图 李 明", True), ("作者 张三", True), ("作者认为，这一做法值得推广。", False),
    ("文化礼堂里热闹非凡", False)])
def test_credit_line(line: str, credit: bool) -> None:
    assert is_credit_line(line) is credit


# ------------------------------------------------------------------------------ structures


@pytest.mark.parametrize(("paragraph", "phrase"), [
    ("新埭镇举办春风行动专场招聘会 近日，新埭镇…", "新埭镇举办春风行动专场招聘会"),
    ("广陈镇开展农村人居环境集中整治。连日来，…", "广陈镇开展农村人居环境集中整治"),
    ("3月10日，当湖街道联合市消防救援大队开展演练。", None),
    ("林埭镇开展“学雷锋”志愿服务月活动 本月以来，…", "林埭镇开展“学雷锋”志愿服务月活动"),
])
def test_brief_lead_phrase(paragraph: str, phrase: str | None) -> None:
    assert lead_phrase(paragraph)[0] == phrase


def test_quote_box_needs_the_speaker_line() -> None:
    box = ("“以前中午一个人懒得烧，\n现在走几步路就能吃上热\n饭热菜，心里踏实多了。”\n"
           "沈阿婆\n（春晖社区居民）")
    found = quote_box(split_blocks(split_lines(box))[0])
    assert found is not None
    assert (found.quote.text, found.quote.source) == (
        "“以前中午一个人懒得烧，现在走几步路就能吃上热饭热菜，心里踏实多了。”",
        "沈阿婆（春晖社区居民）")
    paragraph = "“新政含金量高，我们今年准备再上两条自动化\n产线。”位于曹桥街道的一家企业负责人"
    assert quote_box(split_blocks(split_lines(paragraph))[0]) is None


STORY = ("本报讯 近日，乍浦镇老街改造提升工程正式开工。此次改造\n"
         "范围包括老街主街及两侧巷弄，总长约600米，计划\n于今年10月底前完工。\n\n"
         "{middle}\n\n"
         "乍浦老街历史悠久，沿街保留着不少清末民初的传统\n民居。近年来，随着居住人口减少、"
         "配套设施老化，\n老街面临路面破损、管线杂乱等问题。\n{end}\n\n乍浦老街改造提升工程开工\n")


def test_intertitle_stays_in_its_story(towns, seg) -> None:
    page = parse_text(STORY.format(middle="守住老街的记忆", end=""), towns, seg)
    assert [a.title for a in page.articles] == ["乍浦老街改造提升工程开工"]
    assert [h.to_dict() for h in page.articles[0].headings] == [
        {"before": 1, "text": "守住老街的记忆"}]


def test_a_short_line_before_a_story_of_its_own_is_its_headline(towns, seg) -> None:
    """The text under the line ends `据新华社`: a story with its own mark, so the line is
    the headline of the text above, not an intertitle."""
    page = parse_text(STORY.format(middle="守住老街的记忆", end="据新华社"), towns, seg)
    assert [a.title for a in page.articles] == ["守住老街的记忆", "乍浦老街改造提升工程开工"]
    assert page.articles[1].source == "新华社"


def test_page_column_head_names_every_story_under_it(towns, seg) -> None:
    page = parse("A04", towns, seg)
    assert {a.column for a in page.articles} == {"东湖"}


def test_brief_without_byline_at_the_end_of_its_column(towns, seg) -> None:
    text = (RAW / "A03.txt").read_text("utf-8") + (
        "\n平湖简讯补白 近日，新仓镇开展春季\n植树活动，共种下苗木500余株。\n")
    page = parse_text(text, towns, seg)
    last = page.articles[-1]
    assert (last.kind, last.column, last.bylines, last.title) == (
        "brief", "镇街动态", [], "平湖简讯补白")


def test_a_page_of_notices_only_is_a_page(towns, seg) -> None:
    page = parse_text("遗失声明\n\n某某公司遗失营业执照正本一份，特此声明作废。\n", towns, seg)
    assert (page.articles, [e.kind for e in page.extras]) == ([], ["notice"])


def test_an_ad_is_never_a_headline(towns, seg) -> None:
    text = ("本报讯 新仓镇今天开会。\n\n新仓开会\n\n金平湖家居广场\n\n"
            "品质家居 温暖到家\n\n服务热线：400-800-1234\n")
    page = parse_text(text, towns, seg)
    assert [a.title for a in page.articles] == ["新仓开会"]
    assert page.extras[0].to_dict() == {
        "kind": "ad", "text": "金平湖家居广场\n品质家居 温暖到家\n服务热线：400-800-1234"}


# ------------------------------------------------------------------------------ the edition


def edition_pages(towns, seg) -> dict[str, ParsedPage]:
    return {label: parse(label, towns, seg) for label in LABELS}


def test_unmatched_jump_keeps_both_parts_and_is_reported(towns, seg) -> None:
    pages = edition_pages(towns, seg)
    del pages["A02"]
    edition = join_jumps(pages, towns)
    assert [(u.label, u.direction, u.printed) for u in edition.unmatched] == [
        ("A01", "to", "A02")]
    assert len(edition.pages[0].articles) == 4


def test_a_jump_by_number_finds_the_page_in_its_section(towns, seg) -> None:
    a01 = (RAW / "A01.txt").read_text("utf-8").replace("下转第A02版", "下转第2版")
    a02 = (RAW / "A02.txt").read_text("utf-8").replace("上接第A01版", "上接第1版")
    pages = edition_pages(towns, seg)
    pages["A01"] = parse_text(a01, towns, seg)
    pages["A02"] = parse_text(a02, towns, seg)
    edition = join_jumps(pages, towns)
    assert edition.unmatched == []
    assert edition.pages[0].articles[2].pages == ["A01", "A02"]


def test_labels_sort_letter_then_number() -> None:
    assert sorted_labels(["B01", "A10", "A02", "C01", "A01"]) == ["A01", "A02", "A10", "B01",
                                                                  "C01"]
    assert resolve_jump("2", ["A01", "A02", "B02"], "A01") == "A02"
    assert resolve_jump("2", ["A01", "B02"], "A01") == "B02"
    assert resolve_jump("A03", ["A01", "A02"], "A01") is None
    assert display("C01") == "第C01版"


@pytest.mark.parametrize(("name", "label"), [
    ("A01.txt", "A01"), ("01.txt", "01"), ("C12.txt", "C12"), ("00.txt", None),
    ("a01.txt", None), ("٠١.txt", None), ("01.txt\n", None), ("A1.txt", None),
    ("AB01.txt", None)])
def test_raw_page_file_names(name: str, label: str | None) -> None:
    assert label_of_file(name) == label
    assert is_label(label) if label else True


def test_page_with_no_article_is_still_an_error(towns, seg) -> None:
    with pytest.raises(SitegenError, match="no article found"):
        parse_text("东湖\n\n", towns, seg)
