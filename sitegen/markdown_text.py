"""Escaping article text for Markdown so that reading the file back gives the same text.

Editors open these files, so escaping is minimal: a character is escaped only where
Markdown would give it meaning (emphasis, code, links, a list or heading marker at the
start of a line). Numbers like `959.6` or `2+2+2` stay readable. The set of escapable
characters is Python-Markdown's, so the renderer shows exactly the escaped character.
"""

from __future__ import annotations

import re

from sitegen.cjk import join_wrapped

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
