"""Bar and column charts as inline SVG, drawn on the server: no script, no inline style.

Every bar is a `<rect>` carrying its figure (`data-series`, `data-label`, `data-value`) and a
`<title>` tooltip, so a reader, a screen reader and a test all see the same numbers. Colours and
sizes are SVG presentation attributes, which the site's CSP (`style-src 'self'`) allows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

Figure = int | Decimal
# Fill of the first, second... series (the admin's blue, then an amber that stands apart).
PALETTE = ("#417690", "#d98c1f", "#5b9a68", "#9a5b8c")
WIDTH = 760
# Space for the y axis's labels on the left, the x axis's below, the legend above.
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 28, 36
COLUMN_HEIGHT = 240
# Height of one horizontal bar and the room for its label on the left.
BAR_HEIGHT, BAR_GAP, BAR_LABEL = 22, 6, 190
GRIDLINES = 4


def px(value: float) -> str:
    """A coordinate or length, to the hundredth of a pixel."""
    return f"{value:.2f}"


def count(value: Figure) -> str:
    return f"{value:,}"


def dollars(value: Figure) -> str:
    """Dollars with cents, or without them for a whole amount (an axis's $2,500)."""
    return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"


def nice_top(largest: Figure) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `largest` (1 for 0)."""
    if largest <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(largest))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if largest <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def svg(title: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" '
        'height="{}" role="img" aria-label="{}" font-family="sans-serif" font-size="12">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        height,
        WIDTH,
        height,
        title,
        title,
        body,
    )


def bar(
    box: tuple[float, float, float, float],
    *,
    fill: str,
    series: str,
    label: str,
    value: Figure,
    shown: str,
) -> SafeString:
    """A bar at (x, y, width, height) with its figure as data and as its tooltip."""
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" data-series="{}" '
        'data-label="{}" data-value="{}"><title>{}{}: {}</title></rect>',
        *(px(side) for side in box),
        fill,
        series,
        label,
        value,
        f"{series}, " if series else "",
        label,
        shown,
    )


def legend(names: Sequence[str]) -> SafeString:
    return format_html_join(
        "",
        '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="16" fill="#333">{}</text>',
        (
            (LEFT + 110 * index, PALETTE[index % len(PALETTE)], LEFT + 110 * index + 16, name)
            for index, name in enumerate(names)
        ),
    )


def y_axis(top: Decimal, plot_height: float, show: Callable[[Figure], str]) -> SafeString:
    """Gridlines with their figures, from 0 at the bottom to `top`."""
    lines = []
    for step in range(GRIDLINES + 1):
        value = top * step / GRIDLINES
        y = TOP + plot_height - plot_height * step / GRIDLINES
        lines.append((LEFT, px(y), WIDTH - RIGHT, px(y), LEFT - 6, px(y + 4), show(value)))
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>'
        '<text x="{}" y="{}" text-anchor="end" fill="#666">{}</text>',
        lines,
    )


def column_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[Figure]],
    show: Callable[[Figure], str] = count,
    stacked: bool = False,
    ticks: Sequence[str] | None = None,
) -> SafeString:
    """Columns per label, one per series side by side, or `stacked`; `ticks` are the x axis's
    labels where they differ from `labels` ("" for none).
    """
    columns = [list(values) for values in series.values()]
    totals = [sum(figures) for figures in zip(*columns, strict=True)] if stacked else []
    top = nice_top(max(totals or [max(figures, default=0) for figures in columns] or [0]))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(labels), 1)
    width = slot * 0.8 / (1 if stacked else max(len(columns), 1))
    bars = []
    for index, label in enumerate(labels):
        stacked_below = Decimal(0)
        for number, (name, figures) in enumerate(zip(series, columns, strict=True)):
            value = figures[index]
            height = float(Decimal(value) / top) * plot_height
            x = LEFT + slot * index + slot * 0.1 + (0 if stacked else width * number)
            y = TOP + plot_height - height - float(stacked_below / top) * plot_height
            if stacked:
                stacked_below += value
            colour = PALETTE[number % len(PALETTE)]
            bars.append(
                bar(
                    (x, y, width, height),
                    fill=colour,
                    series=name,
                    label=label,
                    value=value,
                    shown=show(value),
                )
            )
    tick_texts = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" fill="#333">{}</text>',
        (
            (px(LEFT + slot * index + slot / 2), COLUMN_HEIGHT - BOTTOM + 16, tick)
            for index, tick in enumerate(ticks if ticks is not None else labels)
            if tick
        ),
    )
    body = format_html(
        "{}{}{}{}",
        legend(list(series)),
        y_axis(top, plot_height, show),
        format_html_join("", "{}", ((b,) for b in bars)),
        tick_texts,
    )
    return svg(title, COLUMN_HEIGHT, body)


def bar_chart(
    *, title: str, labels: Sequence[str], values: Sequence[Figure], show: Callable[[Figure], str]
) -> SafeString:
    """One horizontal bar per label, top to bottom, its figure at its end."""
    top = nice_top(max(values, default=0))
    room = WIDTH - BAR_LABEL - RIGHT - 60
    rows = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 8 + index * (BAR_HEIGHT + BAR_GAP)
        length = float(Decimal(value) / top) * room
        rows.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="#333">{}</text>{}'
                '<text x="{}" y="{}" fill="#333">{}</text>',
                BAR_LABEL - 8,
                y + 15,
                label,
                bar(
                    (BAR_LABEL, y, length, BAR_HEIGHT),
                    fill=PALETTE[0],
                    series="",
                    label=label,
                    value=value,
                    shown=show(value),
                ),
                px(BAR_LABEL + length + 6),
                y + 15,
                show(value),
            )
        )
    height = 16 + len(labels) * (BAR_HEIGHT + BAR_GAP)
    return svg(title, height, format_html_join("", "{}", ((row,) for row in rows)))
