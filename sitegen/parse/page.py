"""Assembly: layout items → articles, with bylines attributed by the layout rules.

Steps, each a small function: items in text order (layout.py) → drafts (a body and the
headline group after it; weather boxes become extras) → byline attribution → articles
(kind, headline parts, paragraphs, towns, source lines). Whatever fits nowhere (video
prompts, a headline without body, byline tokens that are no name) goes to `dropped`, so the
import report shows it: nothing of the input is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sitegen.config import Town
from sitegen.errors import SitegenError
from sitegen.model import Article, Byline, Dropped, Extra, ParsedPage
from sitegen.parse.body import BodyLine, paragraphs
from sitegen.parse.bylines import PEN_NAME_ROLE, parse_byline
from sitegen.parse.headlines import Cutter, Headline, Part, assign_parts, chunk_parts, undouble
from sitegen.parse.layout import (
    PHOTO_MAX_CHARS,
    PHOTO_ROLE,
    Item,
    ItemKind,
    layout,
    weather_text,
)
from sitegen.parse.lines import DATELINE, BlockKind, split_blocks, split_lines
from sitegen.segment import Segmenter
from sitegen.towns import towns_mentioned


@dataclass
class Draft:
    """An article in the making: its body item and what gets attached to it."""

    body: Item
    headline: Item | None = None
    bylines: list[Byline] = field(default_factory=list)
    video: bool = False


@dataclass
class Assembly:
    """Where every item went (by item index), plus the page-level leftovers."""

    drafts: list[Draft] = field(default_factory=list)
    body_of: dict[int, Draft] = field(default_factory=dict)
    headline_of: dict[int, Draft] = field(default_factory=dict)
    extras: list[Extra] = field(default_factory=list)
    unassigned: list[list[Byline]] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


# ------------------------------------------------------------------------------ helpers


def headline_of_item(item: Item, seg: Cutter) -> Headline:
    """A headline item's blocks are its chunks; doubled lines are parts of their own."""
    parts: list[Part] = []
    for block in item.blocks:
        if block.kind is BlockKind.DOUBLED:
            parts.append(Part(undouble(block.lines[0].text) or block.lines[0].text, True))
        else:
            parts += [Part(t) for t in chunk_parts(block.texts, seg)]
    return assign_parts(parts)


def body_lines(item: Item) -> list[BodyLine]:
    """The body's lines with None where a blank line (or frame boundary) separated blocks."""
    out: list[BodyLine] = []
    for i, block in enumerate(item.blocks):
        if i:
            out.append(None)
        out.extend(block.lines)
    return out


def article_kind(dateline: str | None, bylines: Sequence[Byline], paras: Sequence[str]) -> str:
    """news: dated; commentary: a pen name (no role word); photo: a short undated text with
    a `摄影` credit. An undated text with reporters' bylines is reported as news."""
    if dateline:
        return "news"
    roles = {b.role for b in bylines}
    if PEN_NAME_ROLE in roles:
        return "commentary"
    if PHOTO_ROLE in roles and sum(len(p) for p in paras) <= PHOTO_MAX_CHARS:
        return "photo"
    return "news"


# ------------------------------------------------------------------------------ steps


def collect_drafts(items: Sequence[Item]) -> Assembly:
    """Bodies start drafts (or are weather extras); a headline group belongs to the latest
    body when only bylines stand between them (the photo credit sits there); a video prompt
    marks the story above it."""
    asm = Assembly()
    latest: tuple[int, Draft] | None = None
    orphans: list[int] = []
    for idx, item in enumerate(items):
        if item.kind is ItemKind.WEATHER:
            asm.extras.append(Extra("weather", weather_text(item.blocks[0])))
            latest = None
        elif item.kind is ItemKind.BODY:
            draft = Draft(item)
            asm.drafts.append(draft)
            asm.body_of[idx] = draft
            latest = (idx, draft)
        elif item.kind is ItemKind.HEADLINE:
            if latest and latest[1].headline is None and all(
                    items[k].kind is ItemKind.BYLINE for k in range(latest[0] + 1, idx)):
                latest[1].headline = item
                asm.headline_of[idx] = latest[1]
            else:
                orphans.append(idx)
        elif item.kind is ItemKind.VIDEO:
            story = asm.drafts[-1] if asm.drafts else None
            if story:
                story.video = True
            asm.dropped.append(Dropped(item.first, item.text, "video prompt (QR code)" + (
                "" if story else "; no story above it")))
    adopt_orphan_headlines(items, orphans, asm)
    return asm


def adopt_orphan_headlines(items: Sequence[Item], orphans: Iterable[int], asm: Assembly) -> None:
    """A headline group with no body before it goes to the body right after it (only bylines
    between) if that body has none; otherwise it is reported as dropped."""
    for idx in orphans:
        k = idx + 1
        while k < len(items) and items[k].kind is ItemKind.BYLINE:
            k += 1
        draft = asm.body_of.get(k)
        if draft is not None and draft.headline is None:
            draft.headline = items[idx]
            asm.headline_of[idx] = draft
        else:
            asm.dropped.append(Dropped(items[idx].first, items[idx].text,
                                       "headline group with no article body"))


