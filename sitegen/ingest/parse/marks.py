"""Printed marks: the short, fixed phrases a page uses to label its parts.

Each is a small rule over one line or one paragraph of text, named for what it marks
(`docs/edition-pages.md`): datelines (`本报讯`, a wire dispatch), jump lines (转版), the
labels of a lead and of an editor's note, a wire source (`据新华社`), the head of a notice,
a contact line (which no headline carries, so it marks an ad). Keeping them here, apart
from the layout rules that use them, lets each be tested on its own strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.text.cjk import close_letter_spacing

DATELINE = "本报讯"
AGENCIES: tuple[str, ...] = ("新华社", "中新社", "中国新闻社", "人民日报", "央视新闻")
"""Wire agencies a county paper reprints; their dispatches carry a dateline of their own."""

_AGENCY = "|".join(AGENCIES)
_WIRE = re.compile(
    rf"^(?P<dispatch>(?P<agency>{_AGENCY})[\u4e00-\u9fff]{{1,8}}?\s*\d{{1,2}}\s*月\s*"
    rf"\d{{1,2}}\s*日\s*电)\s*(?:（(?P<names>[^（）]{{1,40}})）)?")
"""`新华社北京3月11日电（记者 王立新 陈晨）`: the dispatch, then the reporters in brackets."""
_WIRE_START = re.compile(rf"^(?:{_AGENCY})[\u4e00-\u9fff]{{1,8}}?\s*\d{{1,2}}\s*月")
"""Enough of a dispatch to know a line starts one, even when the line wraps inside it."""

_LABEL = r"[0-9A-Za-z]?\s*\d{1,2}"
_JUMP_TO = re.compile(rf"[（(]\s*下转\s*第?\s*(?P<label>{_LABEL})\s*版\s*[）)]\s*$")
_JUMP_FROM = re.compile(rf"^\s*[（(]\s*上接\s*第?\s*(?P<label>{_LABEL})\s*版\s*[）)]")
_SOURCE = re.compile(rf"^[（(]?\s*据\s*(?P<agency>{_AGENCY})\s*(?:电|报道|消息)?\s*[）)]?$")
_SOURCE_SUFFIX = re.compile(rf"[（(]\s*据\s*(?P<agency>{_AGENCY})\s*(?:电|报道|消息)?\s*[）)]$")

LEAD_LABELS: tuple[str, ...] = ("核心提示", "导语", "导读")
NOTE_LABELS: tuple[str, ...] = ("编者按",)
_LABELLED = {
    kind: re.compile(rf"^(?:【\s*(?:{'|'.join(labels)})\s*】|(?:{'|'.join(labels)})\s*[：:])\s*")
    for kind, labels in (("lead", LEAD_LABELS), ("note", NOTE_LABELS))
}

_NOTICE_HEAD = re.compile(r"^[\u4e00-\u9fff]{0,10}(?:声明|启事|公告|通告|告示|讣告)$|^招聘$")
"""`遗失声明`, `招聘启事`, `公告`: the head of a notice, alone on its line."""
_CONTACT = re.compile(
    r"(?:热线|电话|咨询|订购|预订|联系)\s*[：:]?\s*\d[\d -]{6,}"
    r"|(?<!\d)(?:400-?\d{3}-?\d{4}|0\d{2,3}-\d{7,8}|1[3-9]\d{9})(?!\d)"
    r"|扫码(?!看视频)|二维码|关注公众号")
"""A phone number, hotline or QR prompt: what an ad prints and a headline never does."""


def normalize_label(printed: str) -> str:
    """A page label as a jump line prints it, without spaces and with a capital letter:
    `第 C02 版` → `C02`, `2` → `2` (digits are kept as printed: `02` stays `02`)."""
    return re.sub(r"\s+", "", printed).upper()


def has_dateline(text: str) -> bool:
    """The line starts a dated story: `本报讯`, or a wire dispatch (`新华社北京3月11日电`)."""
    return text.startswith(DATELINE) or bool(_WIRE_START.match(text))


@dataclass(frozen=True)
class WireDateline:
    dispatch: str
    """As printed, spaces removed: `新华社北京3月11日电`."""
    agency: str
    names: str | None
    """The bracket after the dispatch (`记者 王立新 陈晨`), read as a byline by the caller."""
    rest: str
    """The paragraph after the dispatch and its bracket."""


def wire_dateline(paragraph: str) -> WireDateline | None:
    """Split a wire story's first paragraph into its dispatch, reporters and text."""
    match = _WIRE.match(paragraph)
    if match is None:
        return None
    return WireDateline(
        dispatch=re.sub(r"\s+", "", match["dispatch"]), agency=match["agency"],
        names=match["names"], rest=paragraph[match.end():].lstrip())


def jump_to(text: str) -> str | None:
    """`…（下转第A02版）` at the end of a line → `A02`: the story goes on on that page."""
    match = _JUMP_TO.search(text)
    return normalize_label(match["label"]) if match else None


def strip_jump_to(text: str) -> str:
    return _JUMP_TO.sub("", text).rstrip()


def jump_from(text: str) -> str | None:
    """`（上接第A01版）` opening a line → `A01`: this text continues a story from there."""
    match = _JUMP_FROM.match(text)
    return normalize_label(match["label"]) if match else None


def strip_jump_from(text: str) -> str:
    return _JUMP_FROM.sub("", text, count=1).lstrip()


def is_jump_line(text: str) -> bool:
    """A line that is nothing but a jump mark: body furniture, never a headline."""
    return bool(_JUMP_TO.fullmatch(text.strip()) or (_JUMP_FROM.match(text)
                                                        and not strip_jump_from(text)))


def source_line(text: str) -> str | None:
    """`据新华社` (or `（据新华社电）`) alone on a line → `新华社`: the agency a story is from."""
    match = _SOURCE.match(text.strip())
    return match["agency"] if match else None


def source_suffix(text: str) -> tuple[str, str] | None:
    """`…转变。（据新华社）` → (`…转变。`, `新华社`): the same mark closing the last paragraph."""
    match = _SOURCE_SUFFIX.search(text)
    return (text[:match.start()].rstrip(), match["agency"]) if match else None


def labelled(kind: str, text: str) -> str | None:
    """The text after a `核心提示：` (kind `lead`) or `编者按：` (kind `note`) label, or None."""
    match = _LABELLED[kind].match(text)
    return text[match.end():] if match else None


def starts_labelled(text: str) -> bool:
    return labelled("lead", text) is not None or labelled("note", text) is not None


_STORY_START = re.compile("|".join(
    [re.escape(DATELINE)] + [f"(?:{p.pattern.removeprefix('^')})" for p in (
        _WIRE_START, _JUMP_FROM, _LABELLED["lead"], _LABELLED["note"])]))
"""Any of `has_dateline`, `jump_from`, `starts_labelled` at once (each is anchored at the
line's start, so their alternation matches where one of them does): asked of every line."""


def starts_story(text: str) -> bool:
    """A line that can only be the first of a story's text frame: a dateline, a jump
    line `（上接…）`, a lead or an editor's note. Such a line starts a new block and a new
    stretch even when the extractor glued it to the text above."""
    return _STORY_START.match(text) is not None


def is_notice_head(text: str) -> bool:
    """`遗失声明`, `招 聘 启 事`: a notice's head on a line of its own."""
    return bool(_NOTICE_HEAD.match(close_letter_spacing(text.strip()).replace(" ", "")))


def is_contact(text: str) -> bool:
    return bool(_CONTACT.search(text))
