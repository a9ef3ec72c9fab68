"""The inline SVG charts: well-formed, accessible (title, label, visible figures), scaled, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from gtas.web.charts import bar_chart, figure_text, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def parsed(chart: Markup) -> ET.Element:
    """The chart's <svg> element (parsing also proves the markup well-formed)."""
    root = ET.fromstring(str(chart))
    return root if root.tag == f"{SVG}svg" else root.find(f"{SVG}svg")  # type: ignore[return-value]


def texts(svg: ET.Element) -> list[str]:
    return [element.text or "" for element in svg.iter(f"{SVG}text")]


def test_a_bar_chart_states_its_figures_in_words_and_text() -> None:
    chart = bar_chart([("Week 1", 3), ("Week 2", 6)], title="Hits per week")
    assert isinstance(chart, Markup)
    svg = parsed(chart)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Hits per week: Week 1 3, Week 2 6"
    assert svg.findtext(f"{SVG}title") == "Hits per week: Week 1 3, Week 2 6"
    assert texts(svg) == ["Week 1", "3", "Week 2", "6"]
    assert "<figcaption>Hits per week</figcaption>" in chart


def test_bars_are_scaled_to_the_largest_value() -> None:
    svg = parsed(bar_chart([("a", 5), ("b", 10), ("c", 0)], title="t"))
    widths = [float(rect.get("width", "")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[1] == 2 * widths[0] > 0
    assert widths[2] == 0


def test_units_and_fractions_are_shown() -> None:
    svg = parsed(bar_chart([("Precision", 66.666)], title="Precision", unit="%"))
    assert texts(svg) == ["Precision", "66.67%"]
    assert figure_text(2, "hits") == "2 hits"
    assert figure_text(0.5) == "0.5"


def test_an_empty_bar_chart_says_so() -> None:
    svg = parsed(bar_chart([], title="Outcomes"))
    assert svg.get("aria-label") == "Outcomes: no data"
    assert texts(svg) == ["No data"]


def test_labels_are_escaped() -> None:
    chart = bar_chart([("<script>&", 1)], title='"quoted" <b>')
    assert "<script>" not in chart
    svg = parsed(chart)
    assert texts(svg)[0] == "<script>&"
    assert svg.get("aria-label") == '"quoted" <b>: <script>& 1'


def test_a_sparkline_draws_the_series_and_its_last_value() -> None:
    svg = parsed(sparkline([1, 4, 2], title="Hits"))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Hits: 1, 4, 2"
    points = svg.find(f"{SVG}polyline").get("points", "").split()  # type: ignore[union-attr]
    assert len(points) == 3
    highest = min(float(point.split(",")[1]) for point in points)
    assert float(points[1].split(",")[1]) == highest
    assert texts(svg) == ["2"]


def test_a_sparkline_of_one_value_or_none() -> None:
    assert len(parsed(sparkline([7], title="x")).find(f"{SVG}polyline").get("points", "").split()) == 2  # type: ignore[union-attr]
    empty = parsed(sparkline([], title="Hits"))
    assert empty.get("aria-label") == "Hits: no data"
    assert texts(empty) == ["No data"]
