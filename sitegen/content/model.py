"""The one data model every pipeline stage speaks.

raw text --parse--> ParsedPage --import--> Markdown files --load--> Site --render--> HTML

Parsing produces `ParsedPage` (exactly the gold-file schema, plus what the review report
needs). The importer stores each `Article` as a Markdown file and reads it back as a
`StoredArticle` (the article plus where it sits in an edition). The site loader groups
those into `Edition` / `Page` and everything downstream (HTML, feeds, search) reads them.
All of these are plain, immutable-by-convention dataclasses so stages stay pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROLES: tuple[str, ...] = (
    "记者", "见习记者", "实习生", "通讯员", "特约通讯员", "摄影", "作者", "文", "图")
"""Byline roles in the order the reporters index groups them."""

KINDS: tuple[str, ...] = ("news", "commentary", "photo", "brief", "literary")
EXTRA_KINDS: tuple[str, ...] = ("weather", "notice", "ad")


@dataclass(frozen=True)
class Byline:
    role: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "name": self.name}


@dataclass(frozen=True)
class Heading:
    """An intertitle (小标题): `text` stands above paragraph number `before` (0-based)."""

    before: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"before": self.before, "text": self.text}


@dataclass(frozen=True)
class Quote:
    """A pull quote (quote box): the quoted words as printed and who said them."""

    text: str
    source: str | None

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "source": self.source}


@dataclass
class Article:
    """One story as recovered from a page; field names and order follow the gold schema
    (`docs/raw-pages.md`, extended by `docs/edition-pages.md`)."""

    kind: str
    kicker: str | None
    title: str | None
    """None only for a brief printed without a lead phrase."""
    subtitle: str | None
    dateline: str | None
    bylines: list[Byline]
    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    video: bool = False
    towns: list[str] = field(default_factory=list)
    source_lines: tuple[int, int] = (0, 0)
    lead: str | None = None
    editor_note: str | None = None
    column: str | None = None
    source: str | None = None
    """The wire agency the story comes from (`新华社`), from its dateline or `据新华社`."""
    headings: list[Heading] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    continued_to: str | None = None
    continued_from: str | None = None
    """Page labels of a jump (转版) as printed, normalised (`2`, `A02`)."""
    verse: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "dateline": self.dateline,
            "bylines": [b.to_dict() for b in self.bylines],
            "paragraphs": list(self.paragraphs),
            "captions": list(self.captions),
            "video": self.video,
            "towns": list(self.towns),
            "source_lines": list(self.source_lines),
            "lead": self.lead,
            "editor_note": self.editor_note,
            "column": self.column,
            "source": self.source,
            "headings": [h.to_dict() for h in self.headings],
            "quotes": [q.to_dict() for q in self.quotes],
            "continued_to": self.continued_to,
            "continued_from": self.continued_from,
            "verse": self.verse,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        """The inverse of `to_dict`; fields added after a file was written read as empty."""
        return cls(
            kind=data["kind"],
            kicker=data.get("kicker"),
            title=data.get("title"),
            subtitle=data.get("subtitle"),
            dateline=data.get("dateline"),
            bylines=[Byline(b["role"], b["name"]) for b in data.get("bylines") or []],
            paragraphs=list(data.get("paragraphs") or []),
            captions=list(data.get("captions") or []),
            video=bool(data.get("video", False)),
            towns=list(data.get("towns") or []),
            source_lines=tuple(data.get("source_lines") or (0, 0)),  # type: ignore[arg-type]
            lead=data.get("lead"),
            editor_note=data.get("editor_note"),
            column=data.get("column"),
            source=data.get("source"),
            headings=[Heading(h["before"], h["text"]) for h in data.get("headings") or []],
            quotes=[Quote(q["text"], q.get("source")) for q in data.get("quotes") or []],
            continued_to=data.get("continued_to"),
            continued_from=data.get("continued_from"),
            verse=bool(data.get("verse", False)),
        )


@dataclass(frozen=True)
class Extra:
    """A page item that is not an article: the weather box, a notice (遗失声明, 启事), an ad."""

    kind: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class Dropped:
    """Page furniture that belongs to no article (a video prompt), kept for the review report."""

    line: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "text": self.text, "reason": self.reason}

    @property
    def expected(self) -> bool:
        """Furniture the parser recognised and means to leave out (a video prompt, whose
        story is marked `video`), as opposed to text that fit no rule."""
        return self.reason.startswith(VIDEO_PROMPT)


VIDEO_PROMPT = "video prompt"


@dataclass
class ParsedPage:
    """One raw page's parse. `to_dict` is exactly the gold schema; `dropped` is report-only."""

    page: str
    articles: list[Article]
    unassigned_bylines: list[list[Byline]] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "page": self.page,
            "articles": [a.to_dict() for a in self.articles],
            "unassigned_bylines": [
                [b.to_dict() for b in group] for group in self.unassigned_bylines
            ],
            "extras": [e.to_dict() for e in self.extras],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ParsedPage:
        return cls(
            page=data["page"],
            articles=[Article.from_dict(a) for a in data["articles"]],
            unassigned_bylines=[
                [Byline(b["role"], b["name"]) for b in group]
                for group in data["unassigned_bylines"]
            ],
            extras=[Extra(e["kind"], e["text"]) for e in data["extras"]],
        )


# ---------------------------------------------------------------- stored content (after import)


@dataclass
class StoredArticle:
    """An article as read back from `content/YYYY-MM-DD/*.md`: the article plus its place."""

    article: Article
    date: date
    page: str
    """The label of the page it starts on (`01`, `A01`; see `sitegen.text.labels`)."""
    page_name: str
    order: int
    source: str
    path: Path
    pages: tuple[str, ...] = ()
    """Every page it is printed on, when a jump (转版) carries it over to another: `(A01,
    A02)`. Empty for a story on one page."""

    @property
    def key(self) -> str:
        """Stable identity inside an edition: page and order, e.g. `01-03`, `A01-03`."""
        return f"{self.page}-{self.order:02d}"

    @property
    def printed_on(self) -> tuple[str, ...]:
        return self.pages or (self.page,)


@dataclass(frozen=True)
class ContinuationRef:
    """The second part of a jumped story, as its page lists it: `上接第A01版` and a link to
    the joined article (`article` is that article's key, `A01-03`)."""

    continued_from: str
    article: str
    title: str | None
    repeated_title: str | None
    source_lines: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, object]:
        return {"continued_from": self.continued_from, "article": self.article,
                "title": self.title, "repeated_title": self.repeated_title,
                "source_lines": list(self.source_lines)}


@dataclass
class StoredPage:
    """A page's own data (name, extras, unassigned bylines, continuations) from its file."""

    date: date
    label: str
    name: str
    extras: list[Extra] = field(default_factory=list)
    unassigned_bylines: list[list[Byline]] = field(default_factory=list)
    source: str = ""
    continuations: list[ContinuationRef] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    """What the parser could place nowhere on this page, kept for review (`sitegen check`)."""


@dataclass
class Edition:
    """One day's paper: its pages in order, each with its articles in page order."""

    date: date
    number: int | None
    pages: list[EditionPage]

    @property
    def articles(self) -> list[StoredArticle]:
        return [a for p in self.pages for a in p.articles]


@dataclass
class EditionPage:
    meta: StoredPage
    articles: list[StoredArticle]

    @property
    def label(self) -> str:
        return self.meta.label

    @property
    def name(self) -> str:
        return self.meta.name
