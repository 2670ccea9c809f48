"""Runs of a page laid out by their own rules: a 简讯 column and a poem.

A 简讯 column (`镇街动态`, `平湖简讯`) is a head line in display type above several short
items, each closed by a bracketed byline (`（通讯员 李明）`), inline or on its own line.
The items have no headline group: the bracketed byline is what ends one and starts the
next. So a run of blocks is a column when it holds bracket-closed bodies that are not
followed by a headline group (an ordinary story signed in brackets is), and the single
display line right above the first of them is the column's head.

A poem (副刊) is set line by line: its lines end where the poet ended them, well short of
the column the page's prose is justified to and never inside a word (a narrow prose
column breaks words: `渔|船`), and its stanzas are frames of their own.
Only a literary piece is read this way (it is signed `□张三`, `文/张三` or `作者 张三`),
since outside one a run of short lines is display type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from sitegen.ingest.parse.body import line_width
from sitegen.ingest.parse.bylines import wrapped_bracket_at_end
from sitegen.ingest.parse.headlines import Cutter, break_cuts_word
from sitegen.ingest.parse.lines import Block, BlockKind, Line

NARROWER_THAN_COLUMN = 6
"""A display line is 'off the column' when at least this much narrower than the body
column (3 CJK characters): body lines cut by a column break are full lines, within the
typesetter's squeezing of punctuation."""


class SegmentKind(Enum):
    STRETCH = "stretch"
    """Ordinary text: bodies and headline groups, read by `layout.split_stretch`."""
    COLUMN = "column"
    BRIEF = "brief"


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    blocks: tuple[Block, ...]


def is_brief_end(block: Block) -> bool:
    """A text block that ends with a bracketed byline (which may wrap over its last two
    lines)."""
    return block.kind is BlockKind.TEXT and wrapped_bracket_at_end(block.texts) is not None


def _is_head_line(block: Block) -> bool:
    """One display line: plain, or in display type extracted twice (`镇街动态镇街动态`)."""
    return block.kind in (BlockKind.TEXT, BlockKind.DOUBLED) and len(block.lines) == 1


def split_briefs(stretch: Sequence[Block], headline_like: Callable[[Block], bool],
                 title_pending: bool = False) -> list[Segment]:
    """Cut a stretch into ordinary text, column heads and briefs (see the module docstring).

    `title_pending`: the stretch follows a photo credit that stands between a story and
    its title (`body, ■摄影, title`), so its first display line is that title, never a
    column head. Returns one STRETCH segment when the stretch holds no brief."""
    like = [headline_like(b) for b in stretch]
    ends = [i for i, b in enumerate(stretch) if not like[i] and is_brief_end(b)]
    for end in ends:
        start = end
        while start > 0 and not like[start - 1]:
            start -= 1
        head = start - 1
        has_head = (head >= 0 and like[head] and _is_head_line(stretch[head])
                    and not (title_pending and head == 0))
        followed_by_headline = end + 1 < len(stretch) and like[end + 1]
        if has_head or not followed_by_headline:
            return _column(stretch, like, start - 1 if has_head else start)
    return [Segment(SegmentKind.STRETCH, tuple(stretch))]


def _column(stretch: Sequence[Block], like: list[bool], begin: int) -> list[Segment]:
    """From `begin` (a head or the first brief) on: heads and bracket-closed items; what
    follows the last closed item is a brief without byline when it has no headline group
    (it stands in the column), else ordinary text."""
    out: list[Segment] = []
    if begin:
        out.append(Segment(SegmentKind.STRETCH, tuple(stretch[:begin])))
    item: list[Block] = []
    i = begin
    while i < len(stretch):
        block = stretch[i]
        if like[i]:
            nxt = i + 1
            if item or not _is_head_line(block) or nxt >= len(stretch) or like[nxt]:
                break  # a headline group: what remains is ordinary text
            out.append(Segment(SegmentKind.COLUMN, (block,)))
        else:
            item.append(block)
            if is_brief_end(block):
                out.append(Segment(SegmentKind.BRIEF, tuple(item)))
                item = []
        i += 1
    rest = [*item, *stretch[i:]]
    if rest and not any(like[len(stretch) - len(rest):]):
        out.append(Segment(SegmentKind.BRIEF, tuple(rest)))
    elif rest:
        out.append(Segment(SegmentKind.STRETCH, tuple(rest)))
    return out


# ------------------------------------------------------------------------------ verse


JUSTIFIED_SPREAD = 2
"""Widths (one CJK character) within which a justified column's full lines agree."""


def is_stanza(block: Block, prose_column: int, seg: Cutter) -> bool:
    """Two or more lines, none reaching near the page's prose column (0: the page has no
    prose to compare with), ended by the poet, not wrapped by the typesetter. A wrapped
    block is justified: its lines but the last are one width. Lines of differing widths
    are verse even when jieba finds a word across a break (`新的项目` / `管理着…`); lines of
    one width are verse only when no break cuts a word (a narrow prose column breaks
    words: `渔|船`)."""
    lines = block.lines
    if block.kind is not BlockKind.TEXT or len(lines) < 2:
        return False
    if prose_column and any(line_width(ln) > prose_column - NARROWER_THAN_COLUMN
                            for ln in lines):
        return False
    return not justified(lines) or not any(break_cuts_word(a.text, b.text, seg)
                                           for a, b in pairwise(lines))


def justified(lines: Sequence[Line]) -> bool:
    """All lines but the last of one width (within the typesetter's squeezing); a block of
    two lines can't tell, and counts as justified."""
    widths = [line_width(ln) for ln in lines[:-1]]
    return max(widths) - min(widths) <= JUSTIFIED_SPREAD


def leading_stanzas(stretch: Sequence[Block], prose_column: int, seg: Cutter) -> int:
    """How many blocks at the start of `stretch` are stanzas of a poem."""
    n = 0
    while n < len(stretch) and is_stanza(stretch[n], prose_column, seg):
        n += 1
    return n


def as_stanzas(blocks: Sequence[Block]) -> tuple[Block, ...]:
    return tuple(Block(BlockKind.VERSE, b.lines, b.blank_before) for b in blocks)
