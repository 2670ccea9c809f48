"""Blocks → layout items: bodies, headline groups, bylines and everything else on a page.

Articles run *body, then headline group*. Bylines, video prompts, weather boxes and the
lines that can only open a story (datelines, `（上接…）`, `核心提示：`, `编者按：`) are sure
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

A single short line standing alone between two paragraphs of one story is its
*intertitle* (小标题), not a headline: see `is_intertitle`. Beyond that, a stretch may hold
page furniture (`furniture.py`: notices, ads, quote boxes), a 简讯 column or a poem
(`sections.py`), an editor's note; `layout` cuts those out before reading the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from itertools import pairwise

from sitegen.ingest.parse.body import column_width, line_width
from sitegen.ingest.parse.bylines import PHOTO_ROLE, parse_byline, wrapped_bracket_at_end
from sitegen.ingest.parse.furniture import (
    has_contact,
    is_notice_head_block,
    is_notice_signature,
    is_weather,
    quote_box,
    weather_text,
)
from sitegen.ingest.parse.headlines import KICKER_ENDS, Cutter, break_cuts_word, is_couplet
from sitegen.ingest.parse.lines import Block, BlockKind, Line
from sitegen.ingest.parse.marks import is_jump_line, jump_to, labelled, source_line, source_suffix
from sitegen.ingest.parse.sections import (
    JUSTIFIED_SPREAD,
    NARROWER_THAN_COLUMN,
    SegmentKind,
    as_stanzas,
    is_stanza,
    leading_stanzas,
    split_briefs,
)
from sitegen.text.cjk import CLOSERS, ends_sentence, open_brackets

MAX_HEADLINE_LINES = 4
"""Lines in one chunk of a headline group; a longer block is body text."""
WIDER_THAN_COLUMN = 4
"""A display line is also 'off the column' when this much wider (2 CJK characters)."""
PHOTO_MAX_CHARS = 200
"""A photo item's text is a caption story: one short paragraph or two."""
PICTURE_ROLES = frozenset({PHOTO_ROLE, "图"})
CONTINUES = frozenset("，。、；：？！”’）》】」』…—,.;:?!)")
SENTENCE_JOINTS = frozenset("，；：,;:")
"""Marks inside a sentence: an intertitle is a phrase and holds none."""
PROSE_MARKS = SENTENCE_JOINTS | {"、"}
"""Marks of running prose (an enumeration's `、` too): a column-break fragment has some."""
"""A block starting with one of these continues the sentence of the block above."""


class ItemKind(Enum):
    BODY = "body"
    HEADLINE = "headline"
    BYLINE = "byline"
    VIDEO = "video"
    WEATHER = "weather"
    NOTE = "note"
    """An editor's note (编者按): it belongs to the story that follows it."""
    QUOTE = "quote"
    NOTICE = "notice"
    AD = "ad"
    COLUMN = "column"
    """The head of a 简讯 column; the BRIEF items after it are its items."""
    BRIEF = "brief"
    TITLE = "title"
    """A headline printed above its piece, with the signature glued under it (a 副刊 piece
    set title first): it belongs to the body after it, never to the one before."""


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
    """Could this block be a chunk of a headline group? (Position decides whether it is.)
    A jump line or a `据新华社` line is body furniture, never display type."""
    if block.kind is BlockKind.DOUBLED:
        return True
    if block.kind is not BlockKind.TEXT or block.opens_story:
        return False
    if len(block.lines) > MAX_HEADLINE_LINES:
        return False
    texts = block.texts
    if len(texts) == 1 and (is_jump_line(texts[0]) or source_line(texts[0])):
        return False
    return all("。" not in t and not _ends_statement(t) for t in texts)


def _ends_statement(text: str) -> bool:
    """Ends like body prose (`；`, `…`, after closing quotes); `！` and `？` end headlines too."""
    core = text.rstrip("".join(CLOSERS))
    return core[-1:] in ("；", "…")