def attribute_bylines(items: Sequence[Item], asm: Assembly) -> None:
    """The spec's rules, strongest evidence first: (1) between a body and its headline group,
    (2) glued under a headline group, then (3) just before a body. An article takes one byline
    box; a box that fits nowhere is an unassigned byline of the page."""
    boxes: dict[int, list[Byline]] = {}
    for idx, item in enumerate(items):
        if item.kind is not ItemKind.BYLINE:
            continue
        parsed = parse_byline([ln.text for ln in item.lines])
        if not parsed.bylines:
            asm.dropped.append(Dropped(item.first, item.text, "byline box without a name"))
            continue
        if parsed.leftovers:
            asm.dropped.append(Dropped(item.first, " ".join(parsed.leftovers),
                                       "byline text that is not a role or a name"))
        boxes[idx] = parsed.bylines

    def layout_owner(idx: int) -> Draft | None:
        prev = idx - 1
        nxt = idx + 1
        if prev in asm.body_of and asm.headline_of.get(nxt) is asm.body_of[prev]:
            return asm.body_of[prev]
        if prev in asm.headline_of and items[idx].glued_above:
            return asm.headline_of[prev]
        return None

    placed: set[int] = set()
    for rule in (layout_owner, lambda idx: asm.body_of.get(idx + 1)):
        for idx, box in boxes.items():
            if idx in placed:
                continue
            owner = rule(idx)
            if owner is not None and not owner.bylines:
                owner.bylines = list(box)
                placed.add(idx)
    asm.unassigned = [box for idx, box in boxes.items() if idx not in placed]


def build_article(draft: Draft, towns: Sequence[Town], seg: Cutter) -> Article:
    lines = body_lines(draft.body)
    dated = draft.body.lines[0].text.startswith(DATELINE)
    paras = paragraphs(lines, dateline=dated)
    head = headline_of_item(draft.headline, seg) if draft.headline else Headline()
    dateline = DATELINE if dated else None
    mentioned = towns_mentioned(
        [head.kicker or "", head.title, head.subtitle or "", *head.captions, *paras], towns)
    return Article(
        kind=article_kind(dateline, draft.bylines, paras),
        kicker=head.kicker,
        title=head.title,
        subtitle=head.subtitle,
        dateline=dateline,
        bylines=list(draft.bylines),
        paragraphs=paras,
        captions=list(head.captions),
        video=draft.video,
        towns=mentioned,
        source_lines=(draft.body.first, draft.body.last),
    )


def town_words(towns: Iterable[Town]) -> list[str]:
    """Gazetteer spellings, as user words for the segmenter."""
    return [s for t in towns for s in t.spellings]


# ------------------------------------------------------------------------------ API


def parse_page(text: str, page_name: str, towns: Sequence[Town],
               segmenter: Cutter | None = None) -> ParsedPage:
    """Recover the articles of one raw page (already decoded by `rawtext`).

    `segmenter` (see `sitegen.segment`) should be created once per run and passed in: making
    one loads jieba's dictionary. Without it a segmenter knowing the town names is made.
    Raises `SitegenError` naming `page_name` when no article (a body with a headline) is found.
    """
    seg = segmenter if segmenter is not None else Segmenter(town_words(towns))
    items = layout(split_blocks(split_lines(text)), seg)
    asm = collect_drafts(items)
    attribute_bylines(items, asm)
    if not any(d.headline for d in asm.drafts):
        raise SitegenError(
            "no article found: no body text followed by its headline "
            f"(bodies without a headline: {len(asm.drafts)}, unplaced items: "
            f"{len(asm.dropped)}; see docs/raw-pages.md)",
            page_name)
    return ParsedPage(
        page=page_name,
        articles=[build_article(d, towns, seg) for d in asm.drafts],
        unassigned_bylines=asm.unassigned,
        extras=asm.extras,
        dropped=sorted(asm.dropped, key=lambda d: d.line),
    )


class PageParser:
    """`(text, page_name) -> ParsedPage` bound to a gazetteer, with one segmenter per process.

    A class rather than a closure so the importer can (1) load the dictionary before it
    forks its workers (`prepare`), (2) send it to a worker process by pickling (the
    segmenter is left behind and rebuilt there on first use), and (3) tell whether two
    imports parsed with the same configuration (`fingerprint`), which lets it skip
    re-parsing raw pages that have not changed."""

    def __init__(self, towns: Sequence[Town], user_words: Iterable[str] = ()) -> None:
        self.towns: tuple[Town, ...] = tuple(towns)
        self.user_words: tuple[str, ...] = tuple(user_words)
        self._segmenter: Segmenter | None = None

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            self._segmenter = Segmenter([*town_words(self.towns), *self.user_words])
        return self._segmenter

    def prepare(self) -> None:
        """Load the segmenter's dictionary now (see `Segmenter.load`)."""
        self.segmenter.load()

    @property
    def fingerprint(self) -> str:
        """Everything besides the code and the raw text that decides the parse."""
        return repr((self.towns, self.user_words))

    def __call__(self, text: str, page_name: str) -> ParsedPage:
        return parse_page(text, page_name, self.towns, segmenter=self.segmenter)

    def __getstate__(self) -> dict[str, object]:
        return {"towns": self.towns, "user_words": self.user_words, "_segmenter": None}


def page_parser(towns: Sequence[Town], user_words: Iterable[str] = ()) -> PageParser:
    """`(text, page_name) -> ParsedPage` with one segmenter shared by every page (the
    importer's `PageParser`): town spellings and `user_words` (reporter names) are words."""
    return PageParser(towns, user_words)
