"""Charts as server-rendered SVG (pygal), so supervisors' pages work offline with no chart script to load.

Every page that shows a chart calls one of these and drops the markup into the template with `|safe`; the
SVG carries its own title for screen readers and no JavaScript (pygal's tooltips script is switched off).
`figure()` also keeps the numbers, so the page can show them as a table beside the picture
(`{% include "core/chart.html" with chart=... %}`): the text alternative for readers who cannot see it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pygal
from pygal.style import Style

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    font_family="'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', sans-serif",
    colors=("#1d4ed8", "#b91c1c", "#047857", "#b45309", "#6d28d9", "#0f766e"),
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart: pygal.graph.graph.Graph) -> str:
    # pygal writes its tooltip configuration as an inline <script>; pages forbid inline script (CSP)
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))


def _config(title: str | None, *, width: int, height: int) -> dict[str, object]:
    return {
        "title": title,
        "style": _STYLE,
        "width": width,
        "height": height,
        "disable_xml_declaration": True,
        "js": [],  # no external tooltip script: the chart must render offline
        "explicit_size": True,
        "print_values": False,
        "legend_at_bottom": True,
        "truncate_label": -1,
        "include_x_axis": True,  # counts and minutes start at zero, or small changes look dramatic
    }


def bar_chart(
    title: str | None,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    horizontal: bool = False,
    width: int = 800,
    height: int = 360,
) -> str:
    """A bar chart: one bar per label for each named series (e.g. served tickets per window)."""
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(**_config(title, width=width, height=height))
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart)


def line_chart(
    title: str | None,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    width: int = 800,
    height: int = 360,
) -> str:
    """A line chart over ordered labels (hours of the day, months) for each named series."""
    chart = pygal.Line(**_config(title, width=width, height=height))
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart)


@dataclass(frozen=True)
class Chart:
    """A rendered chart with the data it draws: `rows` is its text alternative (one row per label)."""

    id: str
    title: str
    labels: list[str]
    series: dict[str, list[float | None]]
    svg: str
    unit: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.series)

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        return [
            (label, [values[i] for values in self.series.values()]) for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(v for values in self.series.values() for v in values)


def figure(
    kind: Literal["bar", "line"],
    *,
    element_id: str,
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    unit: str = "",
    horizontal: bool = False,
    width: int = 600,
    height: int = 300,
) -> Chart:
    """A bar or line chart plus its numbers, for `core/chart.html`. The page's caption names the chart, so
    the picture carries no second title; it is drawn small enough that its labels stay legible when the
    SVG is scaled down to half a desktop screen."""
    data = {name: list(values) for name, values in series.items()}
    if kind == "bar":
        svg = bar_chart(None, labels, data, horizontal=horizontal, width=width, height=height)
    else:
        svg = line_chart(None, labels, data, width=width, height=height)
    return Chart(id=element_id, title=title, labels=list(labels), series=data, svg=svg, unit=unit)