def ends_story(block: Block) -> bool:
    """The block closes a story: a jump line `（下转…）`, `据新华社` (alone or closing the
    last line), a bracketed byline."""
    last = block.lines[-1].text
    return (jump_to(last) is not None or source_line(last) is not None
            or source_suffix(last) is not None or wrapped_bracket_at_end(block.texts) is not None)


def _off_column(line: Line, column: int) -> bool:
    width = line_width(line)
    return width <= column - NARROWER_THAN_COLUMN or width >= column + WIDER_THAN_COLUMN


def _clean_break(before: Sequence[Block], run: Sequence[Block], after: Block,
                 seg: Cutter | None) -> bool:
    """The sentence tests: the text before the run ends a sentence (or a story: a jump line
    `（下转…）` closes it, not a `。`), the text after it does not continue one, and (with a
    segmenter) no word runs across the run (`集成|电路`)."""
    if before and not (ends_sentence(before[-1].lines[-1].text) or ends_story(before[-1])):
        return False
    following = after.lines[0].text
    if not following or following[0] in CONTINUES:
        return False
    last = run[-1]
    return seg is None or not (last.kind is BlockKind.TEXT
                               and break_cuts_word(last.lines[-1].text, following, seg))


def _strong_headline_run(before: Sequence[Block], run: Sequence[Block], after: Block,
                         seg: Cutter, photo_story_follows: bool = False) -> bool:
    """Is `run`, inside a stretch, a headline group rather than body fragments?

    `photo_story_follows`: the run is followed by nothing but a short text and then a
    `■摄影` credit, the layout of a photo item (story, credit, title). Then the sentence
    tests are enough and the run need not stand off the column: see `split_stretch`."""
    if not _clean_break(before, run, after, seg):
        return False
    if photo_story_follows or any(b.kind is BlockKind.DOUBLED for b in run):
        return True
    reference = [ln for b in (before if before else [after]) for ln in b.lines]
    column = column_width(reference)
    return all(_off_column(ln, column) or is_couplet(ln.text) for b in run for ln in b.lines)


def is_intertitle(before: Sequence[Block], run: Sequence[Block], after: Sequence[Block]
                  ) -> bool:
    """A 小标题: one short line alone between two paragraphs of the same story.

    It has a blank line on both sides, the text before it ends a sentence (and not the
    story: no jump line, `据新华社` or bracketed byline), the text after it starts a new one,
    it is clearly narrower than the column, as display lines are, and it is a phrase (no
    `，；：`: `当天，还举办了“回归田园 自在生活”` is a clause a column break cut
    off). What tells it from
    the headline of the text above is the text below: a story in this paper always carries
    a mark of its own (a dateline, a byline, a lead, a jump line — all anchors that end a
    stretch — or a closing `据新华社`/bracketed byline), so text below with no such mark is
    the same story going on, and the line is its intertitle."""
    if len(run) != 1 or not before or not after:
        return False
    block = run[0]
    if block.kind is not BlockKind.TEXT or len(block.lines) != 1:
        return False
    if SENTENCE_JOINTS.intersection(block.lines[0].text):
        return False  # a clause of running text a column break cut off, not a phrase
    if not (block.blank_before and after[0].blank_before) or ends_story(before[-1]):
        return False
    column = column_width([ln for b in before for ln in b.lines])
    if line_width(block.lines[0]) > column - NARROWER_THAN_COLUMN:
        return False
    # No word test across it: a column-break fragment is a full column line, and this one
    # is well short of the column; jieba would find `兴平` in `…经济兴` / `平湖…`.
    if not _clean_break(before, run, after[0], None):
        return False
    following = []
    for b in after:
        if is_display(b, column):
            break
        following.append(b)
    return bool(following) and not any(ends_story(b) for b in following)


