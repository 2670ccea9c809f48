"""The segmenter (rjieba) gives exactly jieba's tokens, with the site's user words."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jieba
import pytest

from sitegen.builder.tasks import Setup
from sitegen.text.segment import load_dictionary, segmenter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
USER_WORDS = ["张立帆", "钱澄蓉", "言成声", "陆叶枫", "独山港镇", "全塘", "林埭镇", "新埭镇"]


def corpus() -> str:
    texts = [p.read_text("utf-8") for p in sorted((FIXTURES / "pages").glob("*.txt"))]
    for gold in sorted((FIXTURES / "gold").glob("*.json")):
        for art in json.loads(gold.read_text("utf-8"))["articles"]:
            texts += [art["title"], *art["paragraphs"]]
    return "\n".join(texts)


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in USER_WORDS:
        tokenizer.add_word(word)
    return tokenizer


def test_search_mode_tokens_equal_jieba(reference: jieba.Tokenizer) -> None:
    text = corpus()
    got = segmenter(USER_WORDS).cut_for_search(text)
    assert got == list(reference.cut_for_search(text))
    assert "张立帆" in got and "跨境" in got


def test_precise_mode_without_hmm_equals_jieba(reference: jieba.Tokenizer) -> None:
    text = corpus()
    assert segmenter(USER_WORDS).cut(text) == list(reference.cut(text, HMM=False))


def test_user_words_stay_in_their_own_segmenter() -> None:
    assert "张立帆" in segmenter(["张立帆"]).cut("副书记张立帆说")
    assert "张立帆" not in segmenter().cut("副书记张立帆说")


def test_a_dictionary_loaded_ahead_is_taken_by_one_segmenter() -> None:
    """A build's worker loads the dictionary while it waits (`Setup.warm`); the first
    search segmenter takes it and adds its words, the next one loads its own."""
    text, word = "推进港城融合示范区建设", "港城融合示范区"
    ahead = segmenter([word], load_dictionary())
    assert ahead.cut_for_search(text) == segmenter([word]).cut_for_search(text)
    setup = Setup(*[None] * 9)
    setup.warm()
    assert setup.dictionary is not None
    assert word in setup.cut_for_search((word,))(text)
    assert setup.dictionary is None  # taken
    assert word not in setup.cut_for_search(())(text)
