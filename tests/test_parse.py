"""The raw-page parser: the gold contract, its tricky pure functions, the nothing-lost
accounting, and robustness on real pages rearranged in ways the parser has never seen."""

from __future__ import annotations

import copy
import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from sitegen.content.model import Byline, ParsedPage
from sitegen.errors import SitegenError
from sitegen.ingest.parse import page_parser, parse_page
from sitegen.ingest.parse.body import column_width, paragraph_ends, paragraphs
from sitegen.ingest.parse.bylines import is_byline_continuation, parse_byline
from sitegen.ingest.parse.headlines import (
    Part,
    assign_parts,
    break_cuts_word,
    chunk_parts,
    undouble,
)
from sitegen.ingest.parse.layout import is_weather
from sitegen.ingest.parse.lines import Line
from sitegen.text.cjk import (
    NARROW_3BYTE,
    WIDE_3BYTE,
    char_width,
    close_letter_spacing,
    display_width,
    ends_sentence,
    normalize_text_spacing,
    tighten_cjk_ascii,
)
from sitegen.text.rawtext import decode_page_bytes
from sitegen.text.segment import Segmenter, segmenter

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
P000 = "000_945dd167e662ca43"
P002 = "002_855235c3d5b4990d"
KEYS = (P000, P002)

# Each page cut into article units (1-based inclusive line ranges), as the gold attributes
# them: byline box, body, headline group, glued byline box, photo credit, video prompt.
UNITS = {
    P000: [(1, 49), (51, 94), (96, 192), (193, 278), (280, 371), (373, 381), (383, 405)],
    P002: [(1, 43), (45, 85), (87, 91), (93, 189), (191, 265), (267, 358), (360, 381),
           (383, 467)],
}



def page_text(key: str) -> str:
    return (FIXTURES / "pages" / f"{key}.txt").read_text("utf-8")


EDITION_FIELDS = {
    "lead": None, "editor_note": None, "column": None, "source": None, "headings": [],
    "quotes": [], "continued_to": None, "continued_from": None, "verse": False}
"""The fields `edition-pages.md` adds to every article: empty on the two real pages."""


def gold(key: str) -> dict:
    """A real page's gold, with the edition fields (all empty there) on every article."""
    page = json.loads((FIXTURES / "gold" / f"{key}.json").read_text("utf-8"))
    page["articles"] = [a | EDITION_FIELDS for a in page["articles"]]
    return page


def parse(text: str, name: str, towns, seg) -> ParsedPage:
    return parse_page(text, name, towns, segmenter=seg)


def without_lines(article: dict) -> dict:
    return {k: v for k, v in article.items() if k != "source_lines"}


# ------------------------------------------------------------------------------ the contract


@pytest.mark.parametrize("key", KEYS)
def test_gold_pages_parse_exactly(key: str, towns, seg) -> None:
    assert parse(page_text(key), f"{key}.txt", towns, seg).to_dict() == gold(key)


def test_video_prompt_is_dropped_and_marks_its_story(towns, seg) -> None:
    page = parse(page_text(P002), f"{P002}.txt", towns, seg)
    assert [(d.line, d.text) for d in page.dropped] == [(265, "扫一扫 看视频")]
    assert [a.title for a in page.articles if a.video] == ["市政协十四届三次会议今日开幕"]


def test_page_parser_binds_one_segmenter(towns) -> None:
    parse_one = page_parser(towns)
    assert parse_one(page_text(P000), "01.txt").to_dict() == {**gold(P000), "page": "01.txt"}


def test_parse_page_without_segmenter_makes_its_own(towns) -> None:
    assert parse_page(page_text(P000), f"{P000}.txt", towns).to_dict() == gold(P000)


# ------------------------------------------------------------------------------ doubled type


@pytest.mark.parametrize(("doubled", "single"), [
    ("平湖标注创新奋进平湖标注创新奋进““新刻度新刻度””", "平湖标注创新奋进“新刻度”"),
    ("市委常委会市委常委会（（扩大扩大））会议召开会议召开", "市委常委会（扩大）会议召开"),
    ("政协委员报到政协委员报到", "政协委员报到"),
])
def test_undouble(doubled: str, single: str) -> None:
    assert undouble(doubled) == single


