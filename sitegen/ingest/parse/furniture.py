"""Page furniture: what stands on a page beside the articles and is not one of them.

- The weather box (page one): a short forecast, kept as a page extra.
- Notices (遗失声明, 招聘启事, 公告): a head on its own line, then prose; an extra of kind
  `notice`, never an article, though its prose looks like a body.
- Ads: display lines with a phone number, hotline or QR prompt (`服务热线：400-…`): an
  extra of kind `ad`. A headline never prints a phone number, so the contact line is what
  tells an ad's slogans from a headline group.
- Quote boxes (pull quotes): a quoted sentence or two, then the speaker on a short line of
  its own, often with a bracketed role under it. They belong to the story they stand in or
  next to, but are not part of its text.

Each test is over blocks (`lines.Block`) and says why it holds; the layout decides where
they are looked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.content.model import Quote
from sitegen.ingest.parse.lines import Block, BlockKind
from sitegen.ingest.parse.marks import is_contact, is_notice_head
from sitegen.text.cjk import is_han, join_unwrapped, normalize_text_spacing

WEATHER_MAX_CHARS = 200
_WEATHER_MEASURE = re.compile(r"气温|℃|降水|风力")
_WEATHER_SKY = re.compile(r"晴|阴|多云|[小中大暴阵]雨|雨夹雪|[小中大]雪|[东南西北]风|\d级")
_WEATHER_DAY = re.compile(r"今天|明天|今日|明日|今夜|夜里|白天|后天")
"""A forecast speaks of today and tomorrow; a story that mentions 气温 and 晴 (a wire story
on spring tea, say) need not."""

QUOTE_OPEN = "“"
QUOTE_CLOSE = "”"
SPEAKER_MAX_CHARS = 8


def text_of(blocks: Sequence[Block]) -> str:
    """An extra's text: each frame (block) joined and normalised, frames joined by `\\n`."""
    return "\n".join(normalize_text_spacing(join_unwrapped(b.texts)) for b in blocks)


# ------------------------------------------------------------------------------ weather


def is_weather(text: str) -> bool:
    """The weather box: a short forecast with a measurement and a sky/wind word."""
    return (len(text) <= WEATHER_MAX_CHARS and bool(_WEATHER_MEASURE.search(text))
            and bool(_WEATHER_SKY.search(text)) and bool(_WEATHER_DAY.search(text)))


def weather_text(block: Block) -> str:
    return normalize_text_spacing(join_unwrapped(block.texts))


# ------------------------------------------------------------------------------ notices, ads


def is_notice_head_block(block: Block) -> bool:
    return (block.kind is BlockKind.TEXT and len(block.lines) == 1
            and is_notice_head(block.lines[0].text))


def has_contact(block: Block) -> bool:
    return any(is_contact(t) for t in block.texts)


_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
SIGNATURE_MAX_LINES = 3


def is_notice_signature(block: Block) -> bool:
    """The issuer and date that close a notice (`平湖市林埭镇人民政府` / `2024年3月18日`):
    short display-like lines, the last a full date."""
    return (block.kind is BlockKind.TEXT and len(block.lines) <= SIGNATURE_MAX_LINES
            and bool(_DATE_LINE.match(block.lines[-1].text.strip())))


# ------------------------------------------------------------------------------ quote boxes


@dataclass(frozen=True)
class QuoteBox:
    block: Block
    quote: Quote


def _is_speaker(text: str) -> bool:
    """A speaker's name on its own line: a few Han characters (a `·` in transcribed
    names), no sentence punctuation."""
    core = text.replace("·", "").replace(" ", "")
    return (0 < len(core) <= SPEAKER_MAX_CHARS and all(is_han(ch) for ch in core))


def _is_bracketed(text: str) -> bool:
    return text.startswith(("（", "(")) and text.endswith(("）", ")"))


def quote_box(block: Block) -> QuoteBox | None:
    """`“…` lines up to one ending in `”`, then the speaker, then maybe `（role）`.

    A body paragraph can open with a quotation too (`“新政含金量高……”位于曹桥街道…`), but
    its text runs on after the closing mark, and no name line follows it: the box is the
    quotation alone, signed."""
    if block.kind is not BlockKind.TEXT or len(block.lines) < 2:
        return None
    texts = block.texts
    if not texts[0].startswith(QUOTE_OPEN):
        return None
    tail = 2 if len(texts) >= 3 and _is_bracketed(texts[-1]) else 1
    speaker, quoted = texts[-tail:], texts[:-tail]
    if not quoted or not _is_speaker(speaker[0]) or not quoted[-1].endswith(QUOTE_CLOSE):
        return None
    if any(QUOTE_CLOSE in t for t in quoted[:-1]):  # closed early: a paragraph, not a box
        return None
    text = normalize_text_spacing(join_unwrapped(quoted))
    source = normalize_text_spacing("".join(s.strip() for s in speaker))
    return QuoteBox(block, Quote(text, source))