def is_display(block: Block, column: int) -> bool:
    """Display type for sure: doubled, or headline-like with every line a couplet or off
    the column. (A headline-like fragment of full column lines is body text a column break
    cut off, not display type.)"""
    if block.kind is BlockKind.DOUBLED:
        return True
    return is_headline_like(block) and all(
        _off_column(ln, column) or is_couplet(ln.text) for ln in block.lines)


def is_fragment(block: Block, below: Sequence[Block]) -> bool:
    """A headline-like block that is in fact the first lines of the text below it, cut off
    by a column break (`跨境电商作为…形式，` / blank / `其能够…`): its lines are full lines
    of that text's column (within the typesetter's squeezing), as a display line hardly
    ever is, it runs over clauses (`，、；：`) or leaves a quote open (`“我们独山港镇…是`), and it
    does not end a sentence."""
    if block.kind is not BlockKind.TEXT or ends_sentence(block.lines[-1].text):
        return False
    text = "".join(block.texts)
    if not PROSE_MARKS.intersection(text) and open_brackets(text) <= 0:
        return False  # neither a clause nor an open quote: a headline filling a narrow column
    text_below = [ln for b in below for ln in b.lines]
    if not text_below:
        return False
    column = column_width([*block.lines, *text_below])
    return all(abs(line_width(ln) - column) <= JUSTIFIED_SPREAD for ln in block.lines)


def _marked_story_below(blocks: Sequence[Block]) -> bool:
    """The text under a display run, up to the next one, carries a story's mark of its own
    (a closing `据新华社`, jump line or bracketed byline; its opening marks are anchors that
    end a stretch). Without one it is the same story going on (see `is_intertitle`), and
    the run above it cannot be its headline."""
    text: list[Block] = []
    for block in blocks:
        if is_headline_like(block):
            break
        text.append(block)
    return any(ends_story(b) for b in text)


def _chars(blocks: Sequence[Block]) -> int:
    return sum(len(ln.text) for b in blocks for ln in b.lines)


def _as_intertitle(block: Block) -> Block:
    return Block(BlockKind.INTERTITLE, block.lines, block.blank_before)


def split_stretch(blocks: Sequence[Block], seg: Cutter, photo_credit_next: bool = False
                  ) -> list[Item]:
    """One stretch of text blocks → body and headline items, in text order.

    `photo_credit_next`: the anchor after the stretch is a `■摄影` credit. A photo item
    (short story, credit, title) often sits right under another article's headline with
    neither dateline nor byline above it, so when the stretch ends in a short text
    (`PHOTO_MAX_CHARS`) and the last headline-like run before it passes the sentence tests,
    that run is the headline above and the short text is the photo's story, however wide
    the headline lines are. (Otherwise the story and the headline above merged into the
    body of the article before, which took the photo's title: 4% of synthetic pages.)
    A lone short line between paragraphs is kept in the body as an intertitle."""
    return _Stretch(list(blocks), seg, photo_credit_next).items()


