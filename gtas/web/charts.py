"""Small charts drawn on the server as inline SVG: no JavaScript, no CDN, readable by screen readers.

Every chart is a ``<figure>`` holding an ``<svg role="img">`` with a ``<title>`` and an ``aria-label`` that state the
figures in words, plus visible text labels, so the numbers never hide in the shapes. Colours come from the
stylesheet (``.chart`` classes in gtas.css), so charts follow the page's contrast.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 150
PLOT_WIDTH = 220
VALUE_WIDTH = 70
SPARK_WIDTH = 120
SPARK_HEIGHT = 28


def figure_text(value: float, unit: str = "") -> str:
    """A figure as people read it: whole numbers without decimals, others with up to two, then the unit."""
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{shown} {unit}".strip() if unit and unit != "%" else f"{shown}{unit}"


def _describe(title: str, pairs: Sequence[tuple[str, float]], unit: str) -> str:
    """The chart's figures in words, for the ``aria-label`` and the ``<title>``."""
    if not pairs:
        return f"{title}: no data"
    return f"{title}: " + ", ".join(f"{label} {figure_text(value, unit)}" for label, value in pairs)


def bar_chart(bars: Sequence[tuple[str, float]], *, title: str, unit: str = "") -> Markup:
    """Horizontal bars, one per ``(label, value)``, each labelled with its name and value; scaled to the largest."""
    description = _describe(title, bars, unit)
    largest = max((value for _label, value in bars), default=0.0)
    rows = len(bars) or 1
    height = rows * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [f'<figure class="chart chart-bars"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(description)}">'
             f"<title>{escape(description)}</title>"]
    if not bars:
        parts.append(f'<text class="chart-empty" x="0" y="{BAR_HEIGHT}">No data</text>')
    for index, (label, value) in enumerate(bars):
        top = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = 0.0 if largest <= 0 else max(value, 0.0) / largest * PLOT_WIDTH
        middle = top + BAR_HEIGHT / 2
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{middle:.1f}" text-anchor="end" '
                     f'dominant-baseline="middle">{escape(label)}</text>'
                     f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" '
                     f'height="{BAR_HEIGHT}"></rect>'
                     f'<text class="chart-value" x="{LABEL_WIDTH + length + 4:.1f}" y="{middle:.1f}" '
                     f'dominant-baseline="middle">{escape(figure_text(value, unit))}</text>')
    parts.append(f'</svg><figcaption>{escape(title)}</figcaption></figure>')
    return Markup("".join(parts))


def sparkline(values: Sequence[float], *, title: str) -> Markup:
    """A word-sized line of a series (oldest first) with its last value as text beside it."""
    description = (f"{title}: no data" if not values else
                   f"{title}: " + ", ".join(figure_text(value) for value in values))
    width = SPARK_WIDTH + VALUE_WIDTH
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-spark" role="img" width="{width}" '
             f'height="{SPARK_HEIGHT}" viewBox="0 0 {width} {SPARK_HEIGHT}" aria-label="{escape(description)}">'
             f"<title>{escape(description)}</title>"]
    if values:
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = SPARK_WIDTH / (len(values) - 1) if len(values) > 1 else 0.0
        points = [(index * step, SPARK_HEIGHT - 3 - (value - low) / span * (SPARK_HEIGHT - 6))
                  for index, value in enumerate(values)]
        if len(points) == 1:
            points.append((float(SPARK_WIDTH), points[0][1]))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        last_x, last_y = points[-1]
        parts.append(f'<polyline class="chart-line" fill="none" points="{path}"></polyline>'
                     f'<circle class="chart-dot" cx="{last_x:.1f}" cy="{last_y:.1f}" r="2"></circle>'
                     f'<text class="chart-value" x="{SPARK_WIDTH + 6}" y="{SPARK_HEIGHT / 2:.1f}" '
                     f'dominant-baseline="middle">{escape(figure_text(values[-1]))}</text>')
    else:
        parts.append(f'<text class="chart-empty" x="0" y="{SPARK_HEIGHT / 2:.1f}" '
                     f'dominant-baseline="middle">No data</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