@pytest.mark.parametrize("line", [
    "平湖标注创新奋进“新刻度”", "好好", "天天向上", "…………", "““””", "嘉兴全民国防教育月",
    "本报讯 每年9月的第三个周六是全民国防", "产业兴则经济兴。产业兴则经济兴。",
])
def test_not_doubled(line: str) -> None:
    assert undouble(line) is None


# ------------------------------------------------------------------------------ bylines


def names(bylines: list[Byline]) -> list[tuple[str, str]]:
    return [(b.role, b.name) for b in bylines]


@pytest.mark.parametrize(("lines", "expected"), [
    (["■记 者 高 洁"], [("记者", "高洁")]),
    (["■记 者 高 洁", "见习记者 陶佳敏"], [("记者", "高洁"), ("见习记者", "陶佳敏")]),
    (["■记者 钱澄蓉 通讯员 蒋诗琪 张丹燕"],
     [("记者", "钱澄蓉"), ("通讯员", "蒋诗琪"), ("通讯员", "张丹燕")]),
    (["■记 者 李雨婷", "通讯员 顾秋叶 李 婷"],
     [("记者", "李雨婷"), ("通讯员", "顾秋叶"), ("通讯员", "李婷")]),
    (["■通讯员 徐冰艳 记者 钱澄蓉"], [("通讯员", "徐冰艳"), ("记者", "钱澄蓉")]),
    ([" ■言成声"], [("作者", "言成声")]),
    (["■摄影 王 强"], [("摄影", "王强")]),
    (["■见 习 记 者 陶佳敏"], [("见习记者", "陶佳敏")]),
    (["■记者钱澄蓉"], [("记者", "钱澄蓉")]),
    (["■记者 钱 澄 蓉"], [("记者", "钱澄蓉")]),
])
def test_parse_byline(lines: list[str], expected: list[tuple[str, str]]) -> None:
    parsed = parse_byline(lines)
    assert names(parsed.bylines) == expected
    assert parsed.leftovers == []


def test_byline_tokens_that_are_no_name_are_kept_as_leftovers() -> None:
    parsed = parse_byline(["■记者 John 王 强"])
    assert names(parsed.bylines) == [("记者", "王强")]
    assert parsed.leftovers == ["John"]
    parsed = parse_byline(["■记者 王强 通讯员"])  # a role word with no name is not lost
    assert (names(parsed.bylines), parsed.leftovers) == ([("记者", "王强")], ["通讯员"])


@pytest.mark.parametrize(("line", "continues"), [
    ("通讯员 纪亚千", True), ("见习记者 陶佳敏", True), ("摄影 王 强", True),
    ("通讯员 顾秋叶 李 婷", True), ("今天阴有中雨，傍晚到夜里阴有小雨。", False),
    ("记者节活动在平举行", False), ("■记者 徐玉霞", False), ("王强 李婷", False),
])
def test_byline_continuation(line: str, continues: bool) -> None:
    assert is_byline_continuation(line) is continues


# ------------------------------------------------------------------------------ spacing


@pytest.mark.parametrize(("raw", "clean"), [
    ("排名第 20位", "排名第20位"),
    ("全 市 实 现 服 务 业", "全市实现服务业"),
    ("“潮企浙里 跨境出海”", "“潮企浙里 跨境出海”"),
    ("了“回归田园 自在生活”主题", "了“回归田园 自在生活”主题"),
    ("去年 ，全 市 实 现 服 务 业 增 加 值397.4 亿元，可比增长 5.2%，对",
     "去年，全市实现服务业增加值397.4亿元，可比增长5.2%，对"),
    ("韩国 Fluonics 氟祥半导体", "韩国Fluonics氟祥半导体"),
    ("自 8 月启动", "自8月启动"),
    ("明天阴有中到大雨,偏北风 3到 4级。", "明天阴有中到大雨,偏北风3到4级。"),
    ("the  Pinghu   Daily", "the Pinghu Daily"),
])
def test_body_spacing(raw: str, clean: str) -> None:
    assert normalize_text_spacing(raw) == clean