class _Stretch:
    """The reading of one stretch: its headline-like runs found left to right, each
    decided as an intertitle, a headline (which ends the body before it) or body text."""

    def __init__(self, blocks: list[Block], seg: Cutter, photo_credit_next: bool) -> None:
        self.blocks = blocks
        self.seg = seg
        self.photo_credit_next = photo_credit_next
        self.like = [is_headline_like(b) for b in blocks]
        cut = len(blocks)
        while cut > 0 and self.like[cut - 1]:
            cut -= 1
        self.cut = cut
        """Where the trailing headline group starts (the stretch's own headline)."""

    def run_end(self, j: int) -> int:
        """The last block of the headline-like run starting at `j`, without a trailing
        fragment of the text below that a column break cut off (`is_fragment`); `j - 1`
        when the run is all such fragments."""
        like, k = self.like, j
        while like[k + 1]:  # blocks[cut - 1] is not headline-like, so this stops before it
            k += 1
        while k >= j and is_fragment(self.blocks[k], self.blocks[k + 1:self.cut]):
            like[k] = False
            k -= 1
        return k

    def is_photo_story_next(self, k: int) -> bool:
        return (self.photo_credit_next and self.cut == len(self.blocks)
                and not any(self.like[k + 1:self.cut])
                and _chars(self.blocks[k + 1:self.cut]) <= PHOTO_MAX_CHARS)

    def is_headline(self, start: int, j: int, k: int) -> bool:
        """A run with text above it would be that text's headline: only when the text
        below carries a mark of its own story (`_marked_story_below`), or is a photo's."""
        blocks = self.blocks
        photo_story = self.is_photo_story_next(k)
        if j > start and not photo_story and not _marked_story_below(blocks[k + 1:self.cut]):
            return False
        return _strong_headline_run(blocks[start:j], blocks[j:k + 1], blocks[k + 1], self.seg,
                                    photo_story)

    def items(self) -> list[Item]:
        blocks, out = self.blocks, []
        start = j = 0
        while j < self.cut:
            if not self.like[j]:
                j += 1
                continue
            k = self.run_end(j)
            if k < j:
                continue  # text after all: the loop goes on over it
            if not self.is_photo_story_next(k) and is_intertitle(
                    blocks[start:j], blocks[j:j + 1], blocks[j + 1:]):
                # a fragment a column break cut off may follow it in the run: read that again
                blocks[j] = _as_intertitle(blocks[j])
                j += 1
                continue
            if self.is_headline(start, j, k):
                if j > start:
                    out.append(Item(ItemKind.BODY, tuple(blocks[start:j])))
                out.append(Item(ItemKind.HEADLINE, tuple(blocks[j:k + 1])))
                start = k + 1
            j = k + 1
        if self.cut > start:
            out.append(Item(ItemKind.BODY, tuple(blocks[start:self.cut])))
        if self.cut < len(blocks):
            out.append(Item(ItemKind.HEADLINE, tuple(blocks[self.cut:])))
        return out


def is_weather_box(block: Block, stretch: Sequence[Block]) -> bool:
    """A weather text block that starts a stretch or follows display lines. One that follows
    body text is a paragraph of a (weather) story and stays in the body."""
    if block.kind is not BlockKind.TEXT or block.opens_story:
        return False
    if stretch and not is_headline_like(stretch[-1]):
        return False
    return is_weather(weather_text(block))


def is_photo_credit(block: Block) -> bool:
    """A byline box that credits only pictures (`■摄影 王 强`, `文/图 李 明`)."""
    roles = {b.role for b in parse_byline(block.texts).bylines}
    return bool(roles & PICTURE_ROLES) and roles <= PICTURE_ROLES | {"文"}


# ------------------------------------------------------------------------------ furniture


def split_furniture(stretch: Sequence[Block]) -> list[Item | list[Block]]:
    """Notices and ads out of a stretch; the text between them stays as sub-stretches.

    A notice is its head line and the prose after it (a contact line included); an ad is
    a run of display blocks with a contact line in it. Display blocks right after body
    text start with that body's headline group (`headline_chunks`), so the ad is the rest."""
    out: list[Item | list[Block]] = []
    text: list[Block] = []
    i = 0
    while i < len(stretch):
        block = stretch[i]
        k = _notice_end(stretch, i) if is_notice_head_block(block) else i
        if k > i + 1:
            out += [text, Item(ItemKind.NOTICE, tuple(stretch[i:k]))]
            text, i = [], k
            continue
        if not is_headline_like(block):
            text.append(block)
            i += 1
            continue
        k = _display_run_end(stretch, i)
        run = stretch[i:k]
        after_body = bool(text) and not is_headline_like(text[-1])
        h = headline_chunks(run) if after_body else 0
        if any(has_contact(b) for b in run[h:]):
            out += [text + list(run[:h]), Item(ItemKind.AD, tuple(run[h:]))]
            text = []
        else:
            text += run
        i = k
    out.append(text)
    return [part for part in out if part]


