"""A deterministic synthetic archive of raw pages, resampled from the two real demo pages.

Usage: python bench/generate.py OUT_SITE --editions N [--seed S] [--numbered F] [--stats]

It writes a complete site (sitegen.toml with the demo gazetteer, content/raw/DATE/A01.txt …
A08.txt, edition.toml naming the pages) of N daily editions of eight pages, each page one a
county daily prints (`docs/edition-pages.md`):

  A01 要闻       hard news (本报讯, ■ bylines), a commentary signed with a pen name, photo
                 items, video prompts, a doubled display title, the weather box, and a story
                 that jumps to A02 (（下转第A02版）)
  A02 综合       that story's continuation (（上接第A01版）, its title repeated short), a
                 feature (核心提示 lead, intertitles, ——subtitle, a three-role byline box, a
                 quote box), news
  A03 城乡       town news, a photo item, a 简讯 column (镇街动态: briefs with lead phrases and
                 bracketed bylines)
  A04 经济       news
  A05 国内       wire copy (新华社北京3月11日电（记者 …）, 据新华社)
  A06 社会       news
  A07 民生·服务  a story under an 编者按, a 本报评论员 commentary, notices (遗失声明, 招聘启事,
                 公告) and an ad with a hotline
  A08 副刊       under a column head: essays signed □作者, title-first poems signed ■文/作者,
                 a photo work signed 文/图

The oldest editions (`--numbered`, a share of the archive) are written 01.txt … 08.txt with
jump lines naming 第2版, as sites that number their pages have them.

Articles are rebuilt from the real pages' sentences, clauses, people and towns, then laid out
the way the PDF extractor lays out a real page: body hard-wrapped at a column width (East
Asian width; closing marks squeezed onto the line; no break inside a Latin word or at a word
space), the headline after the body, bylines before the body or glued under the headline,
blank lines between frames and, now and then, inside a paragraph (a column break), an ASCII
space marking a new frame, letter-spaced two-character names, the extractor's padding between
Chinese and digits. So the vocabulary, page structure and the parser's work stay realistic.

`generate_with_truth` also returns what it put on every page (`EditionTruth`): each article
as an import should give it back (the fields of `sitegen.content.model.Article`, plus the pages a
jumped story is printed on), each page's extras (weather, notices, ads) and continuations.
`tests/test_import_scale.py` imports a generated archive and compares it with that truth.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "fixtures" / "gold"
ARTICLES_PER_PAGE = (5, 9)
"""Articles on a page of news (要闻, 经济, 社会)."""
TARGET_CHARS = (900, 2100)
NUMBERED = 0.25
"""Default share of the archive (its oldest editions) whose pages are numbered `01.txt`."""
NO_LINE_START = set("，。、；：！？”’）》」』】…%")
NO_LINE_END = set("“‘（《「『【")
SENTENCE_END = set("。！？；…")
CLOSERS = set("”’）》」』】")


# ------------------------------------------------------------------------------ truth


@dataclass
class Story:
    """One article as an import should give it back: the fields of `sitegen.content.model.Article`
    (bylines as (role, name)), and `pages`, the labels of the pages a jumped story is
    printed on (empty for a story on one page)."""

    kind: str
    title: str | None
    kicker: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    bylines: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    video: bool = False
    lead: str | None = None
    editor_note: str | None = None
    column: str | None = None
    source: str | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)
    """Intertitles: (index of the paragraph the heading stands above, text)."""
    quotes: list[tuple[str, str | None]] = field(default_factory=list)
    continued_to: str | None = None
    continued_from: str | None = None
    verse: bool = False
    pages: tuple[str, ...] = ()


@dataclass
class Continuation:
    """The second part of a jumped story, listed on its page (not an article there)."""

    continued_from: str
    """The label of the page the story starts on."""
    article: str
    """The joined article's key: its page label and place there (`A01-03`)."""
    title: str | None
    repeated_title: str


@dataclass
class PageTruth:
    label: str
    name: str
    stories: list[Story] = field(default_factory=list)
    extras: list[tuple[str, str]] = field(default_factory=list)
    """(kind, text): `weather`, `notice`, `ad`, as the parse gives them."""
    continuations: list[Continuation] = field(default_factory=list)


@dataclass
class EditionTruth:
    date: date
    number: int
    pages: list[PageTruth]


# ------------------------------------------------------------------------------ material


@dataclass(frozen=True)
class Pools:
    sentences: tuple[str, ...]
    clauses: tuple[str, ...]
    names: tuple[str, ...]


def load_pools() -> Pools:
    sentences: list[str] = []
    clauses: list[str] = []
    names: set[str] = set()
    for path in sorted(GOLD.glob("*.json")):
        page = json.loads(path.read_text("utf-8"))
        for art in page["articles"]:
            for para in art["paragraphs"]:
                sentences += [s for s in re.findall(r"[^。！？]+[。！？][”’]?", para) if len(s) > 6]
                clauses += [c for c in re.split(r"[，。！？；：、“”（）《》\s]", para)
                            if 6 <= len(c) <= 14 and not re.search("[‘’]", c)]
            names.update(b["name"] for b in art["bylines"])
        for group in page["unassigned_bylines"]:
            names.update(b["name"] for b in group)
    # More people than two pages credit: recombine surnames and given names, as a year of a
    # real paper has on the order of a hundred bylines.
    surnames = sorted({n[0] for n in names})
    given = sorted({n[1:] for n in names if len(n) == 3} | {n[1] for n in names})
    extra = {s + g for s in surnames for g in given}
    return Pools(tuple(sentences), tuple(sorted(set(clauses))),
                 tuple(sorted(names)) + tuple(sorted(extra))[:120])


class WordBreaks:
    """Where jieba (the segmenter the parser reads display lines with, the gazetteer's towns
    added) puts a word across a line break: `持|平`, `项目|管理`.

    Some layouts are read by that test: a headline line followed by a longer line (a wrap
    when a word runs across, `raw-pages.md`), and, in the parser, an intertitle, a poem's
    line breaks, a headline with a story under it that has no dateline or byline. Where a
    word runs across such a break the parser reads the layout otherwise (see
    `docs/parser-notes.md`), so the generator keeps clear of those breaks, and counts them."""

    def __init__(self) -> None:
        from sitegen.config import load_config
        from sitegen.text.segment import Segmenter

        towns = load_config(REPO).towns
        self.segmenter = Segmenter([s for t in towns for s in t.spellings])

    def across(self, before: str, after: str) -> bool:
        before, after = before.strip(), after.strip()
        boundary, pos = len(before), 0
        for token in self.segmenter.cut(before + after):
            end = pos + len(token)
            if pos < boundary < end and len(token) > 1 and all(map(is_han, token)):
                return True
            pos = end
            if pos >= boundary:
                return False
        return False


