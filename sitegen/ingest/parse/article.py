"""One draft → one `Article`: headline parts, paragraphs and the marks printed in them.

A draft is a body item with what the assembly attached to it (headline group, byline box,
editor's note, quote boxes, column). Its text still carries printed marks that are fields,
not prose, and each is read by a small rule (`marks.py`, `bylines.py`):
- at the edges of the text: `（上接第1版）` first, `（下转第2版）` last (inline or on its own
  line), `据新华社` last, a bracketed byline closing a brief;
- at the start of the first paragraph: the dateline (`本报讯`, or a wire dispatch with its
  reporters in brackets), a lead's label `核心提示：`;
- inside: intertitles (blocks the layout marked), which become headings between
  paragraphs; a brief's bold lead phrase (its title);
- a poem's stanzas, whose lines are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sitegen.config import Town
from sitegen.content.model import Article, Byline, Heading
from sitegen.ingest.parse.body import BodyLine, paragraph_groups, paragraph_text, strip_dateline
from sitegen.ingest.parse.bylines import (
    PEN_NAME_ROLE,
    parse_wrapped_bracket,
    wrapped_bracket_at_end,
)
from sitegen.ingest.parse.furniture import quote_box
from sitegen.ingest.parse.headlines import (
    Cutter,
    Headline,
    Part,
    assign_parts,
    chunk_parts,
    clean_headline_text,
    undouble,
)
from sitegen.ingest.parse.layout import PHOTO_MAX_CHARS, PICTURE_ROLES, Item
from sitegen.ingest.parse.lines import DATELINE, Block, BlockKind, Line
from sitegen.ingest.parse.marks import (
    jump_from,
    jump_to,
    labelled,
    source_line,
    source_suffix,
    strip_jump_from,
    strip_jump_to,
    wire_dateline,
)
from sitegen.ingest.towns import towns_mentioned
from sitegen.text.cjk import is_han, join_unwrapped, normalize_text_spacing

LEAD_PHRASE_MAX = 40
LEAD_PHRASE_MIN_HAN = 4
_PHRASE_END = re.compile(r"。|(?<=[\u4e00-\u9fff”’》）]) (?=[\u4e00-\u9fff“‘《（])")
"""Where a brief's bold lead phrase ends: its `。`, or a space between two Chinese words."""
_PHRASE_PUNCT = frozenset("，、；：？！,;:?!")
_PHRASE_BEFORE_DATE = re.compile(
    r"(?P<phrase>[^。，、；：\s][^。，、；：]{3,39}?[\u4e00-\u9fff”’》）]) +"
    r"(?=\d{1,2} *月 *\d{1,2} *日)")


@dataclass
class Draft:
    """An article in the making: its body item and what gets attached to it."""

    body: Item
    headline: Item | None = None
    bylines: list[Byline] = field(default_factory=list)
    video: bool = False
    note: Item | None = None
    quotes: list[Item] = field(default_factory=list)
    brief: bool = False
    column: str | None = None
    literary: bool = False
    """Its byline box signs a literary piece (`□张三`, `文/张三`)."""


@dataclass
class Text:
    """A body's text once the printed marks are read out of it."""

    paragraphs: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    dateline: str | None = None
    bylines: list[Byline] = field(default_factory=list)
    source: str | None = None
    lead: str | None = None
    continued_to: str | None = None
    continued_from: str | None = None
    verse: bool = False
    raw_first: str = ""
    """The first paragraph as printed (joined, dateline off, spacing not yet repaired)."""


# ------------------------------------------------------------------------------ headlines


def column_name(block: Block) -> str:
    """A column head as one clean string (display type read twice is read once)."""
    if block.kind is BlockKind.DOUBLED:
        return undouble(block.lines[0].text) or block.lines[0].text
    return clean_headline_text(block.texts)


def headline_of_item(item: Item, seg: Cutter) -> Headline:
    """A headline item's blocks are its chunks; doubled lines are parts of their own."""
    parts: list[Part] = []
    for block in item.blocks:
        if block.kind is BlockKind.DOUBLED:
            parts.append(Part(undouble(block.lines[0].text) or block.lines[0].text, True))
        else:
            parts += [Part(t) for t in chunk_parts(block.texts, seg)]
    return assign_parts(parts)


# ------------------------------------------------------------------------------ body text