def _notice_end(stretch: Sequence[Block], i: int) -> int:
    """Where the notice headed at `i` ends: its prose, contact lines and signature."""
    k = i + 1
    while k < len(stretch) and not is_notice_head_block(stretch[k]) and (
            not is_headline_like(stretch[k]) or has_contact(stretch[k])
            or is_notice_signature(stretch[k])):
        k += 1
    return k


def _display_run_end(stretch: Sequence[Block], i: int) -> int:
    """Where the run of display blocks starting at `i` ends; a notice's head (with prose
    after it) ends it, since it heads what follows."""
    k = i + 1
    while k < len(stretch) and is_headline_like(stretch[k]) and not (
            is_notice_head_block(stretch[k]) and k + 1 < len(stretch)
            and not is_headline_like(stretch[k + 1])):
        k += 1
    return k


def headline_chunks(run: Sequence[Block]) -> int:
    """How many blocks at the start of a display run are the headline group of the body
    above it: the chunks that lead into the title (ending `，：！`) and the title's chunk.
    (A subtitle printed as a chunk of its own is then read as the start of the ad: a
    limit of reading display type without its sizes.)"""
    n = 0
    while n < len(run) - 1 and run[n].lines[-1].text[-1:] in KICKER_ENDS:
        n += 1
    return n + 1


# ------------------------------------------------------------------------------ the page


@dataclass(frozen=True)
class Context:
    """What the anchors around a stretch say about it."""

    photo_credit_next: bool = False
    """A picture credit follows: a short text before it is a photo item's story."""
    title_pending: bool = False
    """A picture credit precedes, standing between a story and its title (body, credit,
    title): the stretch's first display line is that title."""
    stanzas_first: bool = False
    """A literary signature glued under a lone title precedes (title first): the stretch
    opens with the piece's text, which may be verse."""
    literary_next: bool = False
    """A literary signature glued under the stretch's last block follows (title last)."""