@dataclass(frozen=True)
class Material:
    """The pools, the subsets each structure draws from, and the word-break test."""

    pools: Pools
    words: WordBreaks
    plain: tuple[str, ...]
    """Sentences without quotation marks or spaces: quote boxes, briefs, notes, leads."""
    full_stops: tuple[str, ...]
    """Plain sentences ending in `。`."""
    comma_first: tuple[str, ...]
    """Plain sentences ending in `。` with a comma: the opening of a brief without a lead
    phrase (a short sentence without one would read as the lead phrase)."""
    han_clauses: tuple[str, ...]
    """Clauses of Chinese characters only: intertitles, poem lines, lead phrases."""


def material(pools: Pools) -> Material:
    plain = tuple(s for s in pools.sentences if not re.search(r"[“”‘’ ]", s))
    return Material(
        pools=pools,
        words=WordBreaks(),
        plain=plain,
        full_stops=tuple(s for s in plain if s.endswith("。")),
        comma_first=tuple(s for s in plain if s.endswith("。") and "，" in s and len(s) <= 90),
        han_clauses=tuple(c for c in pools.clauses if all(is_han(ch) for ch in c)),
    )


CITIES = ("北京", "上海", "杭州", "广州", "南京", "武汉", "成都", "西安", "合肥", "福州", "长沙")
TOWNS = ("当湖街道", "钟埭街道", "曹桥街道", "乍浦镇", "新埭镇", "新仓镇", "广陈镇", "林埭镇",
         "独山港镇")
BRIEF_HEADS = ("镇街动态", "平湖简讯", "简讯", "乡镇传真", "城乡快讯")
FUKAN_HEADS = ("东湖", "南河头", "当湖", "诗韵", "九龙山")
LEAD_LABELS = ("核心提示：", "核心提示：", "核心提示：", "【核心提示】", "导语：")
NOTE_LABELS = ("编者按：", "编者按：", "编者按：", "【编者按】")
FEATURE_ENDINGS = ("见闻", "侧记", "纪实", "走笔", "调查")
COMPANIES = ("利民五金经营部", "嘉禾精密机械有限公司", "东湖服饰有限公司", "乍浦港物流有限公司",
             "新埭食品有限公司", "金平湖电子科技有限公司", "广陈农业发展有限公司")
DOCUMENTS = ("营业执照正本", "营业执照副本", "公章", "道路运输许可证", "食品经营许可证")
JOBS = ("数控车床操作工", "质检员", "仓库管理员", "电工", "会计", "销售代表", "厨师")
ADVERTISERS = ("金平湖家居广场", "东湖大酒店", "九龙山度假区", "平湖汽车城", "当湖书城")
SLOGANS = ("品质家居 温暖到家", "诚信经营 服务万家", "山海相约 乐享春光", "安心选车 放心用车",
           "书香满城 阅读有你")
PROMOS = ("春季焕新", "开业大吉", "限时优惠", "会员专享")
SPEAKER_TITLES = ("阿婆", "大伯", "师傅", "阿姨")
SPEAKER_ROLES = ("社区居民", "村村民", "企业负责人", "志愿者")


# ------------------------------------------------------------------------------ characters


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def char_width(ch: str) -> int:
    """East Asian width: wide and full-width characters take two columns."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width_of(text: str) -> int:
    return sum(map(char_width, text))


def ends_sentence(line: str) -> bool:
    core = line.rstrip()
    while core and core[-1] in CLOSERS:
        core = core[:-1]
    return bool(core) and core[-1] in SENTENCE_END


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _can_break(text: str, j: int) -> bool:
    """May a line end before `text[j]`? Never at a word space (the extractor drops it at a
    line end, and a space opening a line marks a new frame), inside a Latin word, after an
    opening mark or before a closing one."""
    a, b = text[j - 1], text[j]
    return not (a == " " or b == " " or (_latin(a) and _latin(b)) or a in NO_LINE_END
                or b in NO_LINE_START)


def wrap(text: str, width: int) -> list[str]:
    """Hard-wrap at `width` display columns (CJK = 2), as the typesetter's column does.

    Closing marks never start a line: the typesetter squeezes up to two onto the line.
    A line the break rules left short that ends a sentence would read as a paragraph end,
    where a typesetter justifies it: the extractor then letter-spaces it (`justify`)."""
    lines: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j, used = i, 0
        while j < n and (j == i or used + char_width(text[j]) <= width):
            used += char_width(text[j])
            j += 1
        squeezed = 0
        while j < n and text[j] in NO_LINE_START and squeezed < 2:
            j += 1
            squeezed += 1
        while j < n and j - i > 1 and not _can_break(text, j):
            j -= 1
        line = text[i:j]
        if j < n and ends_sentence(line) and width_of(line) <= width - 4:
            line = justify(line)
        lines.append(line)
        i = j
    return lines


def justify(line: str) -> str:
    """A justified line as the extractor gives it: a space between every two characters,
    except inside a run of Latin letters and digits (`全 市 实 现 服 务 业`)."""
    if " " in line:
        return line  # a word space of the text itself: leave the line as it is
    out = line[0]
    for a, b in pairwise(line):
        out += b if (_alnum(a) and _alnum(b)) else " " + b
    return out


def pad_digits(line: str, rng: random.Random, share: float) -> str:
    """The extractor's padding between Chinese and digits (`第 46个`, `约 30亩`)."""
    if share <= 0 or line.isascii():
        return line
    out = line[0]
    for a, b in pairwise(line):
        if ((is_han(a) and b.isdigit()) or (a.isdigit() and is_han(b))) and rng.random() < share:
            out += " "
        out += b
    return out


def spaced(name: str) -> str:
    """Two-character names are padded to three characters' width in print (`王 强`)."""
    return f"{name[0]} {name[1]}" if len(name) == 2 else name


