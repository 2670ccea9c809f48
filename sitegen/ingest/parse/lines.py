"""Raw page text → numbered lines → blocks.

A block is what the extractor emitted as one text frame: lines with no blank line between
them. Some frames are glued to their neighbour without a blank line (a byline box under a
headline, `本报讯` right under a display line), so a block also ends where a line of a
different sort starts: a `■`/`□` byline or a signature line (`文/图 李 明`), a line that
can only open a story (a dateline, `（上接第1版）`, `核心提示：`, `编者按：`), a doubled
display line, a video prompt, a line indented with an ASCII space (the extractor's mark of
a new frame).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from sitegen.ingest.parse.bylines import MARKS, is_byline_continuation, is_credit_line
from sitegen.ingest.parse.headlines import undouble
from sitegen.ingest.parse.marks import DATELINE, starts_story
from sitegen.ingest.parse.marks import has_dateline as has_dateline
from sitegen.text.cjk import display_width

__all__ = ["DATELINE", "Block", "BlockKind", "Line", "has_dateline", "split_blocks",
           "split_lines"]
_VIDEO = re.compile(r"^(扫一扫|扫码|扫描二维码)\s*(看|观看)视频$")
FULLWIDTH_SPACE = "\u3000"
INDENT = " \t\u3000\u00a0"
"""Everything that can indent a line: ASCII space, tab, full-width space, no-break space."""
_FRAME_MARKS = " \t\u00a0"
_FRAME_MARK_CHARS = tuple(_FRAME_MARKS)
"""The extractor's indents (not typed ones): a line starting with one starts a new frame."""


class Line:
    """One input line: its 1-based number and raw text (decoded, trailing spaces removed).

    Immutable by convention; the derived views are computed once, when the line is made,
    because every stage asks for `text` and `width` of the same lines again and again
    (block splitter, layout tests, paragraph finder). A plain class with `__slots__`: a
    frozen dataclass spent more time in `object.__setattr__` than in the work itself, and
    a page has ~750 lines. Equality and hash are those of `(no, raw)`."""

    __slots__ = ("frame_start", "indented", "measure", "no", "raw", "text", "width")

    no: int
    raw: str
    text: str
    """The line without indentation of any kind (ASCII or full-width spaces)."""
    frame_start: bool
    """Indented with an ASCII space: the extractor starts a new text frame this way."""
    indented: bool
    """Indented with a full-width space: a typed paragraph start (`　　`)."""
    measure: str
    """What occupies the print line: the text with a full-width indent, without the
    extractor's leading ASCII space."""
    width: int
    """Printed width of `measure` (East Asian width); see `body.line_width`."""

    def __init__(self, no: int, raw: str) -> None:
        self.no = no
        self.raw = raw
        self.text = raw.strip(INDENT)
        self.frame_start = raw[:1] in _FRAME_MARK_CHARS  # a tuple: "" is no mark
        self.measure = measure = raw.strip(_FRAME_MARKS)
        self.indented = measure.startswith(FULLWIDTH_SPACE)
        self.width = display_width(measure)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return self.no == other.no and self.raw == other.raw

    def __hash__(self) -> int:
        return hash((self.no, self.raw))

    def __repr__(self) -> str:
        return f"Line(no={self.no!r}, raw={self.raw!r})"


class BlockKind(Enum):
    TEXT = "text"
    BYLINE = "byline"
    DOUBLED = "doubled"
    VIDEO = "video"
    INTERTITLE = "intertitle"
    """Set by the layout, never by `line_kind`: a text block that is a story's 小标题."""
    VERSE = "verse"
    """Set by the layout: a stanza of a poem (its lines are kept as printed)."""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[Line, ...]
    blank_before: bool
    """A blank line (or the page start) precedes the block: it is not glued to the one above."""

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def last(self) -> int:
        return self.lines[-1].no

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]

    @property
    def has_dateline(self) -> bool:
        return has_dateline(self.lines[0].text)

    @property
    def opens_story(self) -> bool:
        """Its first line can only open a story (see `marks.starts_story`)."""
        return starts_story(self.lines[0].text)


def is_video_prompt(text: str) -> bool:
    """The QR-code prompt printed under a story that has a video."""
    return bool(_VIDEO.match(text.strip(INDENT)))


def split_lines(text: str) -> list[Line]:
    """Numbered lines; tolerant of text that was not normalised by `rawtext` (BOM, CRLF)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [Line(no, raw.rstrip(" \t")) for no, raw in enumerate(text.split("\n"), start=1)]


def line_kind(line: Line) -> BlockKind:
    """What sort of line this is. Asked of every line of a page, so the tests are ordered
    and guarded by cheap exact checks: `line.text` has no indent left, so a byline starts
    with `■` right away, and a video prompt ends in `视频`."""
    text = line.text
    if text.startswith(MARKS):  # = is_byline_start(text) for an unindented text
        return BlockKind.BYLINE
    if text[:1] in "文图摄作" and is_credit_line(text):
        return BlockKind.BYLINE
    if text.endswith("视频") and is_video_prompt(text):
        return BlockKind.VIDEO
    if undouble(text) is not None:
        return BlockKind.DOUBLED
    return BlockKind.TEXT


def split_blocks(lines: list[Line]) -> list[Block]:
    """Group lines into blocks at blank lines and at every change of line sort."""
    blocks: list[Block] = []
    current: list[Line] = []
    kind = BlockKind.TEXT
    blank_before = True

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(Block(kind, tuple(current), blank_before))
            current = []

    for line in lines:
        if not line.text:
            if current:
                close()
            blank_before = True
            continue
        this = line_kind(line)
        continues = bool(current) and (
            (kind is BlockKind.TEXT and this is BlockKind.TEXT
             and not line.frame_start and not starts_story(line.text))
            or (kind is BlockKind.BYLINE and this is BlockKind.TEXT
                and not line.frame_start and is_byline_continuation(line.text))
        )
        if continues:
            current.append(line)
            continue
        if current:
            close()
            blank_before = False
        kind = this
        current = [line]
        if this in (BlockKind.VIDEO, BlockKind.DOUBLED):
            close()
            blank_before = False
    close()
    return blocks