def test_headline_spacing_keeps_couplet_space() -> None:
    assert tighten_cjk_ascii("推进“深根计划” 汇聚人才资源") == "推进“深根计划” 汇聚人才资源"
    assert tighten_cjk_ascii("A3 泊位正式对外开放") == "A3泊位正式对外开放"


def test_letter_spacing_needs_a_lone_character() -> None:
    assert close_letter_spacing("园 自在生活") == "园自在生活"  # why joining comes first
    assert close_letter_spacing("田园 自在生活") == "田园 自在生活"


# ------------------------------------------------------------------------------ paragraphs


def body(*texts: str | None) -> list[Line | None]:
    """Body lines numbered from 1; None is a blank line."""
    return [None if t is None else Line(i, t) for i, t in enumerate(texts, start=1)]


FULL = "一二三四五六七八九十一二三四五六七八"  # 18 CJK characters: the column
FULL_END = "一二三四五六七八九十一二三四五六七。"


def test_width_and_column() -> None:
    assert display_width("排名第 20位") == 11
    assert display_width("“芯”片…—·é𠀀") == 1 + 2 + 1 + 2 + 1 + 1 + 1 + 1 + 2
    lines = [Line(1, FULL), Line(2, FULL), Line(3, "短。")]
    assert column_width(lines) == 36


def test_width_shortcut_classes_agree_with_unicodedata() -> None:
    """`display_width` counts most lines from their UTF-8 length, trusting `WIDE_3BYTE` to
    hold only wide three-byte characters and `NARROW_3BYTE` only narrow three-byte ones."""
    wide = [cp for lo, hi in re.findall("(.)-(.)", WIDE_3BYTE)
            for cp in range(ord(lo), ord(hi) + 1)]
    assert len(wide) > 40000
    assert all(unicodedata.east_asian_width(chr(cp)) in ("W", "F") for cp in wide)
    assert all(len(chr(cp).encode()) == 3 for cp in wide)
    assert all(char_width(ch) == 1 and len(ch.encode()) == 3 for ch in NARROW_3BYTE)


def test_width_shortcut_equals_the_sum_of_char_widths() -> None:
    rng = random.Random(7)
    alphabet = "ab 1%，。、“”‘’…—·é　（）平湖ｱ가\u3248\u00a0𠀀😀\t"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert display_width(text) == sum(char_width(ch) for ch in text), text


def test_sentence_end_followed_by_blank_ends_paragraph() -> None:
    assert paragraph_ends(body(FULL, FULL_END, None, FULL, "完。")) == [
        False, True, False, False, True]


def test_column_break_after_unfinished_sentence_is_joined() -> None:
    assert paragraphs(body(FULL, FULL, None, "完。")) == [FULL + FULL + "完。"]


def test_short_sentence_end_line_ends_paragraph() -> None:
    two_short = FULL_END[:-3] + "。"  # two characters narrower than the column
    assert paragraph_ends(body(FULL, two_short, FULL, FULL, "完。"))[1] is True


def test_one_character_short_is_still_a_full_line() -> None:
    one_short = FULL_END[:-2] + "。"  # squeezed punctuation: still full
    assert paragraph_ends(body(FULL, one_short, FULL, FULL, "完。"))[1] is False


def test_full_width_indent_starts_a_paragraph() -> None:
    assert paragraphs(body(FULL, FULL, "　　" + FULL[:-2], "完。")) == [
        FULL + FULL, FULL[:-2] + "完。"]


def test_dateline_is_stripped_from_the_text() -> None:
    lines = body("本报讯 昨天下午，我市举行仪式。")
    assert paragraphs(lines, dateline=True) == ["昨天下午，我市举行仪式。"]


@pytest.mark.parametrize(("text", "ends"), [
    ("陆叶枫说。", True), ("助力乡村振兴共同富裕。”", True), ("大会？", True), ("报告；", True),
    ("统筹", False), ("“一号开放工程”，", False), ("", False),
])
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


# ------------------------------------------------------------------------------ headlines