def letter_spaced(word: str) -> str:
    return " ".join(word)


# ------------------------------------------------------------------------------ the page


class Sheet:
    """One page being laid out: its frames, glued (no blank line between them) or not, and
    the truth of what they hold."""

    def __init__(self, label: str, name: str, counts: Counter[str]) -> None:
        self.truth = PageTruth(label, name)
        self.pieces: list[tuple[str, bool]] = []
        self.counts = counts
        self.tail: str | None = None
        """The last line of the headline group the page ends with, if it ends with one (not
        with a byline box): a `本报讯` body may be glued under it with the extractor's frame
        mark, and a story with no dateline or byline under it must not run a word across."""

    def put(self, text: str, glued: bool = False) -> None:
        self.pieces.append((text, glued))

    def add(self, story: Story) -> int:
        self.truth.stories.append(story)
        self.counts[f"articles: {story.kind}"] += 1
        return len(self.truth.stories) - 1

    def text(self) -> str:
        out = []
        for i, (text, glued) in enumerate(self.pieces):
            if i:
                out.append("\n" if glued else "\n\n")
            out.append(text)
        return "".join(out) + "\n"


def lay_out(paragraphs: list[str], width: int, rng: random.Random, *, pad: float = 0.0,
            column_break: float = 0.0, counts: Counter[str] | None = None) -> str:
    """Paragraphs as the extractor gives a text frame: wrapped lines, a blank line between
    paragraphs (or none after a short last line), now and then a column break: a blank line
    inside a paragraph, after a line that does not end a sentence."""
    wrapped = [[pad_digits(ln, rng, pad) if pad else ln for ln in wrap(p, width)]
               for p in paragraphs]
    breaks: dict[int, int] = {}
    if column_break and rng.random() < column_break:
        # The fragment after the break holds a `。` (else it could read as a headline); the
        # lines before it are full ones, as a column's last lines are. A text's first line
        # alone is not cut off: without a `，` or an open quote it reads as a headline over
        # the text (`docs/parser-notes.md`).
        candidates = [
            (pi, li) for pi, lines in enumerate(wrapped) for li in range(len(lines) - 1)
            if not ends_sentence(lines[li]) and "。" in "".join(lines[li + 1:])
            and (pi or li)
            and all(width_of(ln) >= width - 2 for ln in lines[:li + 1])]
        if candidates:
            pi, li = rng.choice(candidates)
            breaks[pi] = li
            if counts is not None:
                counts["column breaks inside a paragraph"] += 1
    out: list[str] = []
    for pi, lines in enumerate(wrapped):
        if pi:
            short = width_of(wrapped[pi - 1][-1]) <= width - 6
            out.append("\n" if short and rng.random() < 0.4 else "\n\n")
        if pi in breaks:
            li = breaks[pi]
            out.append("\n".join(lines[:li + 1]) + "\n\n" + "\n".join(lines[li + 1:]))
        else:
            out.append("\n".join(lines))
    return "".join(out)


def first_line(text: str) -> str:
    return text.split("\n", 1)[0].strip()


def last_line(text: str) -> str:
    return text.rsplit("\n", 1)[-1].strip()


def with_full_stop(paragraph: str, rng: random.Random, m: Material) -> str:
    """A paragraph holds a `。`: a short one without would read as display type."""
    while "。" not in paragraph:
        paragraph += rng.choice(m.full_stops)
    return paragraph


def paragraphs_of(rng: random.Random, m: Material, target: int,
                  sentences: tuple[int, int] = (2, 5)) -> list[str]:
    """Paragraphs of 2–5 (`sentences`) real sentences until `target` characters."""
    out, total = [], 0
    while total < target:
        para = "".join(rng.choice(m.pools.sentences) for _ in range(rng.randint(*sentences)))
        para = with_full_stop(para, rng, m)
        out.append(para)
        total += len(para)
    return out


def headline_text(kicker: str | None, title: str, subtitle: str | None, *,
                  doubled: bool = False, glue_subtitle: WordBreaks | None = None) -> str:
    """A headline group: a chunk per part (a blank line between them). A subtitle is glued
    under its title (`glue_subtitle`) only when at least as wide and no word runs across the
    break: otherwise it reads as the title's wrap (`raw-pages.md`)."""
    head: list[str] = []
    if kicker:
        head += [kicker, ""]
    head.append(double(title) if doubled else title)
    if subtitle:
        glued = (glue_subtitle is not None and not doubled
                 and width_of(subtitle) >= width_of(title)
                 and not glue_subtitle.across(title, subtitle))
        head += [subtitle] if glued else ["", subtitle]
    return "\n".join(head)


def double(title: str) -> str:
    """Display type extracted twice, run by run: `全市“植绿季”` → `全市全市““植绿季植绿季””`."""
    runs = re.findall(r"[“”‘’《》（）]+|[^“”‘’《》（）]+", title)
    return "".join(run * 2 for run in runs)


def doubles_cleanly(title: str) -> bool:
    """Its doubled line undoubles to the title alone: every run of the title is a run of
    its own (no run is itself a repetition, `研究研究`, which would read as a shorter run)."""
    runs = re.findall(r"[“”‘’《》（）]+|[^“”‘’《》（）]+", title)
    return (len(title) >= 2 and "。" not in title and sum(map(is_han, title)) >= 2
            and not any(re.search(r"(.+)\1", run) for run in runs)
            and not any(a[-1] == b[0] for a, b in pairwise(runs)))


def glue(rng: random.Random, m: Material, share: float) -> WordBreaks | None:
    """Whether a subtitle may be glued under its title (see `headline_text`)."""
    return m.words if rng.random() < share else None


def reporters(rng: random.Random, m: Material) -> list[tuple[str, str]]:
    names = m.pools.names
    out = [("记者", rng.choice(names))]
    if rng.random() < 0.5:
        out.append(("通讯员", rng.choice(names)))
    if rng.random() < 0.1:
        out.insert(1, ("见习记者", rng.choice(names)))
    return out


def byline_box(bylines: list[tuple[str, str]], rng: random.Random) -> str:
    """`■记者 陈思远 通讯员 许 诺` on one line; names after the same role follow it."""
    parts: list[str] = []
    last_role = None
    for role, name in bylines:
        if role != last_role:
            word = role
            if word == "记者" and not parts and rng.random() < 0.1:
                word = letter_spaced(word)  # `■记 者 陈思远`
            parts.append(word)
            last_role = role
        parts.append(spaced(name))
    return "■" + " ".join(parts)


