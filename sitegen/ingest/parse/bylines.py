"""Byline boxes: `■记 者 高 洁` / `通讯员 顾秋叶 李 婷` → 记者 高洁, 通讯员 顾秋叶, 通讯员 李婷.

The box is typeset in a fixed grid, so the extractor letter-spaces short words: role words
(`记 者`) and two-character names, which are padded to the width of three-character ones
(`李 婷`). Tokens are therefore re-assembled before they are read: a role word may be spread
over single-character tokens, and single-character tokens that are not part of a role word
pair up into names. A role applies to every name after it until the next role word; names
before any role word are a pen name (commentary), recorded with the role `作者`.

Beyond page one (`docs/edition-pages.md`) credits take more forms, each a small rule here:
- `本报记者` is `记者`; `特约通讯员`, `实习生` are roles of their own;
- slash credits: `文/图 张三` credits one person for both (one byline per role); `文/张三`
  alone is a literary author (`作者`), as is `□张三` and `作者 张三`;
- a staff title right after a task role qualifies it (`■摄影 记者 王 蓉` is a staff
  photographer: `{摄影, 王蓉}`), and a trailing `摄` makes the names before it photographers;
- a collective signature (`本报评论员`) is a name, though it is no 2–4 character name;
- a bracketed byline (`（通讯员 李明）` closing a brief, the reporters of a wire dateline)
  reads like a box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.content.model import Byline
from sitegen.text.cjk import is_han

MARK = "■"
AUTHOR_MARK = "□"
"""`□张三` signs a literary piece (副刊): the author, never a reporter."""
MARKS = (MARK, AUTHOR_MARK)
PEN_NAME_ROLE = "作者"
PHOTO_ROLE = "摄影"

ROLE_WORDS: tuple[str, ...] = (
    "特约通讯员", "本报记者", "见习记者", "通讯员", "实习生", "记者", "摄影", "作者")
"""Role words a box prints whole or letter-spaced; longest first, so `见习记者` is not read
as `见习` + `记者`."""
SLASH_CREDITS: dict[str, tuple[str, ...]] = {
    "文/图": ("文", "图"), "图/文": ("图", "文"), "文/摄": ("文", PHOTO_ROLE),
    "摄/文": (PHOTO_ROLE, "文"), "文/": ("文",), "图/": ("图",), "摄/": (PHOTO_ROLE,)}
"""Credits printed with a slash. They are matched only as written, never from letter-spaced
single characters: `文` and `图` alone are common in names (`张 文`)."""
ROLE_ALIASES: dict[str, str] = {"本报记者": "记者"}
STAFF_TITLES = frozenset({"记者", "本报记者", "见习记者", "实习生", "通讯员", "特约通讯员"})
TASK_ROLES = frozenset({PHOTO_ROLE, "文", "图", PEN_NAME_ROLE})
"""What a person did for the piece; a staff title right after one only says who they are."""
PHOTO_SUFFIX = "摄"
COLLECTIVE = re.compile(r"^本报(?:特约)?评论员$|^本报编辑部$|^评论员$|^本报调查组$")
"""Collective signatures: the paper's voice, credited as a name."""
NAME_LEN = (2, 4)

_SPLIT = re.compile(r"[ \t\u3000]+")
_SLASH_START = re.compile("^(" + "|".join(
    re.escape(k) for k in sorted(SLASH_CREDITS, key=len, reverse=True)) + ")")


@dataclass
class ParsedByline:
    bylines: list[Byline] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    """Tokens that are neither a role word nor a plausible name: reported, never lost."""
    literary: bool = False
    """Signed the way a 副刊 author is (`□张三`, `文/张三`, `作者 张三`)."""


def is_byline_start(text: str) -> bool:
    return text.lstrip(" \t\u3000").startswith(MARKS)


def _han_only(token: str) -> bool:
    return bool(token) and all(is_han(ch) for ch in token)


