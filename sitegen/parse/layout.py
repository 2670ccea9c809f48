"""Blocks → layout items: body, headline group, byline box, video prompt, weather box.

Articles run *body, then headline group*. Bylines, video prompts and datelines are sure
anchors; between them lies a *stretch* of text blocks that holds one article's body and
(at its end) that article's headline group. The headline group is the longest run of
headline-like blocks (few lines, no `。` anywhere, no line ending a sentence; doubled display
lines always) at the end of the stretch.

Inside a stretch a headline-like block can also be a body fragment cut by a column break
(`近年来，我市高度重视集成` / blank / `电路产业的发展…`), so a headline group is taken from
the *middle* of a stretch only on strong evidence: the text before it ends a sentence, the
text after it does not continue a word or sentence across it, and it has doubled display
type, or each of its lines is a couplet (`实干争春早 奋战开门红`) or clearly off the body's
column width (a body fragment cut off by a column break is made of full column lines; they
vary by up to three characters with punctuation squeezing, hence the wide margins).
That is what separates two articles when the second has neither dateline nor byline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sitegen.cjk import CLOSERS, ends_sentence, join_unwrapped, normalize_text_spacing
from sitegen.parse.body import column_width, line_width
from sitegen.parse.bylines import parse_byline
from sitegen.parse.headlines import Cutter, break_cuts_word, is_couplet
from sitegen.parse.lines import Block, BlockKind, Line

MAX_HEADLINE_LINES = 4
"""Lines in one chunk of a headline group; a longer block is body text."""
NARROWER_THAN_COLUMN = 6
WIDER_THAN_COLUMN = 4
"""A display line is 'off the column' when this much narrower/wider than the body column
(3 / 2 CJK characters): body lines cut by a column break are full lines, within squeezing."""
WEATHER_MAX_CHARS = 200
PHOTO_ROLE = "摄影"
PHOTO_MAX_CHARS = 200
"""A photo item's text is a caption story: one short paragraph or two."""
_WEATHER_MEASURE = re.compile(r"气温|℃|降水|风力")
_WEATHER_SKY = re.compile(r"晴|阴|多云|[小中大暴阵]雨|雨夹雪|[小中大]雪|[东南西北]风|\d级")
CONTINUES = frozenset("，。、；：？！”’）》】」』…—,.;:?!)")
"""A block starting with one of these continues the sentence of the block above."""


class ItemKind(Enum):
    BODY = "body"
    HEADLINE = "headline"
    BYLINE = "byline"
    VIDEO = "video"
    WEATHER = "weather"


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    blocks: tuple[Block, ...]

    @property
    def first(self) -> int:
        return self.blocks[0].first

    @property
    def last(self) -> int:
        return self.blocks[-1].last

    @property
    def glued_above(self) -> bool:
        """No blank line between this item and the one above it."""
        return not self.blocks[0].blank_before

    @property
    def lines(self) -> list[Line]:
        return [ln for b in self.blocks for ln in b.lines]

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)


def is_headline_like(block: Block) -> bool:
    """Could this block be a chunk of a headline group? (Position decides whether it is.)"""
    if block.kind is BlockKind.DOUBLED:
        return True
    if block.kind is not BlockKind.TEXT or block.has_dateline:
        return False
    if len(block.lines) > MAX_HEADLINE_LINES:
        return False
    return all("。" not in t and not _ends_statement(t) for t in block.texts)


def _ends_statement(text: str) -> bool:
    """Ends like body prose (`；`, `…`, after closing quotes); `！` and `？` end headlines too."""
    core = text.rstrip("".join(CLOSERS))
    return core[-1:] in ("；", "…")


def _off_column(line: Line, column: int) -> bool:
    width = line_width(line)
    return width <= column - NARROWER_THAN_COLUMN or width >= column + WIDER_THAN_COLUMN


def _strong_headline_run(before: Sequence[Block], run: Sequence[Block], after: Block,
                         seg: Cutter, photo_story_follows: bool = False) -> bool:
    """Is `run`, inside a stretch, a headline group rather than body fragments?

    `photo_story_follows`: the run is followed by nothing but a short text and then a
    `■摄影` credit, the layout of a photo item (story, credit, title). Then the sentence
    tests are enough and the run need not stand off the column: see `split_stretch`."""
    if before and not ends_sentence(before[-1].lines[-1].text):
        return False
    following = after.lines[0].text
    if not following or following[0] in CONTINUES:
        return False
    last = run[-1]
    if last.kind is BlockKind.TEXT and break_cuts_word(last.lines[-1].text, following, seg):
        return False
    if photo_story_follows or any(b.kind is BlockKind.DOUBLED for b in run):
        return True
    reference = [ln for b in (before if before else [after]) for ln in b.lines]
    column = column_width(reference)
    return all(_off_column(ln, column) or is_couplet(ln.text) for b in run for ln in b.lines)


