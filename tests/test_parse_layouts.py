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

from sitegen.config import Town, load_config
from sitegen.importer import parse_raw_pages, raw_page_files
from sitegen.parse import parse_page
from sitegen.parse.edition import join_jumps
from sitegen.rawtext import read_page
from sitegen.segment import Segmenter, segmenter

REPO = Path(__file__).resolve().parent.parent
LAYOUTS = REPO / "tests" / "fixtures" / "layouts"
PAGES = sorted(p.stem for p in LAYOUTS.glob("p*.txt"))


@pytest.fixture(scope="module")
def towns() -> tuple[Town, ...]:
    return load_config(REPO).towns


@pytest.fixture(scope="module")
def seg(towns: tuple[Town, ...]) -> Segmenter:
    return segmenter([s for t in towns for s in t.spellings])


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
