"""Assembly: layout items → articles, with bylines attributed by the layout rules.

Steps, each a small function: items in text order (layout.py) → drafts (a body and the
headline group after it; weather boxes, notices and ads become extras) → byline
attribution → articles (`article.py`: kind, headline parts, paragraphs and the marks in
them, towns, source lines). Whatever fits nowhere (video prompts, a headline without body,
byline tokens that are no name) goes to `dropped`, so the import report shows it: nothing
of the input is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sitegen.config import Town
from sitegen.content.model import VIDEO_PROMPT, Byline, Dropped, Extra, ParsedPage
from sitegen.errors import SitegenError
from sitegen.ingest.parse.article import Draft, build_article, column_name
from sitegen.ingest.parse.bylines import parse_byline
from sitegen.ingest.parse.furniture import text_of, weather_text
from sitegen.ingest.parse.headlines import Cutter
from sitegen.ingest.parse.layout import Item, ItemKind, is_headline_like, layout
from sitegen.ingest.parse.lines import split_blocks, split_lines
from sitegen.text.segment import Segmenter


@dataclass
class Assembly:
    """Where every item went (by item index), plus the page-level leftovers."""

    drafts: list[Draft] = field(default_factory=list)
    body_of: dict[int, Draft] = field(default_factory=dict)
    headline_of: dict[int, Draft] = field(default_factory=dict)
    draft_at: dict[int, Draft] = field(default_factory=dict)
    """Every draft (bodies and briefs) by the index of the item that made it."""
    page_columns: dict[int, str] = field(default_factory=dict)
    """Column heads that stand over the rest of the page, by item index (`东湖`)."""
    extras: list[Extra] = field(default_factory=list)
    unassigned: list[list[Byline]] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


EXTRA_KINDS = {ItemKind.NOTICE: "notice", ItemKind.AD: "ad"}


# ------------------------------------------------------------------------------ steps


class _Collector:
    """Walks the items in text order, one small method per kind of item (`collect_drafts`)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = items
        self.asm = Assembly()
        self.latest: tuple[int, Draft] | None = None
        self.orphans: list[int] = []
        self.note: Item | None = None
        self.column: str | None = None

    def run(self) -> Assembly:
        handlers = {
            ItemKind.WEATHER: self.extra, ItemKind.NOTICE: self.extra, ItemKind.AD: self.extra,
            ItemKind.NOTE: self.editor_note, ItemKind.COLUMN: self.column_head,
            ItemKind.BODY: self.body, ItemKind.BRIEF: self.body, ItemKind.TITLE: self.orphan,
            ItemKind.HEADLINE: self.headline, ItemKind.VIDEO: self.video,
            ItemKind.QUOTE: lambda _, item: place_quote(item, self.asm)}
        for idx, item in enumerate(self.items):
            if item.kind not in (ItemKind.BRIEF, ItemKind.COLUMN):
                self.column = None  # a 简讯 column ends where its briefs do
            handler = handlers.get(item.kind)
            if handler is not None:
                handler(idx, item)
        if self.note is not None:
            self.asm.dropped.append(Dropped(self.note.first, self.note.text,
                                            "editor's note with no story after it"))
        return self.asm

    def extra(self, _: int, item: Item) -> None:
        if item.kind is ItemKind.WEATHER:
            self.asm.extras.append(Extra("weather", weather_text(item.blocks[0])))
        else:
            self.asm.extras.append(Extra(EXTRA_KINDS[item.kind], text_of(item.blocks)))
        self.latest = None

    def editor_note(self, _: int, item: Item) -> None:
        self.note = item

    def column_head(self, _: int, item: Item) -> None:
        self.column = column_name(item.blocks[0])

    def body(self, idx: int, item: Item) -> None:
        brief = item.kind is ItemKind.BRIEF
        draft = Draft(item, note=self.note, brief=brief, column=self.column)
        self.note = None
        self.asm.drafts.append(draft)
        self.asm.draft_at[idx] = draft
        if not brief:
            self.asm.body_of[idx] = draft
        self.latest = (idx, draft)

    def orphan(self, idx: int, _: Item) -> None:
        self.orphans.append(idx)

    def headline(self, idx: int, item: Item) -> None:
        """The latest body's, when only bylines stand between them; else an orphan."""
        latest = self.latest
        if latest and not latest[1].brief and latest[1].headline is None and all(
                self.items[k].kind is ItemKind.BYLINE for k in range(latest[0] + 1, idx)):
            latest[1].headline = item
            self.asm.headline_of[idx] = latest[1]
        else:
            self.orphans.append(idx)

    def video(self, _: int, item: Item) -> None:
        story = self.asm.drafts[-1] if self.asm.drafts else None
        if story:
            story.video = True
        self.asm.dropped.append(Dropped(item.first, item.text, f"{VIDEO_PROMPT} (QR code)" + (
            "" if story else "; no story above it")))


