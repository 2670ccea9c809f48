"""Small inline SVG bar charts (articles per month) made at build time, so they need no JS.

Returned as markup for a template to mark safe: every piece of text in it is escaped here.
The chart is an image with a text alternative (`role="img"`, `aria-label`) and one `<title>`
per bar, so screen readers and hover both give the numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from html import escape

MAX_MONTHS = 36


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    (y, m), out = first, []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def monthly_counts(days: Iterable[date], last: date) -> list[tuple[tuple[int, int], int]]:
    """Counts per month from the first article's month to `last` (at most MAX_MONTHS)."""
    counter = Counter((d.year, d.month) for d in days)
    if not counter:
        return []
    months = month_range(min(counter), (last.year, last.month))[-MAX_MONTHS:]
    return [(m, counter.get(m, 0)) for m in months]


def bar_chart_svg(counts: list[tuple[tuple[int, int], int]], label: str) -> str:
    if not counts:
        return ""
    bar, gap, height, axis = 14, 4, 60, 16
    width = len(counts) * (bar + gap) + gap
    top = max(n for _, n in counts) or 1
    total = sum(n for _, n in counts)
    first, last = counts[0][0], counts[-1][0]
    summary = (f"{label}：{first[0]}年{first[1]}月至{last[0]}年{last[1]}月共{total}篇")
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(summary)}" viewBox="0 0 {width} {height + axis}" '
        f'width="{width}" height="{height + axis}">'
    ]
    for i, ((year, month), n) in enumerate(counts):
        h = round(n / top * (height - 4)) if n else 0
        x = gap + i * (bar + gap)
        parts.append(
            f'<rect x="{x}" y="{height - h}" width="{bar}" height="{max(h, 1)}"'
            f' class="{"bar" if n else "bar empty"}"><title>{year}年{month}月：{n}篇</title></rect>'
        )
        if month == 1 or i == 0:
            parts.append(f'<text x="{x}" y="{height + axis - 3}">{year}.{month:02d}</text>')
    parts.append("</svg>")
    return "".join(parts)
