"""The importer: Markdown round trip, editor-safe re-imports, the CLI on good and bad input."""

from __future__ import annotations

import html
import json
import shutil
from datetime import date
from pathlib import Path

import markdown
import pytest
import yaml

from sitegen.cli import main
from sitegen.config import load_config
from sitegen.content.files import article_to_markdown, load_editions, read_article
from sitegen.content.markdown_text import (
    escape_paragraph,
    markdown_to_paragraphs,
    paragraphs_to_markdown,
)
from sitegen.content.model import Article, Byline, Heading, ParsedPage, Quote
from sitegen.ingest.importer import import_editions
from sitegen.ingest.raw import raw_editions

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
PAGES = {
    "2023-09-19": "000_945dd167e662ca43",
    "2024-02-03": "002_855235c3d5b4990d",
}


def gold(key: str) -> ParsedPage:
    return ParsedPage.from_dict(gold_json(key))


def gold_json(key: str) -> dict:
    """A real page's gold as `sitegen parse` prints it: with the fields of the edition
    schema (`docs/edition-pages.md`), all empty on these pages."""
    page = json.loads((FIXTURES / "gold" / f"{key}.json").read_text("utf-8"))
    page["articles"] = [a | EDITION_FIELDS for a in page["articles"]]
    return page


EDITION_FIELDS = {
    "lead": None, "editor_note": None, "column": None, "source": None, "headings": [],
    "quotes": [], "continued_to": None, "continued_from": None, "verse": False}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh site: the demo config and the two raw pages, nothing imported."""
    shutil.copy(REPO / "sitegen.toml", tmp_path / "sitegen.toml")
    for day, key in PAGES.items():
        folder = tmp_path / "content" / "raw" / day
        folder.mkdir(parents=True)
        shutil.copy(FIXTURES / "pages" / f"{key}.txt", folder / "01.txt")
        (folder / "edition.toml").write_text('01 = "要闻"\n', encoding="utf-8")
    return tmp_path


def gold_parser(text: str, name: str) -> ParsedPage:
    """Stands in for the parser where a test is about the importer, not the parse: the gold
    page whose raw text this is (the parser's own exactness is tested in test_parse)."""
    for key in PAGES.values():
        if (FIXTURES / "pages" / f"{key}.txt").read_text("utf-8").rstrip() == text.rstrip():
            return gold(key)
    raise AssertionError("unknown page")


# ---------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("key", PAGES.values())
def test_every_gold_article_round_trips_through_markdown(tmp_path: Path, key: str) -> None:
    for order, article in enumerate(gold(key).articles, start=1):
        path = tmp_path / f"01-{order:02d}-x.md"
        path.write_text(article_to_markdown(article, day=date(2024, 2, 2), page="01",
                                            page_name="要闻", order=order, source="raw/01.txt"),
                        encoding="utf-8")
        stored = read_article(path, date(2024, 2, 2))
        assert stored.article == article
        assert (stored.page, stored.order, stored.page_name) == ("01", order, "要闻")


TRICKY = [
    "*不是强调* 也不是 _下划线_ 或 `代码`",
    "# 不是标题",
    "1. 不是列表，2) 也不是",
    "- 不是列表项",
    "+ 也不是",
    "> 不是引用",
    "[不是链接](http://x) ![不是图片](y)",
    "反斜杠 \\ 和 \\* 保留",
    "<script>alert(1)</script> 与 &copy; 与 &amp; 原样显示",
    "---",
    "==",
    "959.6亿元 2+2+2 1.6:1 (市、区)",
]


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_significant_text_round_trips_and_renders_literally(text: str) -> None:
    body = paragraphs_to_markdown([text])
    assert markdown_to_paragraphs(body) == [text]
    md = markdown.Markdown()
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    assert md.convert(escape_paragraph(text)) == f"<p>{html.escape(text, quote=False)}</p>"


def test_numbers_and_ordinary_punctuation_stay_unescaped_for_editors() -> None:
    assert escape_paragraph("产值959.6亿元、2+2+2、(市、区)") == "产值959.6亿元、2+2+2、(市、区)"


def test_hand_wrapped_paragraph_joins_the_chinese_way() -> None:
    assert markdown_to_paragraphs("第一行\n第二行 GDP\ngrowth\n\n下一段") == [
        "第一行第二行 GDP growth", "下一段"]


# ---------------------------------------------------------------------------- importing


def test_import_writes_one_file_per_article_and_a_page_file(site: Path) -> None:
    config = load_config(site)
    reports = import_editions(config, raw_editions(config), gold_parser)
    assert [sum(p.articles for p in r.pages) for r in reports] == [7, 7]
    folder = site / "content" / "2024-02-03"
    names = sorted(p.name for p in folder.glob("*.md"))
    assert names[0] == "01-01-chu-dian-teng-fei-you-zhen.md"
    assert len(names) == 7
    page = (folder / "page-01.yaml").read_text("utf-8")
    assert "weather" in page and "高洁" in page
    editions = load_editions(site / "content")
    assert [a.article for a in editions[1].articles] == gold(PAGES["2024-02-03"]).articles
    assert editions[1].pages[0].meta.unassigned_bylines == [
        [Byline("记者", "高洁"), Byline("见习记者", "陶佳敏")]]


def test_reimport_keeps_edited_files_and_force_regenerates(site: Path) -> None:
    config = load_config(site)
    editions = raw_editions(config)
    import_editions(config, editions, gold_parser)
    folder = site / "content" / "2023-09-19"
    edited = folder / "01-07-wo-shi-huan-song-xin-bing.md"
    edited.write_text(edited.read_text("utf-8").replace("我市欢送新兵入伍", "我市欢送新兵光荣入伍"),
                      encoding="utf-8")
    deleted = folder / "01-06-gua-deng-liang-xiang-dong-hu.md"
    deleted.unlink()

    report = import_editions(config, editions[:1], gold_parser)[0]
    assert report.kept_edited == [edited.name]
    assert report.kept_deleted == [deleted.name]
    assert report.written == []
    assert "光荣入伍" in edited.read_text("utf-8")
    assert not deleted.exists()

    report = import_editions(config, editions[:1], gold_parser, force=True)[0]
    assert sorted(report.written) == sorted([edited.name, deleted.name])
    assert "光荣入伍" not in edited.read_text("utf-8")
    assert deleted.exists()


# ---------------------------------------------------------------------------- the CLI


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("key", PAGES.values())
def test_parse_command_prints_exactly_the_gold(capsys: pytest.CaptureFixture[str],
                                               key: str) -> None:
    code, out, _ = run(capsys, "parse", "--site", str(REPO),
                       str(FIXTURES / "pages" / f"{key}.txt"))
    assert code == 0
    assert json.loads(out) == gold_json(key)


def test_import_command_reports_what_needs_review(site: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "--site", str(site))
    assert code == 0
    assert "2024-02-03: 1 page, 7 articles" in out
    assert "review: unassigned byline: 记者 高洁 见习记者 陶佳敏" in out
    assert "review: no byline: 市委常委会（扩大）会议召开" in out
    assert "dropped: line 265: 扫一扫 看视频" in out
    code, out, _ = run(capsys, "import", "--site", str(site))
    assert "nothing to import" in out


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("gb18030"),
    lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: "\n".join(line + "  " for line in t.split("\n")).encode("gbk", "replace"),
], ids=["gb18030", "utf8-bom-crlf", "gbk-trailing-spaces"])
def test_real_world_encodings_parse_like_the_original(tmp_path: Path, encode,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    key = PAGES["2023-09-19"]
    text = (FIXTURES / "pages" / f"{key}.txt").read_text("utf-8")
    page = tmp_path / f"{key}.txt"
    page.write_bytes(encode(text))
    code, out, err = run(capsys, "parse", "--site", str(REPO), str(page))
    assert code == 0, err
    assert json.loads(out) == gold_json(key)


BAD_PAGES = {
    "empty": (b"\n  \n", "empty page"),
    "binary": (bytes(range(256)) * 4, "binary file"),
    "no-article": ("今天阴有中雨。\n".encode(), "no article"),
}


@pytest.mark.parametrize("case", BAD_PAGES)
def test_bad_page_fails_the_import_naming_the_file_and_writes_nothing(
        site: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    data, message = BAD_PAGES[case]
    bad = site / "content" / "raw" / "2024-02-03" / "02.txt"
    bad.write_bytes(data)
    code, _, err = run(capsys, "import", "--site", str(site), "2024-02-03")
    assert code == 1
    assert str(bad) in err and message in err
    assert not (site / "content" / "2024-02-03").exists()


def test_bad_edition_folder_name_is_an_error(site: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "raw" / "2024-2-3").mkdir()
    code, _, err = run(capsys, "import", "--site", str(site))
    assert code == 1
    assert "2024-2-3" in err and "YYYY-MM-DD" in err
    assert not (site / "content" / "2023-09-19").exists()


def test_missing_site_config_is_a_clear_error(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", "--site", str(tmp_path))
    assert code == 1 and "sitegen.toml" in err


FRONT_MATTER_TEXTS = [
    "市委常委会（扩大）会议召开", "引题：", "A3泊位: 开放 #1", "'单引号' \"双引号\"", "- 列表?",
    "𠀀𡈼姓名", "点赞👍", "行\u2028分隔", "\ufeffBOM", "tab\tin", "null", "yes", "",
]


@pytest.mark.parametrize("text", FRONT_MATTER_TEXTS)
def test_front_matter_bytes_are_pyyamls_python_emitter_output(text: str) -> None:
    """Files must not change with how PyYAML was built: libyaml's emitter (`CSafeDumper`,
    several times faster) writes characters beyond U+FFFF (Extension B names, emoji) and
    some line-break characters differently from the pure-Python one, so whatever `content`
    uses must give the pure-Python emitter's bytes for every text."""
    article = Article(kind="news", kicker=text or None, title=text, subtitle=None,
                      dateline=None, bylines=[Byline("记者", text)], paragraphs=["正文。"],
                      captions=[text], video=False, towns=[text], source_lines=(1, 2))
    written = article_to_markdown(article, day=date(2024, 2, 2), page="01", page_name=text,
                                  order=1, source="raw/01.txt")
    front = written.split("---\n")[1]
    expected = yaml.safe_dump(yaml.safe_load(front), allow_unicode=True, sort_keys=False,
                              width=1000)
    assert front == expected


def test_round_trip_of_articles_with_every_optional_field(tmp_path: Path) -> None:
    article = Article(kind="photo", kicker="引题：", title="标题", subtitle="副题",
                      dateline=None, bylines=[Byline("摄影", "王强")], paragraphs=["一段。"],
                      captions=["图说"], video=True, towns=["林埭镇"], source_lines=(3, 9))
    path = tmp_path / "02-01-biao-ti.md"
    path.write_text(article_to_markdown(article, day=date(2023, 9, 19), page="02",
                                        page_name="", order=1, source="x"), encoding="utf-8")
    assert read_article(path, date(2023, 9, 19)).article == article


def test_round_trip_of_every_edition_field(tmp_path: Path) -> None:
    """Lead, editor's note, column, agency, intertitles (as `##` headings), quotes, jumps
    and the pages a jumped story is printed on all come back exactly."""
    article = Article(
        kind="news", kicker=None, title="一餐热饭", subtitle="——见闻",
        dateline="新华社北京3月11日电",
        bylines=[Byline("记者", "王立新")], paragraphs=["第一段。", "# 第二段。", "第三段。"],
        towns=["林埭镇"], source_lines=(20, 61), lead="核心提示的话。", editor_note="编者的话。",
        column="今日关注", source="新华社", headings=[Heading(1, "小标题 *一*"), Heading(3, "末")],
        quotes=[Quote("“说的话。”", "沈阿婆（居民）"), Quote("“无名。”", None)],
        continued_to="A02", continued_from=None)
    path = tmp_path / "A01-03-yi-can.md"
    text = article_to_markdown(article, day=date(2024, 3, 12), page="A01", page_name="要闻",
                               order=3, source="x", pages=("A01", "A02"))
    path.write_text(text, encoding="utf-8")
    assert "\n## 小标题 \\*一\\*\n" in text and "page: A01\n" in text
    stored = read_article(path, date(2024, 3, 12))
    assert stored.article == article
    assert (stored.page, stored.pages, stored.key) == ("A01", ("A01", "A02"), "A01-03")


def test_round_trip_of_a_poem_and_a_brief_without_title(tmp_path: Path) -> None:
    poem = Article(kind="literary", kicker=None, title="春到广陈", subtitle=None, dateline=None,
                   bylines=[Byline("作者", "陆一帆")],
                   paragraphs=["风从南边\n*把*消息", "河水醒了\n小船"],
                   verse=True, column="东湖")
    brief = Article(kind="brief", kicker=None, title=None, subtitle=None, dateline=None,
                    bylines=[], paragraphs=["3月10日，演练。"], column="镇街动态")
    for order, article in enumerate((poem, brief), start=1):
        path = tmp_path / f"A04-{order:02d}-x.md"
        path.write_text(article_to_markdown(article, day=date(2024, 3, 12), page="A04",
                                            page_name="", order=order, source="x"),
                        encoding="utf-8")
        assert read_article(path, date(2024, 3, 12)).article == article


def test_article_without_headline_is_flagged_and_the_build_names_its_file(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = site / "content" / "raw" / "2023-09-19" / "01.txt"
    raw.write_text(raw.read_text("utf-8") + "\n本报讯 这是一篇没有标题的稿件，正文在此结束。\n",
                   encoding="utf-8")
    code, out, _ = run(capsys, "import", "--site", str(site), "2023-09-19")
    assert code == 0
    assert ("review: no title found (add one before building): "
            "lines 409-409: 这是一篇没有标题的稿件") in out
    assert "review: no byline: (no title, lines 409-409)" in out
    code, _, err = run(capsys, "build", "--site", str(site))
    assert code == 1
    assert "content/2023-09-19/01-08-" in err and "missing title" in err


def _loaded_as_written(text: str) -> tuple[str, str]:
    """The data `content`'s memo of what this process wrote gives for `text` (taken once),
    and what loading the text gives, each as its repr: types count (`1` is not `True`,
    a date not its text, a list not a tuple)."""
    from sitegen.content import files

    remembered = files._JUST_WRITTEN.take(text)
    assert remembered is not None, "not remembered"
    assert files._JUST_WRITTEN.take(text) is None  # given once
    return repr(remembered), repr(yaml.load(text, Loader=files.YAML_LOADER))


@pytest.mark.parametrize("text", FRONT_MATTER_TEXTS)
def test_front_matter_just_written_reads_as_loading_it(text: str) -> None:
    """The build reads an edition back right after importing it, without loading the YAML
    it has just dumped (`files._JustWritten`): what it takes instead must be what loading
    gives, for the texts either emitter writes."""
    article = Article(kind="news", kicker=text or None, title=text, subtitle=None,
                      dateline=None, bylines=[Byline("记者", text)], paragraphs=["正文。"],
                      captions=[text], video=False, towns=[text], source_lines=(1, 2))
    written = article_to_markdown(article, day=date(2024, 2, 2), page="01", page_name=text,
                                  order=1, source="raw/01.txt")
    remembered, loaded = _loaded_as_written(written.split("---\n")[1])
    assert remembered == loaded


def test_every_file_an_import_writes_reads_as_loading_it(tmp_path: Path) -> None:
    """Every front matter and YAML file of the fixture edition (six pages, a jump, notices,
    quotes, a poem): the remembered data is what loading the written text gives."""
    from sitegen.ingest.importer import render_edition_files
    from sitegen.ingest.parse import page_parser

    shutil.copy(REPO / "sitegen.toml", tmp_path / "sitegen.toml")
    shutil.copytree(FIXTURES / "edition" / "2024-03-12", tmp_path / "content" / "raw"
                    / "2024-03-12", ignore=shutil.ignore_patterns("gold*"))
    config = load_config(tmp_path)
    [edition] = raw_editions(config)
    written, _ = render_edition_files(edition, config, page_parser(config.towns))
    assert len(written) > 20
    for name, text in written.items():
        front = text.split("---\n")[1] if name.endswith(".md") else text
        remembered, loaded = _loaded_as_written(front)
        assert remembered == loaded, name


def test_an_edited_file_is_loaded_not_remembered(site: Path) -> None:
    """An editor's change makes another text: the file is loaded as it now reads."""
    config = load_config(site)
    import_editions(config, raw_editions(config)[1:], gold_parser)
    path = next((site / "content" / "2024-02-03").glob("01-01-*.md"))
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(title, "title: 编辑改的标题"), "utf-8")
    assert read_article(path, date(2024, 2, 3)).article.title == "编辑改的标题"