def bracketed(bylines: list[tuple[str, str]]) -> str:
    parts: list[str] = []
    last_role = None
    for role, name in bylines:
        if role != last_role:
            parts.append(role)
            last_role = role
        parts.append(spaced(name))
    return "（" + " ".join(parts) + "）"


# ------------------------------------------------------------------------------ news


def article_text(rng: random.Random, m: Material, kind: str
                 ) -> tuple[list[str], str | None, str, str | None]:
    """Paragraphs and headline parts (kicker, title, subtitle) of a news-page article."""
    pools = m.pools
    target = rng.randint(*TARGET_CHARS) if kind != "photo" else rng.randint(40, 90)
    if kind == "photo":
        paragraphs = [with_full_stop(rng.choice(pools.sentences), rng, m)]
    else:
        paragraphs = paragraphs_of(rng, m, target)
    title = rng.choice(pools.clauses)
    kicker = rng.choice(pools.clauses) + "，" if kind == "news" and rng.random() < 0.12 else None
    subtitle = rng.choice(pools.clauses) if kind == "news" and rng.random() < 0.3 else None
    return paragraphs, kicker, title, subtitle


@dataclass
class Jump:
    """A story of page one that goes on on page two: filled in by `news_page`."""

    from_label: str
    """The label of the page the story starts on (`A01`, `01`)."""
    to_printed: str
    """The other page's label as the jump line prints it (`A02`, `2`)."""
    from_printed: str
    index: int = -1
    story: Story | None = None
    rest: list[str] = field(default_factory=list)


def news_page(sheet: Sheet, rng: random.Random, m: Material, count: int, *,
              front: bool = False, jump: Jump | None = None, kinds: bool = True,
              photo_last: bool = False) -> None:
    """A page of news as page one prints it: 本报讯 stories with their ■ box before the body
    or glued under the headline, now and then a commentary signed with a pen name (first on
    the page), photo items (story, ■摄影 credit, title), video prompts. `front`: page one's
    extras too (a doubled display title, a story glued under the headline above it with the
    extractor's frame mark, the weather box); `jump`: one story goes on on another page;
    `kinds`: photo items and a commentary may be among the articles; `photo_last`: a photo
    item follows them."""
    width = rng.choice([26, 32, 40])
    doubled_done = False
    for i in range(count + photo_last):
        kind = "photo" if (kinds and rng.random() < 0.08) or i == count else "commentary" if (
            kinds and i == 0 and rng.random() < 0.2) else "news"
        paragraphs, kicker, title, subtitle = article_text(rng, m, kind)
        story = Story(kind, title, kicker=kicker, subtitle=subtitle, paragraphs=paragraphs)
        printed = list(paragraphs)
        if kind == "news":
            story.dateline = "本报讯"
            printed[0] = "本报讯 " + printed[0]
        doubled = (front and kind == "news" and not doubled_done and rng.random() < 0.25
                   and doubles_cleanly(title))
        jumps_here = (jump is not None and jump.story is None and kind == "news"
                      and len(paragraphs) >= 3 and rng.random() < 0.5)
        if jumps_here and jump is not None:
            keep = rng.randint(2, len(paragraphs) - 1)
            jump.rest = paragraphs[keep:]
            printed = printed[:keep]
        # a photo's story is one small frame under the picture: no column break in it
        body = lay_out(printed, width, rng, pad=0.15, counts=sheet.counts,
                       column_break=0.15 if kind != "photo" else 0.0)
        while kind == "photo" and sheet.tail and m.words.across(sheet.tail, first_line(body)):
            sheet.counts["re-drawn (jieba word across): photo story under a headline"] += 1
            paragraphs = printed = [with_full_stop(rng.choice(m.pools.sentences), rng, m)]
            story.paragraphs = paragraphs
            body = lay_out(printed, width, rng, pad=0.15)
        if jumps_here and jump is not None:
            mark = f"（下转第{jump.to_printed}版）"
            last = body.rsplit("\n", 1)[-1]
            inline = rng.random() < 0.5 and width_of(last + mark) <= width
            body += mark if inline else "\n" + mark
            story.continued_to = jump.to_printed
        headline = headline_text(kicker, title, subtitle, doubled=doubled,
                                 glue_subtitle=glue(rng, m, 0.5))
        if doubled:
            doubled_done = True
            sheet.counts["doubled display titles"] += 1
        if kind == "commentary":
            pen = rng.choice(m.pools.names)
            story.bylines = [("作者", pen)]
            sheet.put(f" ■{pen}")
            sheet.put(body)
            sheet.put(headline)
            sheet.tail = last_line(headline)
        elif kind == "photo":
            name = rng.choice(m.pools.names)
            story.bylines = [("摄影", name)]
            sheet.put(body)
            sheet.put(f"■摄影 {spaced(name)}")
            sheet.put(headline)
            sheet.tail = last_line(headline)
        else:
            story.bylines = reporters(rng, m)
            box = byline_box(story.bylines, rng)
            if rng.random() < 0.5:
                sheet.put(box)
                sheet.put(body)
                sheet.put(headline)
                sheet.tail = last_line(headline)
            elif front and sheet.tail is not None and rng.random() < 0.3:
                # glued under the headline above, with the extractor's frame mark
                sheet.put(" " + body, glued=True)
                sheet.put(headline + "\n" + box)
                sheet.tail = None
                sheet.counts["bodies glued under the headline above (frame mark)"] += 1
            else:
                sheet.put(body)
                sheet.put(headline + "\n" + box)
                sheet.tail = None
        index = sheet.add(story)
        if jumps_here and jump is not None:
            jump.index, jump.story = index, story
        if kind == "news" and rng.random() < 0.05:
            sheet.put("扫一扫 看视频")
            story.video = True
            sheet.tail = None
            sheet.counts["video prompts"] += 1
    if front and rng.random() < 0.9:
        weather_box(sheet, rng, width)


