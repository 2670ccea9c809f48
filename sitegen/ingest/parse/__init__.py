"""Raw page text → `ParsedPage`: the articles recovered from one extracted newspaper page.

Modules, in pipeline order: `lines` (numbered lines → blocks), `layout` (blocks → body,
headline, byline, video items), `bylines`, `headlines`, `body` (the pure readers of each
item), `page` (assembly and byline attribution). See `docs/raw-pages.md` for the format and
`docs/parser-notes.md` for what the parser does with pages it has never seen.
"""

from sitegen.ingest.parse.page import PageParser, page_parser, parse_page

__all__ = ["PageParser", "page_parser", "parse_page"]
