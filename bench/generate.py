"""A deterministic synthetic archive of raw pages, resampled from the two real demo pages.

Usage: python bench/generate.py OUT_SITE --editions N [--seed S]

It writes a complete site (sitegen.toml with the demo gazetteer, content/raw/DATE/NN.txt,
edition.toml) of N daily editions × 8 pages × ~7 articles. Articles are rebuilt from the
real pages' sentences, clauses, people and towns, then laid out the way the PDF extractor
lays out a real page (body hard-wrapped at a column width, headline after the body, bylines
before the body or glued under the headline, photo credits, weather boxes, video prompts),
so the vocabulary, page structure and the parser's work stay realistic.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "fixtures" / "gold"
PAGE_NAMES = ["要闻", "综合", "经济", "社会", "城乡", "文化", "体育", "副刊"]
ARTICLES_PER_PAGE = (5, 9)
TARGET_CHARS = (900, 2100)
NO_LINE_START = set("，。、；：！？”’）》」』…%")


@dataclass(frozen=True)
class Pools:
    sentences: tuple[str, ...]
    clauses: tuple[str, ...]
    names: tuple[str, ...]


def load_pools() -> Pools:
    sentences: list[str] = []
    clauses: list[str] = []
    names: set[str] = set()
    for path in sorted(GOLD.glob("*.json")):
        page = json.loads(path.read_text("utf-8"))
        for art in page["articles"]:
            for para in art["paragraphs"]:
                sentences += [s for s in re.findall(r"[^。！？]+[。！？][”’]?", para) if len(s) > 6]
                clauses += [c for c in re.split(r"[，。！？；：、“”（）《》\s]", para)
                            if 6 <= len(c) <= 14]
            names.update(b["name"] for b in art["bylines"])
        for group in page["unassigned_bylines"]:
            names.update(b["name"] for b in group)
    # More people than two pages credit: recombine surnames and given names, as a year of a
    # real paper has on the order of a hundred bylines.
    surnames = sorted({n[0] for n in names})
    given = sorted({n[1:] for n in names if len(n) == 3} | {n[1] for n in names})
    extra = {s + g for s in surnames for g in given}
    return Pools(tuple(sentences), tuple(sorted(set(clauses))),
                 tuple(sorted(names)) + tuple(sorted(extra))[:120])


def wrap(text: str, width: int) -> list[str]:
    """Hard-wrap at `width` display columns (CJK = 2), as the typesetter's column does."""
    lines, line, used = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E80 else 1
        # Kinsoku: closing punctuation never starts a line; the typesetter squeezes it in.
        if used + w > width and line and ch not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def spaced(name: str) -> str:
    """Two-character names are padded to three characters' width in print (`王 强`)."""
    return f"{name[0]} {name[1]}" if len(name) == 2 else name


def byline(rng: random.Random, pools: Pools, photo: bool = False) -> str:
    if photo:
        return f"■摄影 {spaced(rng.choice(pools.names))}"
    parts = [f"记者 {spaced(rng.choice(pools.names))}"]
    if rng.random() < 0.5:
        parts.append(f"通讯员 {spaced(rng.choice(pools.names))}")
    if rng.random() < 0.1:
        parts.insert(1, f"见习记者 {spaced(rng.choice(pools.names))}")
    return "■" + " ".join(parts)


def article_text(rng: random.Random, pools: Pools, kind: str) -> tuple[list[str], str]:
    """Paragraphs and the headline lines of one synthetic article (the raw page order)."""
    target = rng.randint(*TARGET_CHARS) if kind != "photo" else rng.randint(40, 90)
    paragraphs, total = [], 0
    while total < target:
        para = "".join(rng.choice(pools.sentences) for _ in range(rng.randint(2, 5)))
        if kind == "photo":
            para = rng.choice(pools.sentences)
        paragraphs.append(para)
        total += len(para)
        if kind == "photo":
            break
    title = rng.choice(pools.clauses)
    head = []
    if kind == "news" and rng.random() < 0.12:
        head += [rng.choice(pools.clauses) + "，", ""]
    head.append(title)
    if kind == "news" and rng.random() < 0.3:
        head += ["", rng.choice(pools.clauses)]
    return paragraphs, "\n".join(head)


def page_text(rng: random.Random, pools: Pools) -> str:
    width = rng.choice([26, 32, 40])
    blocks: list[str] = []
    for i in range(rng.randint(*ARTICLES_PER_PAGE)):
        kind = "photo" if rng.random() < 0.08 else "commentary" if i == 0 and \
            rng.random() < 0.2 else "news"
        paragraphs, headline = article_text(rng, pools, kind)
        if kind == "news":
            paragraphs[0] = "本报讯 " + paragraphs[0]
        body = "\n\n".join("\n".join(wrap(p, width)) for p in paragraphs)
        if kind == "commentary":
            blocks += [f" ■{rng.choice(pools.names)}", body, headline]
        elif kind == "photo":
            blocks += [body, byline(rng, pools, photo=True), headline]
        elif rng.random() < 0.5:
            blocks += [byline(rng, pools), body, headline]
        else:
            blocks += [body, headline + "\n" + byline(rng, pools)]
        if kind == "news" and rng.random() < 0.05:
            blocks.append("扫一扫 看视频")
    return "\n\n".join(blocks) + "\n"


def generate(out: Path, editions: int, seed: int = 2024, start: date = date(2024, 1, 1)) -> int:
    """Write the site; returns the number of raw pages written."""
    rng = random.Random(seed)
    pools = load_pools()
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "raw").mkdir(parents=True)
    shutil.copy(REPO / "sitegen.toml", out / "sitegen.toml")
    pages = 0
    for n in range(editions):
        day = start + timedelta(days=n)
        folder = out / "content" / "raw" / day.isoformat()
        folder.mkdir()
        meta = [f"number = {10000 + n}"]
        for p, name in enumerate(PAGE_NAMES, start=1):
            (folder / f"{p:02d}.txt").write_text(page_text(rng, pools), encoding="utf-8")
            meta.append(f'{p:02d} = "{name}"')
            pages += 1
        (folder / "edition.toml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--editions", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    pages = generate(args.out, args.editions, args.seed)
    print(f"wrote {args.editions} editions, {pages} raw pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
