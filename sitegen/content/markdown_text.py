"""Escaping article text for Markdown so that reading the file back gives the same text.

Editors open these files, so escaping is minimal: a character is escaped only where
Markdown would give it meaning (emphasis, code, links, a list or heading marker at the
start of a line). Numbers like `959.6` or `2+2+2` stay readable. The set of escapable
characters is Python-Markdown's, so the renderer shows exactly the escaped character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sitegen.content.model import Heading
from sitegen.text.cjk import join_wrapped

# Python-Markdown's backslash-escapable characters (markdown.Markdown.ESCAPED_CHARS).
ESCAPABLE = "\\`*_{}[]()>#+-.!"

# Anywhere in a line these start inline syntax: emphasis, code, links/images, escapes.
_INLINE = re.compile(r"([\\`*_\[\]])")
# At the start of a line these make a block: heading, quote, list, rule, setext underline.
_LINE_START = re.compile(r"^([#>+\-*])")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_UNESCAPE = re.compile(r"\\([" + re.escape(ESCAPABLE) + r"])")
_ENTITY_AMP = re.compile(r"&amp;(?=(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


def _escaped(match: re.Match[str]) -> str:
    return "\\" + match.group(1)


def _unescaped(match: re.Match[str]) -> str:
    """The escaped character. A function, not the template `\\1`, which is expanded by
    Python code per match: a body of 400,000 backslashes took three times as long as one
    of 200,000 that way; this way twice as long."""
    return match.group(1)


def escape_paragraph(text: str) -> str:
    """One paragraph of plain text as one line of Markdown that renders as that text."""
    # Paragraphs are single lines without outer white space (four leading spaces would
    # make a code block); the parser never produces anything else.
    text = " ".join(text.split("\n")).strip()
    text = _INLINE.sub(_escaped, text)
    # `&copy;` in the text must stay literal: write the ampersand as an entity.
    text = _ENTITY.sub(lambda m: "&amp;" + m.group(0)[1:], text)
    text = _LINE_START.sub(r"\\\1", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    return text


def unescape_paragraph(markdown_text: str) -> str:
    """The plain text of one Markdown paragraph written by `escape_paragraph` (or an editor).

    Lines an editor wrapped by hand are joined the CJK way (no space between Chinese)."""
    joined = join_wrapped(markdown_text.split("\n"))
    joined = _ENTITY_AMP.sub("&", joined)
    return _UNESCAPE.sub(_unescaped, joined)


def paragraphs_to_markdown(paragraphs: list[str]) -> str:
    return "\n\n".join(escape_paragraph(p) for p in paragraphs) + "\n"


def markdown_to_paragraphs(body: str) -> list[str]:
    blocks = re.split(r"\n[ \t]*\n", body.strip())
    return [p for p in (unescape_paragraph(b) for b in blocks) if p]


HEADING_MARK = "## "
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
"""An ATX heading an editor may type at any level (a closing run of `#` after a space is
not text, as in CommonMark); sitegen writes `## `."""


def escape_verse(stanza: str) -> str:
    """A stanza: each of its lines escaped as a paragraph, kept on lines of their own."""
    return "\n".join(escape_paragraph(line) for line in stanza.split("\n"))


def body_to_markdown(paragraphs: Sequence[str], headings: Sequence[Heading] = (),
                     verse: bool = False) -> str:
    """An article body: paragraphs (a poem's stanzas, line by line, when `verse`), with each
    intertitle as a `## ` heading before the paragraph it stands above."""
    escape = escape_verse if verse else escape_paragraph
    blocks = [escape(p) for p in paragraphs]
    for heading in sorted(headings, key=lambda h: h.before, reverse=True):
        blocks.insert(heading.before, HEADING_MARK + escape_paragraph(heading.text))
    return "\n\n".join(blocks) + "\n"


def markdown_to_body(body: str, verse: bool = False) -> tuple[list[str], list[tuple[int, str]]]:
    """Paragraphs and intertitles `(before, text)` of a body written by `body_to_markdown` or
    an editor. In a poem (`verse`) a paragraph's lines stay lines; elsewhere lines an editor
    wrapped are joined."""
    paragraphs: list[str] = []
    headings: list[tuple[int, str]] = []
    for block in re.split(r"\n[ \t]*\n", body.strip()):
        heading = _HEADING.match(block) if "\n" not in block else None
        if heading is not None:
            text = unescape_paragraph(heading["text"])
            if text:
                headings.append((len(paragraphs), text))
            continue
        if verse:
            lines = [unescape_paragraph(line) for line in block.split("\n")]
            text = "\n".join(line for line in lines if line)
        else:
            text = unescape_paragraph(block)
        if text:
            paragraphs.append(text)
    return paragraphs, headings