def weather_box(sheet: Sheet, rng: random.Random, width: int) -> None:
    sky = ("晴", "多云", "阴", "多云到晴", "阴有小雨", "晴转多云", "阴有中雨")
    wind = rng.choice(("偏东风", "偏北风", "东南风", "西北风"))
    low = rng.randint(-3, 18)
    high = low + rng.randint(4, 12)
    a = rng.randint(2, 4)
    text = (f"今天{rng.choice(sky)}，{wind}{a}到{a + 1}级。明天{rng.choice(sky)}。"
            f"今天白天最高气温{high}℃，明天早晨最低气温{low}℃。")
    lines = [pad_digits(ln, rng, 0.4) for ln in wrap(text, width)]
    sheet.put(" " + "\n".join(lines))
    sheet.truth.extras.append(("weather", text))
    sheet.counts["weather boxes"] += 1


# ------------------------------------------------------------------------------ 综合


def continuation(sheet: Sheet, rng: random.Random, jump: Jump) -> None:
    """`（上接第A01版）` and the rest of a story from page one, then its title repeated short."""
    story = jump.story
    assert story is not None and story.title
    width = rng.choice([32, 40])
    mark = f"（上接第{jump.from_printed}版）"
    printed = list(jump.rest)
    own_line = rng.random() < 0.3
    if not own_line:
        printed[0] = mark + printed[0]
    body = lay_out(printed, width, rng, pad=0.15, counts=sheet.counts)
    sheet.put(mark + "\n" + body if own_line else body)
    title = story.title
    short = len(title) > 5 and rng.random() < 0.8
    repeated = title[:rng.randint(4, len(title) - 1)] if short else title
    sheet.put(repeated)
    sheet.tail = last_line(sheet.pieces[-1][0])
    sheet.truth.continuations.append(Continuation(
        continued_from=jump.from_label, article=f"{jump.from_label}-{jump.index + 1:02d}",
        title=title, repeated_title=repeated))
    sheet.counts["jumps joined across pages"] += 1


def feature(sheet: Sheet, rng: random.Random, m: Material) -> None:
    """A feature: `核心提示：` lead, intertitles between paragraphs, a `——` subtitle, a box of
    three roles glued under the headline, a quote box (in the text or after the box)."""
    pools = m.pools
    width = rng.choice([32, 36, 40])
    lead = "".join(rng.choice(m.plain) for _ in range(rng.randint(2, 3)))
    lead = with_full_stop(lead, rng, m)
    paragraphs = paragraphs_of(rng, m, rng.randint(1800, 3000), (2, 4))
    while len(paragraphs) < 5:
        paragraphs += paragraphs_of(rng, m, 200, (2, 3))
    most = (width - 6) // 2
    titles = [c for c in m.han_clauses if 4 <= len(c) <= most]
    positions = sorted(rng.sample(range(1, len(paragraphs)), k=min(rng.randint(2, 3),
                                                                    len(paragraphs) - 1)))
    headings: list[tuple[int, str]] = []
    label = rng.choice(LEAD_LABELS)
    frames: list[str] = [lay_out([label + lead], width, rng)]
    quote_text = "“" + "".join(rng.choice(m.plain) for _ in range(rng.randint(1, 2))) + "”"
    speaker = rng.choice(pools.names) if rng.random() < 0.5 else (
        rng.choice(pools.names)[0] + rng.choice(SPEAKER_TITLES))
    role = None
    if rng.random() < 0.8:
        role = rng.choice(TOWNS)[:2] + rng.choice(SPEAKER_ROLES)
    box_lines = wrap(quote_text, rng.choice([20, 24])) + [speaker] + (
        [f"（{role}）"] if role else [])
    quote_box = "\n".join(box_lines)
    inside = rng.random() < 0.5
    free = [i for i in range(1, len(paragraphs)) if i not in positions]
    quote_at = rng.choice(free) if inside and free else None
    start = 0
    for at in [*positions, len(paragraphs)]:
        chunk = paragraphs[start:at]
        if quote_at is not None and start < quote_at < at:
            cut = quote_at - start
            frames += [lay_out(chunk[:cut], width, rng, pad=0.15),
                       quote_box, lay_out(chunk[cut:], width, rng, pad=0.15)]
        else:
            frames.append(lay_out(chunk, width, rng, pad=0.15, column_break=0.2,
                                  counts=sheet.counts))
        if at < len(paragraphs):
            frames.append("")  # the intertitle, chosen below
        start = at
    for i, frame in enumerate(frames):
        if frame:
            continue
        heading = rng.choice(titles)
        frames[i] = heading
        headings.append((positions[len(headings)], heading))
    title = rng.choice(pools.clauses)
    subtitle = "——" + rng.choice(pools.clauses) + rng.choice(FEATURE_ENDINGS)
    bylines = [("记者", rng.choice(pools.names))]
    if rng.random() < 0.7:
        bylines.append(("见习记者", rng.choice(pools.names)))
    bylines.append(("通讯员", rng.choice(pools.names)))
    printed = {"记者": "本报记者"}
    box = "\n".join(("■" if i == 0 else "") + printed.get(role_, role_) + " " + spaced(name)
                    for i, (role_, name) in enumerate(bylines))
    for frame in frames:
        sheet.put(frame)
    sheet.put(headline_text(None, title, subtitle, glue_subtitle=glue(rng, m, 0.7))
              + "\n" + box)
    if quote_at is None:
        sheet.put(quote_box)
    sheet.tail = None
    sheet.add(Story("news", title, subtitle=subtitle, bylines=bylines, paragraphs=paragraphs,
                    lead=lead, headings=headings,
                    quotes=[(quote_text, speaker + (f"（{role}）" if role else ""))]))
    sheet.counts["features (lead, intertitles, quote box)"] += 1
    sheet.counts["intertitles"] += len(headings)
    sheet.counts["quote boxes"] += 1


# ------------------------------------------------------------------------------ 城乡


