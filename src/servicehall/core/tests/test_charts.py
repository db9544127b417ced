from servicehall.core.charts import bar_chart, line_chart


def test_bar_chart_is_self_contained_svg_with_its_labels():
    svg = bar_chart("各窗口办结量", ["1号窗口", "2号窗口"], {"办结": [12, 7]})
    assert svg.startswith("<svg")
    assert "各窗口办结量" in svg
    assert "2号窗口" in svg
    assert "<script" not in svg  # pages forbid inline script and load nothing from outside


def test_line_chart_draws_every_series():
    svg = line_chart("每小时平均等候", ["9时", "10时", "11时"], {"普通": [5, 9, 4], "优先": [1, 2, None]})
    assert "普通" in svg
    assert "优先" in svg
    assert svg.count("<path") >= 2