def _tokens(text: str) -> list[str]:
    """Whitespace tokens without the mark; `记者钱澄蓉` (no space) splits after the role,
    `文/陆一帆` after the slash credit."""
    text = text.strip(" \t\u3000")
    for mark in MARKS:
        text = text.removeprefix(mark)
    out: list[str] = []
    for token in _SPLIT.split(text.strip(" \t\u3000")):
        if not token:
            continue
        slash = _SLASH_START.match(token)
        if slash:
            out.append(slash[1])
            if token[slash.end():]:
                out.append(token[slash.end():])
            continue
        role = next((r for r in ROLE_WORDS if token.startswith(r) and len(token) > len(r)
                     and _han_only(token[len(r):])), None)
        if role:
            out += [role, token[len(role):]]
        else:
            out.append(token)
    return out


def _match_role(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The role word starting at token `i` (whole, or letter-spaced over single characters)
    and the index after it."""
    if tokens[i] in ROLE_WORDS or tokens[i] in SLASH_CREDITS:
        return tokens[i], i + 1
    joined = ""
    for j in range(i, len(tokens)):
        if len(tokens[j]) != 1:
            break
        joined += tokens[j]
        if joined in ROLE_WORDS:
            return joined, j + 1
        if not any(r.startswith(joined) for r in ROLE_WORDS):
            break
    return None


def _roles_of(word: str) -> tuple[str, ...]:
    return SLASH_CREDITS.get(word) or (ROLE_ALIASES.get(word, word),)


def _is_name(token: str) -> bool:
    return (_han_only(token) and NAME_LEN[0] <= len(token) <= NAME_LEN[1]) or bool(
        COLLECTIVE.match(token))


class _Reader:
    """Reads tokens in printed order; `roles` apply to every name until the next role."""

    def __init__(self) -> None:
        self.result = ParsedByline()
        self.roles: tuple[str, ...] = (PEN_NAME_ROLE,)
        self.word = ""  # the role word as printed ("" for the implicit pen-name role)
        self.named = True  # has the current role any name yet? (the implicit one: no matter)
        self.segment = 0  # index in result.bylines where the current role's names start

    def role(self, word: str) -> None:
        if not self.named and self.word in TASK_ROLES | set(SLASH_CREDITS) and (
                word in STAFF_TITLES):
            return  # `摄影 记者 王蓉`: the staff title qualifies the task role
        if not self.named:
            self.result.leftovers.append(self.word)  # a role word with no name after it
        self.roles, self.word, self.named = _roles_of(word), word, False
        self.segment = len(self.result.bylines)

    def names(self, names: list[str]) -> None:
        self.result.bylines += [Byline(r, n) for n in names for r in self.roles]
        self.named = self.named or bool(names)

    def photo_suffix(self) -> None:
        """`记者 张三 摄`: the names since the last role word took the pictures."""
        tail = self.result.bylines[self.segment:]
        self.result.bylines[self.segment:] = list(
            dict.fromkeys(Byline(PHOTO_ROLE, b.name) for b in tail))

    def finish(self) -> ParsedByline:
        if not self.named:
            self.result.leftovers.append(self.word)
        return self.result


def parse_byline_tokens(tokens: list[str]) -> ParsedByline:
    """Read role words and names in printed order (see the module docstring)."""
    reader = _Reader()
    if len(tokens) > 1 and tokens[-1] == PHOTO_SUFFIX:
        tokens, suffix = tokens[:-1], True
    else:
        suffix = False
    i = 0
    while i < len(tokens):
        matched = _match_role(tokens, i)
        if matched:
            word, i = matched
            reader.role(word)
            continue
        token = tokens[i]
        if len(token) == 1 and is_han(token):
            run: list[str] = []
            while (i < len(tokens) and len(tokens[i]) == 1 and is_han(tokens[i])
                   and not _match_role(tokens, i)):
                run.append(tokens[i])
                i += 1
            names, odd = _pair_singles(run)
            reader.names(names)
            reader.result.leftovers += odd
            continue
        if _is_name(token):
            reader.names([token])
        else:
            reader.result.leftovers.append(token)
        i += 1
    if suffix:
        reader.photo_suffix()
    return reader.finish()


def _pair_singles(run: list[str]) -> tuple[list[str], list[str]]:
    """Letter-spaced names: pairs (`李 婷`), or one three-character name spread out whole."""
    if len(run) == 3:
        return ["".join(run)], []
    names = ["".join(run[k:k + 2]) for k in range(0, len(run) - 1, 2)]
    return names, run[len(names) * 2:]


def _literary(first_line: str, parsed: ParsedByline) -> ParsedByline:
    """Mark a 副刊 signature and read a lone `文/` credit as the author (`作者`): with no
    picture credit beside it, `文` is who wrote the piece, as `□` and `作者` say."""
    roles = {b.role for b in parsed.bylines}
    lone_text = "文" in roles and not roles & {"图", PHOTO_ROLE}
    if lone_text:
        parsed.bylines = [Byline(PEN_NAME_ROLE if b.role == "文" else b.role, b.name)
                          for b in parsed.bylines]
    stripped = first_line.strip(" \t\u3000")
    parsed.literary = lone_text or stripped.startswith(AUTHOR_MARK) or (
        stripped.removeprefix(MARK).startswith(PEN_NAME_ROLE) and bool(parsed.bylines))
    return parsed


def parse_byline(texts: list[str]) -> ParsedByline:
    """Parse a byline box given as its lines (the first starting with `■` or `□`, or an
    unmarked credit line such as `文/图 李 明`)."""
    tokens: list[str] = []
    for text in texts:
        tokens += _tokens(text)
    return _literary(texts[0] if texts else "", parse_byline_tokens(tokens))


def parse_bracketed(inner: str) -> ParsedByline | None:
    """The inside of a bracketed byline (`通讯员 李明`, `记者 王立新 陈晨`), or None when it
    is no byline: it must start with a role word and hold nothing but roles and names."""
    tokens = _tokens(inner)
    if not tokens or not _match_role(tokens, 0):
        return None
    parsed = parse_byline_tokens(tokens)
    return parsed if parsed.bylines and not parsed.leftovers else None


def is_byline_continuation(text: str) -> bool:
    """A line glued under a `■` line that continues the box: it starts with a role word and
    holds nothing but role words and names (`通讯员 顾秋叶 李 婷`, `摄影 王 强`)."""
    if is_byline_start(text):
        return False
    return parse_bracketed(text) is not None


_CREDIT_LINE = re.compile(r"^(?:文/|图/|摄/|作者\s)")


def is_credit_line(text: str) -> bool:
    """An unmarked signature on its own line (`文/图 李 明`, `作者 张三`): a byline box
    whose `■` the typesetter left out. It must read whole as roles and names."""
    return bool(_CREDIT_LINE.match(text)) and parse_bracketed(text) is not None


_BRACKET_END = re.compile(r"[（(]([^（）()]{2,40})[）)]$")


def bracketed_byline_at_end(text: str) -> tuple[str, list[Byline]] | None:
    """`…服务群众1500余人次。（通讯员 金佳豪）` → (the text before it, the bylines):
    a brief's byline, printed in brackets at its end, inline or on a line of its own."""
    match = _BRACKET_END.search(text.rstrip())
    if match is None:
        return None
    parsed = parse_bracketed(match[1])
    return (text[:match.start()].rstrip(), parsed.bylines) if parsed else None


def parse_wrapped_bracket(inner_lines: list[str]) -> ParsedByline | None:
    """A bracketed byline the column wrapped (`（特约` / `通讯员 王 五）`, `（记者 王立新` /
    `陈晨）`): a break may fall inside a word (join with nothing) or where a space between
    two names was (join with a space); whichever reads whole is meant."""
    for glue in ("", " "):
        parsed = parse_bracketed(glue.join(line.strip() for line in inner_lines))
        if parsed is not None:
            return parsed
    return None


def wrapped_bracket_at_end(lines: list[str]) -> tuple[int, str, list[Byline]] | None:
    """The bracketed byline closing the last of `lines`, even when it opened on the line
    before: (index of the line it starts on, that line's text before it, the bylines)."""
    if not lines:
        return None
    single = bracketed_byline_at_end(lines[-1])
    if single is not None:
        return len(lines) - 1, single[0], single[1]
    last = lines[-1].rstrip()
    if len(lines) < 2 or not last.endswith(("）", ")")) or "（" in last or "(" in last:
        return None
    before = lines[-2].rstrip()
    start = max(before.rfind("（"), before.rfind("("))
    if start < 0 or "）" in before[start:] or ")" in before[start:]:
        return None
    parsed = parse_wrapped_bracket([before[start + 1:], last[:-1]])
    return (len(lines) - 2, before[:start].rstrip(), parsed.bylines) if parsed else None