def brief_column(sheet: Sheet, rng: random.Random, m: Material) -> None:
    """A 简讯 column: its head (display type, now and then extracted twice) and 3–6 briefs,
    each opening with a lead phrase (ended by a space, by `。` or none) and closed by a
    bracketed byline, inline or on a line of its own; the last may have none."""
    width = rng.choice([32, 36, 40])
    head = rng.choice(BRIEF_HEADS)
    sheet.put(double(head) if rng.random() < 0.2 and doubles_cleanly(head) else head)
    n = rng.randint(3, 6)
    sentences = tuple(s for s in m.plain if s.endswith("。") and len(s) <= 90)
    han_first = tuple(s for s in sentences if is_han(s[0]))
    """After a lead phrase ended by a space: a space before a digit is the extractor's."""
    phrases = m.han_clauses
    for k in range(n):
        style = rng.choice(("space", "stop", "none"))
        opening = {"none": m.comma_first, "space": han_first}.get(style, sentences)
        first = [rng.choice(opening)] + [rng.choice(sentences) for _ in range(rng.randint(0, 1))]
        paragraphs = ["".join(first)]
        if rng.random() < 0.2:
            paragraphs.append("".join(rng.choice(sentences) for _ in range(rng.randint(1, 2))))
        title = None
        printed = list(paragraphs)
        if style != "none":
            title = rng.choice(phrases)
            gap = " " if style == "space" else rng.choice(("。", "。 "))
            printed[0] = title + gap + printed[0]
        bylines: list[tuple[str, str]] = []
        if not (k == n - 1 and rng.random() < 0.15):
            bylines = [(rng.choice(("通讯员", "通讯员", "记者", "见习记者", "特约通讯员",
                                    "实习生")), rng.choice(m.pools.names))]
            if rng.random() < 0.3:
                bylines.append(("通讯员", rng.choice(m.pools.names)))
            mark = bracketed(bylines)
            text = lay_out(printed[:-1], width, rng)
            if rng.random() < 0.5 and width_of(mark) <= width - 4:
                last = lay_out([printed[-1] + mark], width, rng)
            else:
                last = lay_out([printed[-1]], width, rng) + "\n" + "\n".join(wrap(mark, width))
            frame = (text + "\n\n" + last) if text else last
        else:
            frame = lay_out(printed, width, rng)
        sheet.put(frame)
        sheet.add(Story("brief", title, bylines=bylines, paragraphs=paragraphs, column=head))
        sheet.counts[f"brief lead phrases: {style}"] += 1
    sheet.tail = None
    sheet.counts["brief columns"] += 1


# ------------------------------------------------------------------------------ 国内


def wire_page(sheet: Sheet, rng: random.Random, m: Material, day: date) -> None:
    """Wire copy: dispatches with their reporters in brackets, and a story that ends
    `据新华社` (alone on its line or closing the last paragraph)."""
    pools = m.pools
    width = rng.choice([40, 42, 44, 46])
    n = rng.randint(4, 6)
    sourced = rng.randrange(n) if rng.random() < 0.7 else -1
    yesterday = day - timedelta(days=1)
    for i in range(n):
        paragraphs = paragraphs_of(rng, m, rng.randint(400, 1300), (2, 4))
        title = rng.choice([c for c in pools.clauses if len(c) <= 12])
        kicker = rng.choice(pools.clauses) + "，" if rng.random() < 0.15 else None
        subtitle = rng.choice(pools.clauses) if rng.random() < 0.2 else None
        story = Story("news", title, kicker=kicker, subtitle=subtitle, paragraphs=paragraphs)
        printed = list(paragraphs)
        if i == sourced:
            story.source = "新华社"
            body = lay_out(printed, width, rng, pad=0.15, counts=sheet.counts)
            while sheet.tail and m.words.across(sheet.tail, first_line(body)):
                # with no dateline or byline, only the break tells it from the headline above
                sheet.counts["re-drawn (jieba word across): 据新华社 story under a headline"] += 1
                paragraphs = printed = paragraphs_of(rng, m, rng.randint(400, 1300), (2, 4))
                story.paragraphs = paragraphs
                body = lay_out(printed, width, rng, pad=0.15)
            mark = "（据新华社电）"
            last = body.rsplit("\n", 1)[-1]
            if rng.random() < 0.5 and width_of(last + mark) <= width:
                body += mark
            else:
                body += "\n据新华社"
            sheet.counts["wire stories ending 据新华社"] += 1
        else:
            agency = "新华社" if rng.random() < 0.9 else "中新社"
            dispatch = f"{agency}{rng.choice(CITIES)}{yesterday.month}月{yesterday.day}日电"
            story.dateline, story.source = dispatch, agency
            if rng.random() < 0.75:
                story.bylines = [("记者", rng.choice(pools.names))
                                 for _ in range(rng.randint(1, 2))]
                dispatch += "（记者 " + " ".join(n for _, n in story.bylines) + "）"
            printed[0] = dispatch + printed[0]
            body = lay_out(printed, width, rng, column_break=0.1, counts=sheet.counts)
            sheet.counts["wire datelines"] += 1
        sheet.put(body)
        sheet.put(headline_text(kicker, title, subtitle,
                                glue_subtitle=glue(rng, m, 0.5)))
        sheet.tail = last_line(sheet.pieces[-1][0])
        sheet.add(story)


# ------------------------------------------------------------------------------ 民生·服务


def service_page(sheet: Sheet, rng: random.Random, m: Material, day: date) -> None:
    """A story under an 编者按, a 本报评论员 commentary, maybe more news, then notices and an
    ad. Every article here ends with its byline box glued under the headline: a notice's
    head right under a headline would read as part of it."""
    pools = m.pools
    width = rng.choice([32, 36, 40])
    note = with_full_stop("".join(rng.choice(m.plain) for _ in range(rng.randint(2, 3))), rng, m)
    paragraphs, kicker, title, subtitle = article_text(rng, m, "news")
    sheet.put(lay_out([rng.choice(NOTE_LABELS) + note], width, rng))
    sheet.put(lay_out(["本报讯 " + paragraphs[0], *paragraphs[1:]], width, rng, pad=0.15,
                      column_break=0.15, counts=sheet.counts))
    bylines = reporters(rng, m)
    sheet.put(headline_text(kicker, title, subtitle, glue_subtitle=glue(rng, m, 0.5))
              + "\n" + byline_box(bylines, rng))
    sheet.add(Story("news", title, kicker=kicker, subtitle=subtitle, dateline="本报讯",
                    bylines=bylines, paragraphs=paragraphs, editor_note=note))
    sheet.counts["editor's notes"] += 1

    paragraphs = paragraphs_of(rng, m, rng.randint(600, 1200), (2, 4))
    short = [c for c in m.han_clauses if len(c) <= 7]
    title = (rng.choice(short) + " " + rng.choice(short) if rng.random() < 0.5
             else rng.choice(pools.clauses))
    sheet.put(lay_out(paragraphs, width, rng, pad=0.15, column_break=0.15, counts=sheet.counts))
    sheet.put(title + "\n■本报评论员")
    sheet.add(Story("commentary", title, bylines=[("作者", "本报评论员")], paragraphs=paragraphs))
    sheet.counts["本报评论员 commentaries"] += 1

    if rng.random() < 0.5:
        paragraphs, kicker, title, subtitle = article_text(rng, m, "news")
        bylines = reporters(rng, m)
        sheet.put(lay_out(["本报讯 " + paragraphs[0], *paragraphs[1:]], width, rng, pad=0.15))
        sheet.put(headline_text(kicker, title, subtitle) + "\n" + byline_box(bylines, rng))
        sheet.add(Story("news", title, kicker=kicker, subtitle=subtitle, dateline="本报讯",
                        bylines=bylines, paragraphs=paragraphs))

    kinds = rng.sample(("lost", "hiring", "public"), k=rng.randint(1, 3))
    for kind in kinds:
        notice(sheet, rng, m, kind, day)
    advert(sheet, rng, day)
    sheet.tail = None


