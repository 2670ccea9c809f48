"""Pages in layouts the parser was not written from.

`tests/fixtures/layouts/` holds fourteen pages and a two-page edition written for this
project in the extraction style of the contract, each with the parse a careful editor
expects (a page's `notes` say where the expectation follows a rule of the spec rather
than an editor's eye). They were written after the parser, to find what it gets wrong:
a feature with a quote box between paragraphs and an intertitle followed by a column
break, pages of poems (title first, title last, in a row), 简讯 columns with a doubled
head, a wrapped bracketed byline and a brief opening with its date, wire stories whose
dispatch bracket wraps, notices signed with issuer and date, a dense 要闻 page and more.
The failures they found are fixed and each stays tested here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.ingest.importer import parse_raw_pages
from sitegen.ingest.parse import parse_page
from sitegen.ingest.parse.edition import join_jumps
from sitegen.ingest.raw import raw_page_files
from sitegen.text.rawtext import read_page

REPO = Path(__file__).resolve().parent.parent
LAYOUTS = REPO / "tests" / "fixtures" / "layouts"
PAGES = sorted(p.stem for p in LAYOUTS.glob("p*.txt"))



def expected(name: str) -> dict:
    data = json.loads((LAYOUTS / f"{name}.expected.json").read_text("utf-8"))
    data.pop("notes", None)
    return data


@pytest.mark.parametrize("name", PAGES)
def test_page_parses_as_an_editor_reads_it(name: str, towns, seg) -> None:
    path = LAYOUTS / f"{name}.txt"
    page = parse_page(read_page(path), path.name, towns, segmenter=seg)
    assert page.to_dict() == expected(name)


def test_edition_joins_its_jumps_and_reports_the_one_without_continuation(towns, seg) -> None:
    pages = parse_raw_pages(raw_page_files(LAYOUTS / "edition"), seg_parser(towns, seg))
    edition = join_jumps(pages, towns)
    want = expected("edition")
    assert [p.to_dict() for p in edition.pages] == want["pages"]
    assert [vars(u) for u in edition.unmatched] == want["unmatched"]


def seg_parser(towns, seg):
    def parse(text: str, name: str):
        return parse_page(text, name, towns, segmenter=seg)
    return parse


def test_there_are_pages_of_every_kind() -> None:
    """The corpus stays what the module docstring says (a guard against an emptied folder)."""
    assert len(PAGES) == 14


# Layouts the synthetic archive (bench/generate.py) ran into, each a whole small page in
# tests/fixtures/layouts/limits/: (kind, title, subtitle, column, paragraphs, headings) of
# every article, then the page's unassigned bylines and extras' kinds.
LIMITS = {
    # jieba reads `兴平` across `…经济兴` / `平湖…`: no word test for a short phrase line
    "intertitle_into_word": ([("news", "全市经济工作会议召开", None, None, 3, 1)], 0, []),
    # a jump line closes the story above a headline, as a `。` would
    "jump_then_photo": ([("news", "我市出台十条措施助推制造业技改提速", None, None, 1, 0),
                         ("photo", "油菜花开春意浓", None, None, 1, 0)], 0, []),
    # the line keeps its printed width once `（上接第A01版）` is read out of it
    "inline_jump_from": ([("news", "我市出台十条措施", None, None, 1, 0)], 0, []),
    # the first line of the text below a column head, cut off by a column break
    "break_under_column_head": ([("literary", "山海之间的新赛道", None, "九龙山", 1, 0)], 0, []),
    # a clause with a quoted name's space, cut off by a column break: no couplet, no
    # intertitle, and no headline over markless text
    "break_after_quoted_space": ([("news", "广陈镇农民丰收节开幕", None, None, 2, 0)], 0, []),
    # a photo story's first frame, full lines of its column, is no subtitle of the headline
    "break_in_photo_story": ([("news", "港口工作会议召开", None, None, 1, 0),
                              ("photo", "独山港区泊位", None, None, 1, 0)], 0, []),
    # a notice's head ends the display lines above it
    "notice_under_headline": ([("news", "守护“舌尖上的安全”", None, None, 1, 0)], 0,
                              ["notice"]),
    # a column head over a title printed first
    "column_head_over_titled_poem": ([("literary", "春到广陈", None, "东湖", 2, 0)], 0, []),
}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_layouts_the_synthetic_archive_ran_into(name: str, towns, seg) -> None:
    path = LAYOUTS / "limits" / f"{name}.txt"
    page = parse_page(read_page(path), path.name, towns, segmenter=seg)
    articles, unassigned, extras = LIMITS[name]
    assert [(a.kind, a.title, a.subtitle, a.column, len(a.paragraphs), len(a.headings))
            for a in page.articles] == articles
    assert (len(page.unassigned_bylines), [e.kind for e in page.extras]) == (unassigned, extras)