def body_lines(item: Item) -> tuple[list[BodyLine], list[tuple[int, str]]]:
    """The body's lines with None where a blank line (or frame boundary) separated blocks,
    and the intertitles taken out of them: (line number, text)."""
    out: list[BodyLine] = []
    intertitles: list[tuple[int, str]] = []
    for i, block in enumerate(item.blocks):
        if i:
            out.append(None)
        if block.kind is BlockKind.INTERTITLE:
            intertitles.append((block.first, clean_headline_text(block.texts)))
        else:
            out.extend(block.lines)
    return out, intertitles


def _edge(lines: list[BodyLine], last: bool) -> int | None:
    indexes = range(len(lines) - 1, -1, -1) if last else range(len(lines))
    return next((i for i in indexes if lines[i] is not None), None)


def _replace(lines: list[BodyLine], i: int, text: str) -> None:
    """Put `text` in place of line `i` (None when nothing of it is left). The line keeps
    its printed width: the mark taken out of it (`（上接第A01版）`) filled the column, so
    the line is no short paragraph end."""
    line = lines[i]
    assert line is not None
    if not text.strip():
        lines[i] = None
        return
    kept = Line(line.no, text)
    kept.width = line.width
    lines[i] = kept


def read_edge_marks(lines: list[BodyLine], text: Text) -> None:
    """Jump lines, `据新华社` and a bracketed byline, out of the first and last lines."""
    first = _edge(lines, last=False)
    if first is not None and (label := jump_from(lines[first].text)) is not None:  # type: ignore[union-attr]
        text.continued_from = label
        _replace(lines, first, strip_jump_from(lines[first].text))  # type: ignore[union-attr]
    last = _edge(lines, last=True)
    if last is not None and (label := jump_to(lines[last].text)) is not None:  # type: ignore[union-attr]
        text.continued_to = label
        _replace(lines, last, strip_jump_to(lines[last].text))  # type: ignore[union-attr]
        last = _edge(lines, last=True)
    if last is not None:
        raw = lines[last].text  # type: ignore[union-attr]
        if (agency := source_line(raw)) is not None:
            text.source = agency
            _replace(lines, last, "")
        elif (split := source_suffix(raw)) is not None:
            text.source = split[1]
            _replace(lines, last, split[0])
    last = _edge(lines, last=True)
    if last is None:
        return
    tail = [last - 1, last] if last > 0 and lines[last - 1] is not None else [last]
    signed = wrapped_bracket_at_end([lines[i].text for i in tail])  # type: ignore[union-attr]
    if signed is not None:
        start, before, text.bylines = signed
        _replace(lines, tail[start], before)
        for i in tail[start + 1:]:
            lines[i] = None


def first_paragraph(group: list[Line], text: Text) -> str:
    """The first paragraph without its dateline, which becomes a field (and, for a wire
    dispatch, the agency and the bracketed reporters). Kept raw (before spacing repairs)
    in `text.raw_first`, where a brief's lead phrase is still set off by its space."""
    raw = [ln.text for ln in group]
    if raw[0].startswith(DATELINE):
        text.dateline = DATELINE
        raw[0] = strip_dateline(raw[0])
        text.raw_first = join_unwrapped(raw)
        return paragraph_text([Line(group[0].no, t) for t in raw])
    text.raw_first = join_unwrapped(raw)
    wire = wire_dateline("\n".join(raw))
    if wire is None:
        return paragraph_text(group)
    text.dateline = wire.dispatch
    text.source = text.source or wire.agency
    rest = join_unwrapped(wire.rest.split("\n"))
    if wire.names:
        signed = parse_wrapped_bracket(wire.names.split("\n"))
        if signed is None:  # not a byline after all: the bracket stays in the text
            rest = f"（{wire.names.replace(chr(10), '')}）{rest}"
        else:
            text.bylines = signed.bylines
    return normalize_text_spacing(rest)


def read_text(item: Item) -> Text:
    """The body's paragraphs and the marks printed in them (see the module docstring)."""
    text = Text()
    if all(b.kind is BlockKind.VERSE for b in item.blocks):
        text.verse = True
        text.paragraphs = ["\n".join(normalize_text_spacing(t) for t in b.texts)
                           for b in item.blocks]
        return text
    lines, intertitles = body_lines(item)
    read_edge_marks(lines, text)
    starts: list[int] = []
    for i, group in enumerate(paragraph_groups(lines)):
        para = first_paragraph(group, text) if i == 0 else paragraph_text(group)
        if para:
            text.paragraphs.append(para)
            starts.append(group[0].no)
    if text.paragraphs and (lead := labelled("lead", text.paragraphs[0])) is not None:
        text.lead = lead
        del text.paragraphs[0], starts[0]
    text.headings = [Heading(sum(s < at for s in starts), title) for at, title in intertitles]
    return text