def notice(sheet: Sheet, rng: random.Random, m: Material, kind: str, day: date) -> None:
    """A notice: its head alone on a line, then its text in frames (a contact line, a
    signature with the issuer and the date)."""
    width = rng.choice([28, 32, 34])
    company = "平湖市" + rng.choice(TOWNS) + rng.choice(COMPANIES)
    frames: list[str]
    if kind == "lost":
        head = "遗失声明"
        code = "92330482" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")
                                    for _ in range(10))
        frames = [f"{company}遗失{rng.choice(DOCUMENTS)}一份，统一社会信用代码：{code}，"
                  "特此声明作废。"]
    elif kind == "hiring":
        head = "招聘启事"
        jobs = rng.sample(JOBS, k=rng.randint(2, 3))
        frames = [f"{company}因生产需要，现招聘"
                  + "、".join(f"{job}{rng.randint(1, 12)}名" for job in jobs)
                  + "。要求身体健康，有相关工作经验者优先。",
                  f"联系人：{rng.choice(m.pools.names)[0]}{rng.choice(('女士', '先生'))}，"
                  f"联系电话：0573-85{rng.randint(100000, 999999)}。"]
    else:
        head = "公告"
        start = day + timedelta(days=rng.randint(2, 9))
        end = start + timedelta(days=rng.randint(10, 40))
        town = rng.choice(TOWNS)
        frames = [f"因{town}道路改造工程施工需要，自{start.year}年{start.month}月{start.day}日起"
                  f"至{end.month}月{end.day}日，相关路段实行封闭施工，过往车辆请绕行。"
                  "由此带来的不便，敬请谅解。",
                  "特此公告。",
                  f"平湖市{town}人民政府\n{day.year}年{day.month}月{day.day}日"]
    printed_head = letter_spaced(head) if rng.random() < 0.3 else head
    sheet.put(printed_head)
    for frame in frames:
        sheet.put(frame if "\n" in frame else "\n".join(wrap(frame, width)))
    sheet.truth.extras.append(("notice", "\n".join([head, *(f.replace("\n", "") for f in frames)])))
    sheet.counts[f"notices: {head}"] += 1


def advert(sheet: Sheet, rng: random.Random, day: date) -> None:
    """An ad: the advertiser, a slogan, an offer and a hotline, each a display frame."""
    start = day + timedelta(days=rng.randint(1, 7))
    hotline = rng.choice((
        f"服务热线：400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        f"订购热线：0573-85{rng.randint(100000, 999999)}",
        f"咨询电话：13{rng.randint(100000000, 999999999)}"))
    frames = [rng.choice(ADVERTISERS), rng.choice(SLOGANS),
              f"{start.month}月{start.day}日起 {rng.choice(PROMOS)}", hotline]
    for frame in frames:
        sheet.put(frame)
    sheet.truth.extras.append(("ad", "\n".join(frames)))
    sheet.counts["ads"] += 1


# ------------------------------------------------------------------------------ 副刊


def literary_page(sheet: Sheet, rng: random.Random, m: Material) -> None:
    """Under the page's column head: an essay (title after the text, `□作者` glued under
    it) first, then poems (title first, `■文/作者` glued under it; stanzas of lines the
    poet ended) and maybe another essay, and last a photo work (`文/图 名 字`). A title
    printed first must follow a signature: after a display line (the column head, a photo
    work's title) it would read as a second line of that headline."""
    width = rng.choice([34, 36, 38, 40])
    head = rng.choice(FUKAN_HEADS) if rng.random() < 0.8 else None
    if head:
        sheet.put(head)
    pieces = ["poem"] + (["essay"] if rng.random() < 0.5 else []) + (
        ["poem"] if rng.random() < 0.3 else [])
    rng.shuffle(pieces)
    pieces = ["essay", *pieces] + (["photo"] if rng.random() < 0.7 else [])
    names = m.pools.names
    previous = None
    for piece in pieces:
        title = rng.choice([c for c in m.han_clauses if len(c) <= 10])
        author = rng.choice(names)
        if piece == "essay":
            paragraphs = paragraphs_of(rng, m, rng.randint(1500, 3000), (2, 4))
            text = lay_out(paragraphs, width, rng, column_break=0.15, counts=sheet.counts)
            while head and previous is None and m.words.across(head, first_line(text)):
                sheet.counts["re-drawn (jieba word across): essay under the column head"] += 1
                paragraphs = paragraphs_of(rng, m, rng.randint(1500, 3000), (2, 4))
                text = lay_out(paragraphs, width, rng)
            sheet.put(text)
            sheet.put(title + "\n□" + spaced(author))
            sheet.add(Story("literary", title, bylines=[("作者", author)],
                            paragraphs=paragraphs, column=head))
        elif piece == "poem":
            most = (width - 8) // 2
            lines = [c for c in m.han_clauses if len(c) <= most]
            stanzas = [verse_lines(rng, m, lines, rng.randint(2, 5), sheet.counts)
                       for _ in range(rng.randint(2, 4))]
            signature = rng.choice((f"■文/{spaced(author)}", f"■文/{spaced(author)}",
                                    f"□{spaced(author)}"))
            if previous == "essay" and rng.random() < 0.3:  # title last, as essays have it
                for stanza in stanzas:
                    sheet.put(stanza)
                sheet.put(title + "\n" + signature)
                sheet.counts["poems, title last"] += 1
            else:
                sheet.put(title + "\n" + signature)
                for stanza in stanzas:
                    sheet.put(stanza)
                sheet.counts["poems, title first"] += 1
            sheet.add(Story("literary", title, bylines=[("作者", author)], paragraphs=stanzas,
                            column=head, verse=True))
        else:
            text = with_full_stop(rng.choice([s for s in m.plain if len(s) <= 120]), rng, m)
            sheet.put(lay_out([text], width, rng))
            sheet.put(f"文/图 {spaced(author)}")
            sheet.put(title)
            sheet.add(Story("photo", title, bylines=[("文", author), ("图", author)],
                            paragraphs=[text], column=head))
            sheet.counts["photo works (文/图)"] += 1
        previous = piece
    sheet.tail = title if pieces[-1] == "photo" else None


