"""Issue 18: the rankings as plain functions against a fixture computed by hand."""

from decimal import Decimal as D

import pytest

from district import rankings as r

GRADES = ("优秀", "良好", "合格", "不合格")


def entry(cid, name, sid, kind, total, grade="", a=None, b=None, a1=None):
    return r.Entry(
        community_id=cid,
        name=name,
        street_id=sid,
        street={1: "A街道", 2: "B街道", 3: "C街道"}[sid],
        kind=kind,
        total=None if total is None else D(total),
        grade=grade,
        cards={"A": D(a), "B": D(b)} if a is not None else {},
        indicators={"A1": None if a1 is None else D(a1)},
    )


# street A: 185, 170, 170 (a tie)   street B: 170, 120, unscorable   street C: 150
# (ties are listed by street, then by name)
ENTRIES = [
    entry(1, "A1社区", 1, "普通", "185", "优秀", "95", "90", "15"),
    entry(2, "A2社区", 1, "回迁", "170", "良好", "80", "90", "15"),
    entry(3, "A3社区", 1, "普通", "170", "良好", "90", "80", "10"),
    entry(4, "B1社区", 2, "回迁", "170", "良好", "85", "85", None),
    entry(5, "B2社区", 2, "普通", "120", "合格", "60", "60", "7.5"),
    entry(6, "B3社区", 2, "普通", None),
    entry(7, "C1社区", 3, "回迁", "150", "合格", "75", "75", "15"),
]


def rows(ranked):
    return [(x.rank, x.district_rank, x.entry.name, x.value) for x in ranked]


def test_competition_ranks_share_ties_and_skip():
    assert r.competition_ranks([D(5), D(7), D(7), None, D(1), D(7)]) == [4, 1, 1, None, 5, 1]
    assert r.competition_ranks([]) == []


def test_overall_ranking_with_ties_then_unranked_last():
    assert rows(r.rank(ENTRIES)) == [
        (1, 1, "A1社区", D(185)),
        # three at 170: rank 2 shared, by street then name
        (2, 2, "A2社区", D(170)),
        (2, 2, "A3社区", D(170)),
        (2, 2, "B1社区", D(170)),
        (5, 5, "C1社区", D(150)),
        (6, 6, "B2社区", D(120)),
        (None, None, "B3社区", None),
    ]


def test_ranking_by_card_and_by_indicator():
    assert [(x.rank, x.entry.name) for x in r.rank(ENTRIES, "card:B")] == [
        (1, "A1社区"),
        (1, "A2社区"),
        (3, "B1社区"),
        (4, "A3社区"),
        (5, "C1社区"),
        (6, "B2社区"),
        (None, "B3社区"),
    ]
    # A1: 15 ×3, 10, 7.5; B1社区's manual item is unscored, B3社区 unscorable
    assert [(x.rank, x.entry.name) for x in r.rank(ENTRIES, "ind:A1")] == [
        (1, "A1社区"),
        (1, "A2社区"),
        (1, "C1社区"),
        (4, "A3社区"),
        (5, "B2社区"),
        (None, "B1社区"),
        (None, "B3社区"),
    ]


def test_filters_rank_within_and_keep_the_district_rank():
    assert rows(r.rank(ENTRIES, kind="回迁")) == [
        (1, 2, "A2社区", D(170)),
        (1, 2, "B1社区", D(170)),
        (3, 5, "C1社区", D(150)),
    ]
    assert rows(r.rank(ENTRIES, street_id=2)) == [
        (1, 2, "B1社区", D(170)),
        (2, 6, "B2社区", D(120)),
        (None, None, "B3社区", None),
    ]
    assert rows(r.rank(ENTRIES, street_id=2, kind="回迁")) == [(1, 2, "B1社区", D(170))]


def test_unknown_key_is_refused():
    with pytest.raises(ValueError, match="未知的排名依据"):
        r.value_of("rank")


def test_street_lines_average_spread_deviation_and_grades():
    lines = r.street_lines(ENTRIES, GRADES)
    # A: (185+170+170)/3 = 175, spread 15, deviation sqrt((100+25+25)/3) = sqrt(50) = 7.07
    # B: (170+120)/2 = 145, spread 50, deviation 25 (B3社区 counted, not scored)
    # C: 150, spread 0, deviation 0
    assert [
        (s.rank, s.street, s.count, s.scored, s.average, s.spread, s.deviation) for s in lines
    ] == [
        (1, "A街道", 3, 3, D("175.00"), D("15.00"), D("7.07")),
        (2, "C街道", 1, 1, D("150.00"), D("0.00"), D("0.00")),
        (3, "B街道", 3, 2, D("145.00"), D("50.00"), D("25.00")),
    ]
    assert dict(lines[0].grades) == {"优秀": 1, "良好": 2, "合格": 0, "不合格": 0}
    assert dict(lines[2].grades) == {"优秀": 0, "良好": 1, "合格": 1, "不合格": 0}


def test_street_averages_tie_share_a_rank():
    two = [entry(1, "A1", 1, "普通", "150"), entry(2, "B1", 2, "普通", "150")]
    three = [*two, entry(3, "C1", 3, "普通", None)]
    assert [(s.rank, s.street) for s in r.street_lines(three, GRADES)] == [
        (1, "A街道"),
        (1, "B街道"),
        (None, "C街道"),
    ]


def test_top_and_bottom_leave_out_the_unranked():
    top, bottom = r.top_and_bottom(r.rank(ENTRIES), 2)
    assert [x.entry.name for x in top] == ["A1社区", "A2社区"]
    assert [x.entry.name for x in bottom] == ["C1社区", "B2社区"]


def test_weakest_indicators_by_share_of_points():
    weak = r.weakest(ENTRIES, {"A1": ("文化活动室面积", D(15))})
    # scored A1 values: 15, 15, 10, 7.5, 15 -> 62.5 / 5 = 12.5; 12.5 / 15 = 0.83; two below 15
    assert [(w.code, w.average, w.share, w.missed) for w in weak] == [
        ("A1", D("12.50"), D("0.83"), 2)
    ]
