import xml.etree.ElementTree as ET

from portal.charts import Series, attainment_bars, bar_chart, line_chart


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on malformed markup


def test_bar_chart_has_a_bar_per_value_and_escapes_labels():
    svg = bar_chart(
        ["三叉社区", "<钱塘>"],
        [Series("文化", [3, 12]), Series("体育", [1, 0])],
        title="活动",
        target=12,
    )
    root = parse(svg)
    rects = [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    assert len(rects) == 4
    assert "&lt;钱塘&gt;" in svg and "三叉" in svg and "目标 12" in svg


def test_bar_height_is_proportional_to_value():
    root = parse(bar_chart(["甲", "乙"], [Series("x", [5, 10])], max_value=10))
    bars = [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    h = [float(b.get("height")) for b in bars]
    assert abs(h[1] - 2 * h[0]) < 0.2


def test_line_and_attainment_charts_are_valid_svg():
    parse(
        line_chart(
            ["1月", "2月", "3月"],
            [Series("2013", [1, 2, 3]), Series("2014", [2, 2, 5])],
            title="月度",
        )
    )
    svg = attainment_bars([("A1 文化活动室", 100), ("A4 文化活动", 41.7), ("超出", 140)])
    parse(svg)
    assert "100%" in svg and "41.7%" in svg