def collect_drafts(items: Sequence[Item]) -> Assembly:
    """Bodies and briefs start drafts; a headline group belongs to the latest body when
    only bylines stand between them (the photo credit sits there); an editor's note goes
    with the story after it; a 简讯 column head names the briefs under it; a video prompt
    marks the story above it; weather boxes, notices and ads are extras. Then the
    headlines no body before them took find their story (`adopt_orphan_headlines`)."""
    collector = _Collector(items)
    asm = collector.run()
    adopt_orphan_headlines(items, collector.orphans, asm)
    set_page_columns(asm)
    return asm


def place_quote(item: Item, asm: Assembly) -> None:
    """A quote box belongs to the story it stands in, else to the nearest story above it
    (on a page where it sits between stories), else to the first story below."""
    line = item.first
    inside = [d for d in asm.drafts if d.body.first <= line <= d.body.last]
    above = [d for d in asm.drafts if d.body.first < line]
    if inside or above:
        (inside or above)[-1].quotes.append(item)
    elif asm.drafts:
        asm.drafts[0].quotes.append(item)
    else:
        asm.dropped.append(Dropped(item.first, item.text, "quote box with no story"))


def adopt_orphan_headlines(items: Sequence[Item], orphans: Iterable[int], asm: Assembly) -> None:
    """A headline group with no body before it goes to the body right after it (only bylines
    between) if that body has none (a title printed first). A lone display line that no
    body takes and that stands above stories is the page's column head (`东湖`): it names
    the stories under it. Anything else is reported as dropped."""
    for idx in orphans:
        k = idx + 1
        while k < len(items) and items[k].kind is ItemKind.BYLINE:
            k += 1
        draft = asm.body_of.get(k)
        item = items[idx]
        if draft is not None and draft.headline is None:
            draft.headline = item
            asm.headline_of[idx] = draft
        elif is_column_head(item) and any(d > idx for d in asm.draft_at):
            asm.page_columns[idx] = column_name(item.blocks[0])
        else:
            asm.dropped.append(Dropped(item.first, item.text,
                                       "headline group with no article body"))


def is_column_head(item: Item) -> bool:
    """One display line alone: a column's name, not a headline group."""
    return (len(item.blocks) == 1 and len(item.lines) == 1
            and is_headline_like(item.blocks[0]))


def set_page_columns(asm: Assembly) -> None:
    """Each draft not in a 简讯 column takes the nearest page column head above it."""
    heads = sorted(asm.page_columns.items())
    for idx, draft in asm.draft_at.items():
        if draft.column is None:
            above = [name for at, name in heads if at < idx]
            draft.column = above[-1] if above else None


def attribute_bylines(items: Sequence[Item], asm: Assembly) -> None:
    """The spec's rules, strongest evidence first: (1) between a body and its headline group,
    (2) glued under a headline group, then (3) just before a body. An article takes one byline
    box; a box that fits nowhere is an unassigned byline of the page."""
    boxes: dict[int, tuple[list[Byline], bool]] = {}
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
        boxes[idx] = (parsed.bylines, parsed.literary)

    def layout_owner(idx: int) -> Draft | None:
        prev = idx - 1
        nxt = idx + 1
        if prev in asm.body_of and asm.headline_of.get(nxt) is asm.body_of[prev]:
            return asm.body_of[prev]
        if prev in asm.headline_of and items[idx].glued_above:
            return asm.headline_of[prev]
        return None

    def signs_the_piece_above(idx: int) -> Draft | None:
        """A literary signature right after the text of a piece whose title came first
        (`作者 沈悦` closing an essay): the author signs at the end."""
        prev = idx - 1
        draft = asm.body_of.get(prev)
        if boxes[idx][1] and draft is not None and draft.headline is not None and (
                draft.headline.first < draft.body.first):
            return draft
        return None

    placed: set[int] = set()
    for rule in (layout_owner, signs_the_piece_above, lambda idx: asm.body_of.get(idx + 1)):
        for idx, (box, literary) in boxes.items():
            if idx in placed:
                continue
            owner = rule(idx)
            if owner is not None and not owner.bylines:
                owner.bylines = list(box)
                owner.literary = literary
                placed.add(idx)
    asm.unassigned = [box for idx, (box, _) in boxes.items() if idx not in placed]


def town_words(towns: Iterable[Town]) -> list[str]:
    """Gazetteer spellings, as user words for the segmenter."""
    return [s for t in towns for s in t.spellings]


# ------------------------------------------------------------------------------ API


def parse_page(text: str, page_name: str, towns: Sequence[Town],
               segmenter: Cutter | None = None) -> ParsedPage:
    """Recover the articles of one raw page (already decoded by `rawtext`).

    `segmenter` (see `sitegen.text.segment`) should be created once per run and passed in: making
    one loads jieba's dictionary. Without it a segmenter knowing the town names is made.
    Raises `SitegenError` naming `page_name` when the page holds no article (a body with a
    headline, or a brief) and no notice or ad.
    """
    seg = segmenter if segmenter is not None else Segmenter(town_words(towns))
    items = layout(split_blocks(split_lines(text)), seg)
    asm = collect_drafts(items)
    attribute_bylines(items, asm)
    if not any(d.headline or d.brief for d in asm.drafts) and not any(
            e.kind in ("notice", "ad") for e in asm.extras):
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
