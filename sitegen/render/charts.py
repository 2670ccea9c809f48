"""Small inline SVG bar charts (articles per month) made at build time, so they need no JS.

Returned as markup for a template to mark safe: every piece of text in it is escaped here.
Each bar carries its number above it and its month under it (the year under each January
and the first bar), so the chart reads without hovering; the drawing itself is hidden from
screen readers, which get the same numbers as a table (`chart_table`), with a summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from html import escape

MAX_MONTHS = 36

BAR, GAP = 22, 6
"""Bar width and the space between bars (px): room for a four-digit count above a bar."""
HEIGHT = 72
"""Height of the tallest bar's area, its count included."""
AXIS = 30
"""Below the bars: the month row, then the year row."""
MIN_WIDTH = 72
"""Wide enough for a year label (`2024年`) under a chart of one month."""


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


def summary(counts: list[tuple[tuple[int, int], int]], label: str) -> str:
    total = sum(n for _, n in counts)
    first, last = counts[0][0], counts[-1][0]
    return f"{label}：{first[0]}年{first[1]}月至{last[0]}年{last[1]}月共{total}篇"


def bar_chart_svg(counts: list[tuple[tuple[int, int], int]], label: str) -> str:
    """The chart: bars with their counts above, months below, years under those."""
    if not counts:
        return ""
    width = max(MIN_WIDTH, len(counts) * (BAR + GAP) + GAP)
    top = max(n for _, n in counts) or 1
    room = HEIGHT - 16  # the tallest bar leaves space for its count
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" '
        f'focusable="false" viewBox="0 0 {width} {HEIGHT + AXIS}" width="{width}" '
        f'height="{HEIGHT + AXIS}">'
    ]
    year_at = -99
    for i, ((year, month), n) in enumerate(counts):
        h = round(n / top * room) if n else 0
        x = GAP + i * (BAR + GAP)
        middle = x + BAR / 2
        parts.append(f'<rect x="{x}" y="{HEIGHT - max(h, 1)}" width="{BAR}" '
                     f'height="{max(h, 1)}" class="{"bar" if n else "bar empty"}"/>')
        if n:  # an empty month is its flat bar (the table says 0)
            parts.append(f'<text class="value" x="{middle:g}" y="{HEIGHT - h - 4}" '
                         f'text-anchor="middle">{n}</text>')
        parts.append(f'<text class="month" x="{middle:g}" y="{HEIGHT + 13}" '
                     f'text-anchor="middle">{month}月</text>')
        if (month == 1 or i == 0) and i - year_at >= 3:  # a year label needs three bars
            parts.append(f'<text class="year" x="{x}" y="{HEIGHT + AXIS - 3}">{year}年</text>')
            year_at = i
    parts.append("</svg>")
    return "".join(parts)


def chart_table(counts: list[tuple[tuple[int, int], int]], label: str) -> str:
    """The chart's numbers as a table (for screen readers; the page hides it visually)."""
    if not counts:
        return ""
    rows = "".join(f'<tr><th scope="row">{y}年{m}月</th><td>{n}</td></tr>'
                   for (y, m), n in counts)
    return (f'<table class="chart-table visually-hidden"><caption>{escape(summary(counts, label))}'
            f'</caption><thead><tr><th scope="col">月份</th><th scope="col">篇数</th></tr>'
            f'</thead><tbody>{rows}</tbody></table>')
