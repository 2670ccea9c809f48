"""What an editor should look at after an import: per page (articles without a byline or
title, bylines no article took, what fits no rule, jumps without their other part) and the
import's summary, as the command prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from sitegen import wording
from sitegen.content.model import Article, ParsedPage
from sitegen.ingest.parse.edition import EditionPageParse, UnmatchedJump


@dataclass
class PageReport:
    """What an editor should look at for one page after an import."""

    date: date
    label: str
    source: str
    articles: int
    without_byline: list[str]
    unassigned_bylines: list[str]
    dropped: list[str]
    extras: list[str]
    without_title: list[str] = field(default_factory=list)
    unmatched_jumps: list[str] = field(default_factory=list)


def _page_report_dict(page: PageReport) -> dict[str, object]:
    """A page report as stored in the manifest (the edition's date is the folder's)."""
    data = asdict(page)
    del data["date"]
    return data


@dataclass
class EditionReport:
    date: date
    pages: list[PageReport] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    kept_deleted: list[str] = field(default_factory=list)


def _review_title(article: Article) -> str:
    if article.title:
        return article.title
    column = f", a brief of {article.column}" if article.column else ""
    return f"(no title{column}, lines {article.source_lines[0]}-{article.source_lines[1]})"


def page_report(day: date, label: str, source: str, page: EditionPageParse,
                parsed: ParsedPage, unmatched: Sequence[UnmatchedJump]) -> PageReport:
    """What an editor should look at on one page: articles without a byline (briefs
    included), bylines no article took, what fits no rule, jumps that found no other part."""
    articles = [placed.article for placed in page.articles]
    return PageReport(
        date=day,
        label=label,
        source=source,
        articles=len(articles),
        without_byline=[_review_title(a) for a in articles if not a.bylines],
        unassigned_bylines=[" ".join(f"{b.role} {b.name}" for b in g)
                            for g in parsed.unassigned_bylines],
        dropped=[f"line {d.line}: {d.text} ({d.reason})" for d in parsed.dropped],
        extras=[f"{e.kind}: {e.text}" for e in parsed.extras],
        without_title=[f"lines {a.source_lines[0]}-{a.source_lines[1]}: "
                       f"{(a.paragraphs[0] if a.paragraphs else '')[:20]}…"
                       for a in articles if not a.title and a.kind != "brief"],
        unmatched_jumps=[
            f"{j.title or '(no title)'}: "
            + (f"（下转第{j.printed}版） but no continuation there" if j.direction == "to"
               else f"（上接第{j.printed}版） but no story there jumps here")
            for j in unmatched if j.label == label],
    )


def format_report(reports: Sequence[EditionReport]) -> str:
    """The short review report printed after an import: what a person should look at."""
    lines = []
    for rep in reports:
        total = sum(p.articles for p in rep.pages)
        lines.append(f"{rep.date.isoformat()}: {wording.count(len(rep.pages), 'page')}, "
                     f"{wording.count(total, 'article')}; "
                     f"{wording.count(len(rep.written), 'file')} written, "
                     f"{len(rep.unchanged)} unchanged")
        for page in rep.pages:
            lines.append(f"  page {page.label} ({page.source}): "
                         f"{wording.count(page.articles, 'article')}")
            for what, items in (
                    ("review: no title found (add one before building)", page.without_title),
                    ("review: no byline", page.without_byline),
                    ("review: unassigned byline", page.unassigned_bylines),
                    ("review: jump without its other part", page.unmatched_jumps),
                    ("dropped", page.dropped),
                    ("extra", page.extras)):
                lines += [f"    {what}: {item}" for item in items]
        for name in rep.kept_edited:
            lines.append(f"  kept (edited by hand, use --force to regenerate): {name}")
        for name in rep.kept_deleted:
            lines.append(f"  not recreated (deleted by hand, use --force to regenerate): {name}")
    if not reports:
        lines.append("nothing to import (every raw edition is imported and unchanged since; "
                     "name dates to import again)")
    return "\n".join(lines)