class _Layout:
    """The page's items in text order, built stretch by stretch (see `layout`)."""

    def __init__(self, seg: Cutter, blocks: Sequence[Block]) -> None:
        self.seg = seg
        self.blocks = blocks
        self.items: list[Item] = []
        self.quotes: list[Item] = []

    @cached_property
    def prose_column(self) -> int:
        """The page's prose column, asked only on a page with a literary piece (the word
        tests cost a segmentation per line break): the most common line width of the
        blocks the typesetter wrapped (3+ lines, a line break inside a word), so a page of
        poems has none (0), whatever the stanzas' widths."""
        wrapped = [b for b in self.blocks if b.kind is BlockKind.TEXT and len(b.lines) >= 3
                   and any(break_cuts_word(a.text, c.text, self.seg)
                           for a, c in pairwise(b.lines))]
        return column_width([ln for b in wrapped for ln in b.lines])

    def byline(self, block: Block, stretch: list[Block], after_anchor: Context) -> Context:
        """A byline box ends the stretch before it; what it is (a picture credit, a 副刊
        signature glued under a title printed first or last) says how to read that stretch
        and the next. Returns the context of the stretch after it."""
        credit = parse_byline(block.texts)
        glued = not block.blank_before
        picture = is_photo_credit(block)
        title_first = credit.literary and glued and self.titled_first(stretch, after_anchor)
        self.flush(stretch, Context(
            photo_credit_next=picture, title_pending=after_anchor.title_pending,
            stanzas_first=after_anchor.stanzas_first,
            literary_next=credit.literary and glued and not title_first))
        if title_first and self.items and self.items[-1].kind is ItemKind.HEADLINE:
            *above, title = self.items.pop().blocks
            if above:
                self.items.append(Item(ItemKind.HEADLINE, tuple(above)))
            self.items.append(Item(ItemKind.TITLE, (title,)))
        after_body = bool(self.items) and self.items[-1].kind is ItemKind.BODY
        self.items.append(Item(ItemKind.BYLINE, (block,)))
        return Context(title_pending=picture and after_body, stanzas_first=title_first)

    def titled_first(self, stretch: list[Block], after_anchor: Context) -> bool:
        """The stretch before a signature is a title printed first: only display lines,
        the last the title (one above it is a column head, or the title of the piece
        before). After a poem set title first, its stanzas come first."""
        rest = stretch[leading_stanzas(stretch, self.prose_column, self.seg):] if (
            after_anchor.stanzas_first) else stretch
        return bool(rest) and is_headline_like(rest[-1]) and all(
            is_headline_like(b) and len(b.lines) == 1 for b in rest[:-1])

    def flush(self, stretch: list[Block], context: Context) -> None:
        if not stretch:
            return
        for part in split_furniture(stretch):
            if isinstance(part, Item):
                self.items.append(part)
            else:
                self._text(part, context)
                context = Context(photo_credit_next=context.photo_credit_next,
                                  literary_next=context.literary_next)
        stretch.clear()

    def _text(self, blocks: list[Block], context: Context) -> None:
        if labelled("note", blocks[0].lines[0].text) is not None:
            n = 1
            while n < len(blocks) and not is_headline_like(blocks[n]):
                n += 1
            self.items.append(Item(ItemKind.NOTE, tuple(blocks[:n])))
            blocks = blocks[n:]
        if context.stanzas_first:
            n = leading_stanzas(blocks, self.prose_column, self.seg)
            if n:
                self.items.append(Item(ItemKind.BODY, as_stanzas(blocks[:n])))
                blocks = blocks[n:]
        if context.literary_next and len(blocks) >= 2:
            n = len(blocks) - 1
            while n > 0 and is_stanza(blocks[n - 1], self.prose_column, self.seg):
                n -= 1
            if n < len(blocks) - 1:
                self._ordinary(blocks[:n], Context())
                self.items.append(Item(ItemKind.BODY, as_stanzas(blocks[n:-1])))
                self.items.append(Item(ItemKind.HEADLINE, (blocks[-1],)))
                return
        self._ordinary(blocks, context)

    def _ordinary(self, blocks: list[Block], context: Context) -> None:
        if not blocks:
            return
        for segment in split_briefs(blocks, is_headline_like, context.title_pending):
            if segment.kind is SegmentKind.STRETCH:
                self.items += split_stretch(segment.blocks, self.seg,
                                            context.photo_credit_next)
            else:
                kind = ItemKind.COLUMN if segment.kind is SegmentKind.COLUMN else ItemKind.BRIEF
                self.items.append(Item(kind, segment.blocks))


def layout(blocks: Sequence[Block], seg: Cutter) -> list[Item]:
    """All blocks of a page → items, cutting stretches at anchors (bylines, video prompts,
    weather boxes) and before every line that opens a story. Quote boxes are taken out of
    the text where they stand, without cutting it, and come last (they are placed by line)."""
    page = _Layout(seg, blocks)
    stretch: list[Block] = []
    after_anchor = Context()
    for block in blocks:
        if quote_box(block) is not None:
            page.quotes.append(Item(ItemKind.QUOTE, (block,)))
        elif is_weather_box(block, stretch):
            page.flush(stretch, after_anchor)
            page.items.append(Item(ItemKind.WEATHER, (block,)))
            after_anchor = Context()
        elif block.kind is BlockKind.BYLINE:
            after_anchor = page.byline(block, stretch, after_anchor)
        elif block.kind is BlockKind.VIDEO:
            page.flush(stretch, after_anchor)
            page.items.append(Item(ItemKind.VIDEO, (block,)))
            after_anchor = Context()
        else:
            if block.kind is BlockKind.TEXT and block.opens_story:
                page.flush(stretch, after_anchor)
                after_anchor = Context()
            stretch.append(block)
    page.flush(stretch, after_anchor)
    return page.items + page.quotes
