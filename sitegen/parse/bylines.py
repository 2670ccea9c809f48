"""Byline boxes: `■记 者 高 洁` / `通讯员 顾秋叶 李 婷` → 记者 高洁, 通讯员 顾秋叶, 通讯员 李婷.

The box is typeset in a fixed grid, so the extractor letter-spaces short words: role words
(`记 者`) and two-character names, which are padded to the width of three-character ones
(`李 婷`). Tokens are therefore re-assembled before they are read: a role word may be spread
over single-character tokens, and single-character tokens that are not part of a role word
pair up into names. A role applies to every name after it until the next role word; names
before any role word are a pen name (commentary), recorded with the role `作者`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.cjk import is_han
from sitegen.model import Byline

MARK = "■"
ROLE_WORDS: tuple[str, ...] = ("见习记者", "记者", "通讯员", "摄影", "作者")
"""Longest first, so `见习记者` is not read as `见习` + `记者`."""
PEN_NAME_ROLE = "作者"
NAME_LEN = (2, 4)

_SPLIT = re.compile(r"[ \t\u3000]+")


@dataclass
class ParsedByline:
    bylines: list[Byline] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    """Tokens that are neither a role word nor a plausible name: reported, never lost."""


def is_byline_start(text: str) -> bool:
    return text.lstrip(" \t\u3000").startswith(MARK)


def _han_only(token: str) -> bool:
    return bool(token) and all(is_han(ch) for ch in token)


def _tokens(text: str) -> list[str]:
    """Whitespace tokens without the `■` mark; `记者钱澄蓉` (no space) splits after the role."""
    text = text.strip(" \t\u3000")
    text = text.removeprefix(MARK)
    out: list[str] = []
    for token in _SPLIT.split(text.strip(" \t\u3000")):
        if not token:
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
    if tokens[i] in ROLE_WORDS:
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


def _is_name(token: str) -> bool:
    return _han_only(token) and NAME_LEN[0] <= len(token) <= NAME_LEN[1]


def parse_byline_tokens(tokens: list[str]) -> ParsedByline:
    """Read role words and names in printed order (see the module docstring)."""
    result = ParsedByline()
    role = PEN_NAME_ROLE
    named = True  # has the current role any name yet? (the implicit pen-name role: no matter)
    i = 0
    while i < len(tokens):
        matched = _match_role(tokens, i)
        if matched:
            if not named:
                result.leftovers.append(role)  # a role word with no name after it
            role, i = matched
            named = False
            continue
        token = tokens[i]
        if len(token) == 1 and is_han(token):
            run: list[str] = []
            while (i < len(tokens) and len(tokens[i]) == 1 and is_han(tokens[i])
                   and not _match_role(tokens, i)):
                run.append(tokens[i])
                i += 1
            names, odd = _pair_singles(run)
            result.bylines += [Byline(role, n) for n in names]
            result.leftovers += odd
            named = named or bool(names)
            continue
        if _is_name(token):
            result.bylines.append(Byline(role, token))
            named = True
        else:
            result.leftovers.append(token)
        i += 1
    if not named:
        result.leftovers.append(role)
    return result


def _pair_singles(run: list[str]) -> tuple[list[str], list[str]]:
    """Letter-spaced names: pairs (`李 婷`), or one three-character name spread out whole."""
    if len(run) == 3:
        return ["".join(run)], []
    names = ["".join(run[k:k + 2]) for k in range(0, len(run) - 1, 2)]
    return names, run[len(names) * 2:]


def parse_byline(texts: list[str]) -> ParsedByline:
    """Parse a byline box given as its lines (the first starting with `■`)."""
    tokens: list[str] = []
    for text in texts:
        tokens += _tokens(text)
    return parse_byline_tokens(tokens)


def is_byline_continuation(text: str) -> bool:
    """A line glued under a `■` line that continues the box: it starts with a role word and
    holds nothing but role words and names (`通讯员 顾秋叶 李 婷`, `摄影 王 强`)."""
    if is_byline_start(text):
        return False
    tokens = _tokens(text)
    if not tokens or not _match_role(tokens, 0):
        return False
    parsed = parse_byline_tokens(tokens)
    return bool(parsed.bylines) and not parsed.leftovers