def lead_phrase(paragraph: str, raw: str = "") -> tuple[str | None, str]:
    """A brief's bold lead phrase (`新埭镇举办春风行动专场招聘会 近日，…`): the words up to
    its `。` or a space between Chinese words, when they read as a headline (no inner
    punctuation but quotes, a few Chinese characters at least). A brief may also open
    with its date right after the phrase (`…亲子阅读节 3月16日，…`): that space is only
    in the raw text (`raw`), since spacing repairs take a space before a digit for padding.
    Returns (phrase, rest)."""
    match = _PHRASE_END.search(paragraph)
    if match is not None:
        phrase, rest = paragraph[:match.start()], paragraph[match.end():].lstrip()
        if _is_phrase(phrase, rest):
            return phrase, rest
    dated = _PHRASE_BEFORE_DATE.match(raw)
    if dated is not None:
        phrase = normalize_text_spacing(dated["phrase"])
        rest = normalize_text_spacing(raw[dated.end():])
        if _is_phrase(phrase, rest):
            return phrase, rest
    return None, paragraph


def _is_phrase(phrase: str, rest: str) -> bool:
    return bool(rest) and len(phrase) <= LEAD_PHRASE_MAX and not any(
        ch in _PHRASE_PUNCT for ch in phrase) and sum(
        is_han(ch) for ch in phrase) >= LEAD_PHRASE_MIN_HAN


# ------------------------------------------------------------------------------ article


def article_kind(draft: Draft, text: Text, bylines: Sequence[Byline]) -> str:
    """brief: in a 简讯 column; news: dated; literary: signed as a 副刊 piece, or verse;
    commentary: a pen name (no role word); photo: a short text with a picture credit.
    An undated text with reporters' bylines is reported as news."""
    if draft.brief:
        return "brief"
    if text.dateline:
        return "news"
    roles = {b.role for b in bylines}
    if draft.literary or text.verse:
        return "literary"
    if PEN_NAME_ROLE in roles:
        return "commentary"
    if roles & PICTURE_ROLES and sum(len(p) for p in text.paragraphs) <= PHOTO_MAX_CHARS:
        return "photo"
    return "news"


def note_text(item: Item) -> str:
    """An editor's note as one string, without its `编者按：` label."""
    lines, _ = body_lines(item)
    paras = [paragraph_text(g) for g in paragraph_groups(lines)]
    joined = "\n".join(p for p in paras if p)
    return labelled("note", joined) or joined


def article_towns(article: Article, towns: Sequence[Town]) -> list[str]:
    """The gazetteer towns an article mentions, in the order a reader meets them: headline,
    captions, editor's note, lead, paragraphs (intertitles in place), quotes."""
    body = list(article.paragraphs)
    for heading in reversed(article.headings):
        body.insert(heading.before, heading.text)
    return towns_mentioned(
        [article.kicker or "", article.title or "", article.subtitle or "", *article.captions,
         article.editor_note or "", article.lead or "", *body,
         *(f"{q.text}\n{q.source or ''}" for q in article.quotes)], towns)


def build_article(draft: Draft, towns: Sequence[Town], seg: Cutter) -> Article:
    text = read_text(draft.body)
    head = headline_of_item(draft.headline, seg) if draft.headline else Headline()
    title: str | None = head.title
    if draft.brief and draft.headline is None:
        title = None
        if text.paragraphs:
            title, text.paragraphs[0] = lead_phrase(text.paragraphs[0], text.raw_first)
    bylines = list(draft.bylines) or text.bylines
    first = draft.note.first if draft.note else draft.body.first
    article = Article(
        kind=article_kind(draft, text, bylines),
        kicker=head.kicker,
        title=title,
        subtitle=head.subtitle,
        dateline=text.dateline,
        bylines=bylines,
        paragraphs=text.paragraphs,
        captions=list(head.captions),
        video=draft.video,
        source_lines=(first, draft.body.last),
        lead=text.lead,
        editor_note=note_text(draft.note) if draft.note else None,
        column=draft.column,
        source=text.source,
        headings=text.headings,
        quotes=[box.quote for item in draft.quotes if (box := quote_box(item.blocks[0]))],
        continued_to=text.continued_to,
        continued_from=text.continued_from,
        verse=text.verse,
    )
    article.towns = article_towns(article, towns)
    return article