def verse_lines(rng: random.Random, m: Material, pool: list[str], n: int,
                counts: Counter[str]) -> str:
    """A stanza: lines the poet ended, no word running across a break (the parser reads a
    line break inside a word as a prose column's wrap)."""
    lines = [rng.choice(pool)]
    while len(lines) < n:
        line = rng.choice(pool)
        if m.words.across(lines[-1], line):
            counts["re-drawn (jieba word across): poem line"] += 1
            continue
        lines.append(line)
    return "\n".join(lines)


# ------------------------------------------------------------------------------ an edition


PAGES: tuple[tuple[str, str], ...] = (
    ("要闻", "front"), ("综合", "general"), ("城乡", "towns"), ("经济", "news"),
    ("国内", "wire"), ("社会", "news"), ("民生·服务", "service"), ("副刊", "literary"))
PAGE_NAMES = [name for name, _ in PAGES]


def edition_pages(rng: random.Random, m: Material, day: date, numbered: bool,
                  counts: Counter[str]) -> list[tuple[PageTruth, str]]:
    """The eight pages of one edition: (truth, raw text) each."""
    labels = [f"{p:02d}" if numbered else f"A{p:02d}" for p in range(1, len(PAGES) + 1)]
    jump = Jump(labels[0], to_printed="2" if numbered else labels[1],
                from_printed="1" if numbered else labels[0]) if rng.random() < 0.85 else None
    out = []
    for label, (name, plan) in zip(labels, PAGES, strict=True):
        sheet = Sheet(label, name, counts)
        if plan == "front":
            news_page(sheet, rng, m, rng.randint(*ARTICLES_PER_PAGE), front=True, jump=jump)
            if jump is not None and jump.story is not None:
                jump.story.pages = (labels[0], labels[1])
        elif plan == "general":
            if jump is not None and jump.story is not None:
                continuation(sheet, rng, jump)
            feature(sheet, rng, m)
            news_page(sheet, rng, m, rng.randint(1, 3), kinds=False)
        elif plan == "towns":
            news_page(sheet, rng, m, rng.randint(3, 5), kinds=False,
                      photo_last=rng.random() < 0.6)
            brief_column(sheet, rng, m)
        elif plan == "news":
            news_page(sheet, rng, m, rng.randint(*ARTICLES_PER_PAGE))
        elif plan == "wire":
            wire_page(sheet, rng, m, day)
        elif plan == "service":
            service_page(sheet, rng, m, day)
        else:
            literary_page(sheet, rng, m)
        out.append((sheet.truth, sheet.text()))
    return out


def generate_with_truth(out: Path, editions: int, seed: int = 2024,
                        start: date = date(2024, 1, 1), numbered: float = NUMBERED,
                        counts: Counter[str] | None = None) -> list[EditionTruth]:
    """Write the site and return what the generator put on every page, edition by edition.

    `numbered`: the share of the archive, its oldest editions, whose pages are `01.txt` …
    (the rest are `A01.txt` …). `counts` (if given) is filled with how many of each
    structure were written."""
    rng = random.Random(seed)
    m = material(load_pools())
    counts = counts if counts is not None else Counter()
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "raw").mkdir(parents=True)
    shutil.copy(REPO / "sitegen.toml", out / "sitegen.toml")
    numbered_editions = round(editions * numbered)
    truth = []
    for n in range(editions):
        day = start + timedelta(days=n)
        folder = out / "content" / "raw" / day.isoformat()
        folder.mkdir()
        meta = [f"number = {10000 + n}"]
        pages = edition_pages(rng, m, day, n < numbered_editions, counts)
        for page, text in pages:
            (folder / f"{page.label}.txt").write_text(text, encoding="utf-8")
            meta.append(f'{page.label} = "{page.name}"')
        (folder / "edition.toml").write_text("\n".join(meta) + "\n", encoding="utf-8")
        truth.append(EditionTruth(day, 10000 + n, [page for page, _ in pages]))
        counts["editions, pages numbered 01" if n < numbered_editions
               else "editions, pages labelled A01"] += 1
        counts["pages"] += len(pages)
    return truth


def generate(out: Path, editions: int, seed: int = 2024, start: date = date(2024, 1, 1),
             numbered: float = NUMBERED) -> int:
    """Write the site; returns the number of raw pages written."""
    truth = generate_with_truth(out, editions, seed, start, numbered)
    return sum(len(e.pages) for e in truth)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--editions", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--numbered", type=float, default=NUMBERED,
                        help="share of the archive (its oldest editions) whose pages are "
                        f"01.txt … instead of A01.txt … (default {NUMBERED})")
    parser.add_argument("--stats", action="store_true",
                        help="print how many of each structure were written")
    args = parser.parse_args(argv)
    counts: Counter[str] = Counter()
    truth = generate_with_truth(args.out, args.editions, args.seed, numbered=args.numbered,
                                counts=counts)
    pages = sum(len(e.pages) for e in truth)
    articles = sum(len(p.stories) for e in truth for p in e.pages)
    print(f"wrote {args.editions} editions, {pages} raw pages, {articles} articles "
          f"to {args.out}")
    if args.stats:
        for key, value in sorted(counts.items()):
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