@pytest.mark.parametrize(("lines", "parts"), [
    (["今年以来，平", "湖强力推进“地瓜", "经济”提能升级"],
     ["今年以来，平湖强力推进“地瓜经济”提能升级"]),
    (["开辟“掘金”跨境电商", "新赛道"], ["开辟“掘金”跨境电商新赛道"]),
    (["嘉兴全民国防教育月", "活动在平启动"], ["嘉兴全民国防教育月活动在平启动"]),
    (["触“电”腾飞有真招", "平湖电商产业园上省榜"], ["触“电”腾飞有真招", "平湖电商产业园上省榜"]),
    (["怀揣民意赴盛会 有备而来献良策", "市政协委员昨报到"],
     ["怀揣民意赴盛会 有备而来献良策", "市政协委员昨报到"]),
    (["市政协十四届三次会议今日开幕", "大会预备会议昨举行，通过会议议程等"],
     ["市政协十四届三次会议今日开幕", "大会预备会议昨举行，通过会议议程等"]),
])
def test_chunk_parts(lines: list[str], parts: list[str], seg) -> None:
    assert chunk_parts(lines, seg) == parts


def test_break_cuts_word(seg) -> None:
    assert break_cuts_word("今年以来，平", "湖强力推进", seg)
    assert not break_cuts_word("开辟“掘金”跨境电商", "新赛道", seg)


def test_user_words_reach_the_segmenter(seg) -> None:
    taught = segmenter(["葳乡田园"])
    assert "葳乡田园" not in seg.cut("葳乡田园农文旅项目")
    assert "葳乡田园" in taught.cut("葳乡田园农文旅项目")
    assert break_cuts_word("葳乡", "田园农文旅项目", taught)


def test_segmenter_loads_no_dictionary_until_used() -> None:
    fresh = Segmenter(["平湖"])
    assert fresh._tokenizer is None


def test_assign_parts_kicker_title_subtitle_caption() -> None:
    head = assign_parts([Part("今年以来，平湖强力推进“地瓜经济”提能升级"), Part("“一号开放工程”，"),
                         Part("开辟“掘金”跨境电商新赛道")])
    assert (head.kicker, head.title, head.subtitle) == (
        "今年以来，平湖强力推进“地瓜经济”提能升级“一号开放工程”，",
        "开辟“掘金”跨境电商新赛道", None)
    head = assign_parts([Part("中国县域高质量发展第20位！"),
                         Part("平湖标注创新奋进“新刻度”", True)])
    assert (head.kicker, head.title) == ("中国县域高质量发展第20位！", "平湖标注创新奋进“新刻度”")
    head = assign_parts([Part("怀揣民意赴盛会 有备而来献良策"), Part("市政协委员昨报到"),
                         Part("政协委员报到", True)])
    assert (head.kicker, head.title, head.subtitle, head.captions) == (
        None, "怀揣民意赴盛会 有备而来献良策", "市政协委员昨报到", ["政协委员报到"])
    head = assign_parts([Part("市委常委会（扩大）会议召开", True), Part("传达学习嘉兴市两会精神")])
    assert (head.title, head.subtitle, head.captions) == (
        "市委常委会（扩大）会议召开", "传达学习嘉兴市两会精神", [])


def test_weather_box() -> None:
    assert is_weather("今天阴有中雨，傍晚到夜里阴有小雨。明天最低气温4℃。")
    assert not is_weather("今天上午，市政协十四届三次会议开幕。")


# ------------------------------------------------------------------------------ nothing lost


def _chars(text: str | None) -> Counter:
    return Counter(ch for ch in (text or "") if not ch.isspace())


def _byline_chars(bylines: list[Byline]) -> Counter:
    """A role word is printed once for the names after it; `作者` is not printed at all."""
    out: Counter = Counter()
    previous = None
    for b in bylines:
        if b.role != previous and b.role != "作者":
            out += _chars(b.role)
        previous = b.role
        out += _chars(b.name)
    return out


def input_chars(text: str) -> Counter:
    """The page's characters, with doubled display lines counted once and the `■` marks
    (which only say 'byline box here') left out."""
    out: Counter = Counter()
    for line in text.split("\n"):
        out += _chars((undouble(line) or line).replace("■", ""))
    return out