def _chars(blocks: Sequence[Block]) -> int:
    return sum(len(ln.text) for b in blocks for ln in b.lines)


def split_stretch(blocks: Sequence[Block], seg: Cutter, photo_credit_next: bool = False
                  ) -> list[Item]:
    """One stretch of text blocks → body and headline items, in text order.

    `photo_credit_next`: the anchor after the stretch is a `■摄影` credit. A photo item
    (short story, credit, title) often sits right under another article's headline with
    neither dateline nor byline above it, so when the stretch ends in a short text
    (`PHOTO_MAX_CHARS`) and the last headline-like run before it passes the sentence tests,
    that run is the headline above and the short text is the photo's story, however wide
    the headline lines are. (Otherwise the story and the headline above merged into the
    body of the article before, which took the photo's title: 4% of synthetic pages.)"""
    like = [is_headline_like(b) for b in blocks]
    cut = len(blocks)
    while cut > 0 and like[cut - 1]:
        cut -= 1
    items: list[Item] = []
    start = j = 0
    while j < cut:
        if not like[j]:
            j += 1
            continue
        k = j
        while like[k + 1]:  # blocks[cut - 1] is not headline-like, so this stops before it
            k += 1
        photo_story = (photo_credit_next and cut == len(blocks) and not any(like[k + 1:cut])
                       and _chars(blocks[k + 1:cut]) <= PHOTO_MAX_CHARS)
        if _strong_headline_run(blocks[start:j], blocks[j:k + 1], blocks[k + 1], seg,
                                photo_story):
            if j > start:
                items.append(Item(ItemKind.BODY, tuple(blocks[start:j])))
            items.append(Item(ItemKind.HEADLINE, tuple(blocks[j:k + 1])))
            start = k + 1
        j = k + 1
    if cut > start:
        items.append(Item(ItemKind.BODY, tuple(blocks[start:cut])))
    if cut < len(blocks):
        items.append(Item(ItemKind.HEADLINE, tuple(blocks[cut:])))
    return items


def is_weather(text: str) -> bool:
    """The weather box: a short text with a measurement and a sky/wind word."""
    return (len(text) <= WEATHER_MAX_CHARS and bool(_WEATHER_MEASURE.search(text))
            and bool(_WEATHER_SKY.search(text)))


def is_weather_box(block: Block, stretch: Sequence[Block]) -> bool:
    """A weather text block that starts a stretch or follows display lines. One that follows
    body text is a paragraph of a (weather) story and stays in the body."""
    if block.kind is not BlockKind.TEXT or block.has_dateline:
        return False
    if stretch and not is_headline_like(stretch[-1]):
        return False
    return is_weather(weather_text(block))


def weather_text(block: Block) -> str:
    return normalize_text_spacing(join_unwrapped(block.texts))


def is_photo_credit(block: Block) -> bool:
    """A byline box that credits only photographers (`■摄影 王 强`)."""
    bylines = parse_byline(block.texts).bylines
    return bool(bylines) and all(b.role == PHOTO_ROLE for b in bylines)


def layout(blocks: Sequence[Block], seg: Cutter) -> list[Item]:
    """All blocks of a page → items, cutting stretches at anchors (bylines, video prompts)
    and before every dateline (`本报讯` always starts a body)."""
    items: list[Item] = []
    stretch: list[Block] = []

    def flush(photo_credit_next: bool = False) -> None:
        if stretch:
            items.extend(split_stretch(stretch, seg, photo_credit_next))
            stretch.clear()

    for block in blocks:
        if is_weather_box(block, stretch):
            flush()
            items.append(Item(ItemKind.WEATHER, (block,)))
        elif block.kind is BlockKind.BYLINE:
            flush(is_photo_credit(block))
            items.append(Item(ItemKind.BYLINE, (block,)))
        elif block.kind is BlockKind.VIDEO:
            flush()
            items.append(Item(ItemKind.VIDEO, (block,)))
        else:
            if block.kind is BlockKind.TEXT and block.has_dateline:
                flush()
            stretch.append(block)
    flush()
    return items
