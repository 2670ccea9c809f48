"""The search tokenizer, and the two halves (Python at build time, client.js in the browser)
agreeing: a query only finds what the index stored if both sides fold text identically."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from sitegen.search.index import field_texts
from sitegen.search.tokenize import (
    field_terms,
    fold,
    fold_char,
    gram_terms,
    is_word_char,
    part_key,
    part_terms,
    run_grams,
    runs,
    split_key,
    word_terms,
)
from sitegen.search.variants import t2s

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")

# Code points compared exhaustively: planes 0-3 (all of CJK) and the tag/variation plane.
RANGES = [(0, 0x3FFFF), (0xE0000, 0xE01FF)]

TRICKY = [
    "A3泊位正式对外开放 独山港再“扩容”",
    "规上工业产值2769亿元，对GDP的增长贡献率达到35.6%。",
    "全角ＧＤＰ２０２４年　增长（扩大）",  # full-width letters, digits, ideographic space
    "𠮷野家与﨑山",  # astral ideograph, compatibility ideograph
    "①②③ ㈠ ﬁ ½ ㍻",  # NFKC expands these
    "İstanbul ΣΑΣ café cafe\u0301",  # special casing, combining mark
    "a\u2028b\u2029c\u00a0d\u200be\ufeff",  # line/paragraph separators, nbsp, zero-width
    "8:30 ~ ^ * +- title:x",  # lunr query syntax
    "<img src=x onerror=alert(1)>",
    "\U00031350\U0002ebf0",  # CJK Extension H / I: newer than Python's Unicode tables
    "👍🏽 emoji 😀 ok",
    "對GDP的增長貢獻率達到35.6%。電商綫上衞生　著名的乾隆",  # traditional and variants
    "58%。302 8:30 8：30 8∶30 GD\u00adP",
    "",
    "   ",
]


def test_fold_uses_nfkc_lowercase_and_single_spaces() -> None:
    assert fold("  全角ＧＤＰ，8：30！ ") == "全角gdp,8:30!"
    assert fold("①") == "1"
    assert fold("<b>x</b>") == "<b>x</b>"
    assert fold("记者\u3000林旭东\n\n通讯员") == "记者 林旭东 通讯员"
    assert fold("G\u00adD\u200bP") == "gdp"  # format characters vanish


def test_traditional_characters_fold_to_simplified() -> None:
    assert fold("電商") == fold("电商") == "电商"
    assert fold("對GDP的增長貢獻率") == "对gdp的增长贡献率"
    assert fold("綫上") == "线上" and fold("衞生") == "卫生"  # Hong Kong variants
    # a character of simplified text in its own right is left alone (著名, not 着名)
    assert fold("著名") == "著名" and "著" not in t2s()
    table = t2s()
    assert len(table) > 3000
    assert all(len(k) == len(v) == 1 and v not in table for k, v in table.items())


def test_ideographs_are_word_characters_even_when_unassigned_here() -> None:
    # U+31350 (Extension H) is unassigned in Python 3.11's Unicode 14 tables.
    assert is_word_char("\U00031350")
    assert is_word_char("张") and is_word_char("a") and is_word_char("7")
    assert not is_word_char("，") and not is_word_char("“") and not is_word_char(" ")


def test_run_grams_are_bigrams_trigrams_and_every_character() -> None:
    assert run_grams("跨境电商") == ["跨境", "境电", "电商", "跨境电", "境电商",
                                     "跨", "境", "电", "商"]
    assert run_grams("电") == ["电"]
    assert run_grams("") == []
    assert gram_terms("8:30") == ["8", "8:3", "30", "3", "0"]
    assert gram_terms("58%。302") == ["58", "5", "8", "8%。3", "30", "02", "302",
                                      "3", "0", "2"]
    assert gram_terms("8 30") == ["8", "30", "3", "0"]  # no junction across white space


def test_every_substring_is_covered_by_the_grams() -> None:
    """The recall guarantee: every term of any substring of the text (its `part_terms`) is
    a term of the text, so an article is never missed."""
    text = "近日，我市举行2023平湖市跨境电商生态大会暨首届平湖·深圳跨境电商融合发展交流论坛。"
    terms = set(gram_terms(text))
    key = fold(text)
    for i in range(len(key)):
        for j in range(i + 1, len(key) + 1):
            part = part_key(key[i:j])
            if part:
                assert set(part_terms(part)) <= terms, key[i:j]


def test_part_terms() -> None:
    assert part_terms("电") == ["电"]
    assert part_terms("独山港") == ["独山港"]  # a trigram: exact
    assert part_terms("发展的重要") == ["发展的", "展的重", "的重要"]
    assert part_terms("电商") == ["电商"]
    assert part_terms(part_key("8:30")) == ["8:3", "30"]
    assert part_terms(part_key("8：30")) == ["8:3", "30"]  # full-width: the same
    assert part_terms(part_key("35.6%")) == ["35", "5.6"]
    assert part_key("“35.6%”") == "35.6"  # punctuation around a part binds nothing
    assert part_key("電商") == "电商"
    assert split_key("58%。302") == (["58", "302"], ["%。"])


def test_words_come_from_the_segmenter_four_characters_or_more() -> None:
    def cut(text: str) -> list[str]:
        return ["张立帆", "跨境电商", "说", "，", "GDPR", "增长", "35.6%", "2024.03"]

    # three characters are a trigram already; punctuation splits a token into runs
    assert word_terms("", cut) == ["跨境电商", "gdpr", "2024"]
    assert field_terms(None, cut) == []


def test_field_texts_keep_parts_apart() -> None:
    from test_search_corpus import gold_docs

    doc = gold_docs()[0]
    assert field_texts(doc)["title"] == f"{doc.kicker}\n{doc.title}"
    assert "\n" not in fold(field_texts(doc)["title"])


@pytest.fixture(scope="module")
def node_answer() -> dict:
    request = {"texts": TRICKY + _gold_texts(), "ranges": RANGES}
    proc = subprocess.run(
        [NODE, str(ROOT / "tests" / "js" / "pipeline.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def _gold_texts() -> list[str]:
    from test_search_corpus import demo_docs

    return [t for d in demo_docs() for t in field_texts(d).values()]


def test_js_folds_texts_like_python(node_answer: dict) -> None:
    texts = TRICKY + _gold_texts()
    assert len(node_answer["texts"]) == len(texts)
    for text, js in zip(texts, node_answer["texts"], strict=True):
        assert js["fold"] == fold(text), text
        assert js["runs"] == runs(text), text
        assert js["grams"] == gram_terms(text), text
        assert js["mapped"], text


def test_js_folds_every_code_point_like_python(node_answer: dict) -> None:
    """Exhaustive over planes 0-3 and 14. Code points Python 3.11 does not know yet (Unicode
    14) may be letters to a newer browser; only those may differ, and ideographs may not."""
    chars = iter(node_answer["chars"])
    checked = 0
    for first, last in RANGES:
        for cp in range(first, last + 1):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            js = next(chars)
            if unicodedata.category(ch) == "Cn" and not is_word_char(ch):
                continue
            assert js == fold_char(ch), f"U+{cp:04X}"
            checked += 1
    assert checked > 150_000