def output_chars(page: ParsedPage) -> Counter:
    out: Counter = Counter()
    for a in page.articles:
        for text in (a.kicker, a.title, a.subtitle, a.dateline, *a.paragraphs, *a.captions):
            out += _chars(text)
        out += _byline_chars(a.bylines)
    for group in page.unassigned_bylines:
        out += _byline_chars(group)
    for extra in page.extras:
        out += _chars(extra.text)
    for dropped in page.dropped:  # shown to the editor as printed, `■` included
        out += _chars(dropped.text.replace("■", ""))
    return out


@pytest.mark.parametrize("key", KEYS)
def test_nothing_is_lost(key: str, towns, seg) -> None:
    text = page_text(key)
    page = parse(text, f"{key}.txt", towns, seg)
    produced, consumed = output_chars(page), input_chars(text)
    assert produced - consumed == Counter(), "characters invented"
    assert consumed - produced == Counter(), "characters lost"


def test_unplaceable_text_is_reported_not_lost(towns, seg) -> None:
    text = page_text(P000) + "\n\n孤立的标题\n\n扫一扫 看视频\n\n■记者 John\n"
    page = parse(text, "x.txt", towns, seg)
    assert [(d.text, d.reason.split(" ")[0]) for d in page.dropped] == [
        ("孤立的标题", "headline"), ("扫一扫 看视频", "video"), ("■记者 John", "byline")]
    assert output_chars(page) == input_chars(text)


# ------------------------------------------------------------------------------ robustness


def units(key: str) -> list[str]:
    lines = page_text(key).split("\n")
    return ["\n".join(lines[a - 1:b]) for a, b in UNITS[key]]


def assert_articles_match_gold(page: ParsedPage, text: str, expected_titles: list[str]) -> None:
    """Every article equals its gold twin (found by title), its source lines point at the
    same body text as in the original page, and the titles come in the expected order."""
    golden = {a["title"]: (key, a) for key in KEYS for a in gold(key)["articles"]}
    lines = text.split("\n")
    assert [a.title for a in page.articles] == expected_titles
    for article in page.articles:
        key, twin = golden[article.title]
        got = article.to_dict()
        assert without_lines(got) == without_lines(twin)
        first, last = got["source_lines"]
        orig = page_text(key).split("\n")
        gfirst, glast = twin["source_lines"]
        assert lines[first - 1:last] == orig[gfirst - 1:glast]


def titles_of(unit_texts: list[str], key_of: dict[str, str]) -> list[str]:
    return [t for u in unit_texts for t in key_of.get(u, [])]


def unit_titles() -> dict[str, list[str]]:
    """Which gold titles each unit holds (the weather unit holds none)."""
    out: dict[str, list[str]] = {}
    for key in KEYS:
        articles = gold(key)["articles"]
        texts = units(key)
        for text, (a, b) in zip(texts, UNITS[key], strict=True):
            out[text] = [g["title"] for g in articles if a <= g["source_lines"][0] <= b]
    return out


@pytest.mark.parametrize("order", [
    [6, 5, 4, 3, 2, 1, 0],  # reversed
    [0, 5, 1, 6, 2, 3, 4],  # the photo item right after the commentary's headline
    [3, 0, 4, 5, 6, 1, 2],  # starts with a body whose byline is glued under its headline
])
def test_rearranged_page(order: list[int], towns, seg) -> None:
    parts = units(P000)
    shuffled = [parts[i] for i in order]
    text = "\n\n".join(shuffled)
    page = parse(text, "rearranged.txt", towns, seg)
    assert len(page.articles) == 7
    assert_articles_match_gold(page, text, titles_of(shuffled, unit_titles()))
    assert page.unassigned_bylines == [] and page.extras == [] and page.dropped == []


def test_random_rearrangements_of_both_pages(towns, seg) -> None:
    """Units of both pages shuffled together: every article still parses to its gold twin;
    the weather unit stays an extra with its (unassigned) byline box."""
    pool = units(P000) + units(P002)
    titles = unit_titles()
    for seed in range(12):
        shuffled = random.Random(seed).sample(pool, len(pool))
        text = "\n\n".join(shuffled)
        page = parse(text, f"seed{seed}.txt", towns, seg)
        assert_articles_match_gold(page, text, titles_of(shuffled, titles))
        assert len(page.articles) == 14
        assert [e.text for e in page.extras] == [e["text"] for e in gold(P002)["extras"]]
        assert names(page.unassigned_bylines[0]) == [("记者", "高洁"), ("见习记者", "陶佳敏")]
        assert output_chars(page) == input_chars(text)


@pytest.mark.parametrize(("first", "second"), [(P000, P002), (P002, P000)])
def test_one_page_appended_to_the_other(first: str, second: str, towns, seg) -> None:
    text = page_text(first).rstrip("\n") + "\n\n" + page_text(second)
    page = parse(text, "both.txt", towns, seg)
    titles = [a["title"] for key in (first, second) for a in gold(key)["articles"]]
    assert_articles_match_gold(page, text, titles)
    assert len(page.unassigned_bylines) == 1 and len(page.extras) == 1


def paragraph_start_lines(key: str) -> tuple[set[int], set[int]]:
    """Line numbers where a gold paragraph starts, and all lines inside article bodies."""
    lines = page_text(key).split("\n")
    starts: set[int] = set()
    inside: set[int] = set()
    for article in gold(key)["articles"]:
        first, last = article["source_lines"]
        inside.update(range(first, last + 1))
        offsets, total = set(), 0
        for para in article["paragraphs"]:
            offsets.add(total)
            total += len(para.replace(" ", ""))
        seen = 0
        for no in range(first, last + 1):
            text = lines[no - 1].strip()
            if not text:
                continue
            if seen in offsets:
                starts.add(no)
            seen += len(text.removeprefix("本报讯").replace(" ", ""))
    return starts, inside


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("drop_body_blanks", [False, True])
def test_crlf_gb18030_and_fullwidth_indents(key: str, drop_body_blanks: bool, towns, seg) -> None:
    """A page typed with `　　` paragraph indents, CRLF and GB18030. Without the blank lines
    inside bodies the indents alone must carry the paragraph breaks."""
    starts, inside = paragraph_start_lines(key)
    out = []
    for no, line in enumerate(page_text(key).split("\n"), start=1):
        if drop_body_blanks and no in inside and not line.strip():
            continue
        out.append("　　" + line.strip() if no in starts else line)
    text = decode_page_bytes("\r\n".join(out).encode("gb18030"), f"{key}.txt")
    got = parse(text, f"{key}.txt", towns, seg).to_dict()
    expected = copy.deepcopy(gold(key))
    if drop_body_blanks:
        got["articles"] = [without_lines(a) for a in got["articles"]]
        expected["articles"] = [without_lines(a) for a in expected["articles"]]
    assert got == expected


def test_ascii_space_paragraph_indents(towns, seg) -> None:
    starts, _ = paragraph_start_lines(P002)
    lines = page_text(P002).split("\n")
    text = "\n".join("    " + ln.strip() if no in starts else ln
                     for no, ln in enumerate(lines, start=1))
    assert parse(text, "x.txt", towns, seg).to_dict() == {**gold(P002), "page": "x.txt"}


@pytest.mark.parametrize("text", [
    "", "\n \n", "Hello world.\nThis is not a newspaper page.\n",
    "嘉兴全民国防教育月\n活动在平启动\n", "■记者 林旭东\n", "扫一扫 看视频\n",
    "本报讯 每年9月的第三个周六是全民国防教育日。\n",
])
def test_no_article_is_an_error_naming_the_page(text: str, towns, seg) -> None:
    with pytest.raises(SitegenError) as err:
        parse(text, "01.txt", towns, seg)
    assert str(err.value).startswith("01.txt: no article found")


def test_minimal_article(towns, seg) -> None:
    page = parse("■记者 林旭东\n\n本报讯 新仓镇今天开会。\n\n新仓开会\n", "x.txt", towns, seg)
    assert [a.to_dict() for a in page.articles] == [{
        "kind": "news", "kicker": None, "title": "新仓开会", "subtitle": None,
        "dateline": "本报讯", "bylines": [{"role": "记者", "name": "林旭东"}],
        "paragraphs": ["新仓镇今天开会。"], "captions": [], "video": False,
        "towns": ["新仓镇"], "source_lines": [3, 3], **EDITION_FIELDS,
    }]
