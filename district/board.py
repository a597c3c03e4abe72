"""区县看板: where each street of the district stands — its communities' scores and grades,
the plan's star targets met, activities waiting too long for verification — the weakest
indicators district-wide, and a small chart per street on one common scale."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .charts import strip_chart
from .periods import DistrictBoard, Tally
from .rankings import StreetLine, Weak, grade_counts, street_lines, weakest
from .selectors import DistrictYear, overdue_verification, star_targets


@dataclass
class StreetStanding:
    line: StreetLine
    targets: int  # communities with a 目标星级 for the year
    targets_met: int
    overdue: int  # activities waiting for verification too long
    chart: str = ""
    reporting: Tally | None = None  # the year's reporting (yearcycle) so far, when read

    @property
    def targets_share(self) -> Decimal | None:
        if not self.targets:
            return None
        return (Decimal(self.targets_met) * 100 / self.targets).quantize(Decimal("0.1"))


@dataclass
class Overview:
    data: DistrictYear
    streets: list[StreetStanding]
    grades: dict[str, int]
    weak: list[Weak]
    scale: Decimal
    bands: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def communities(self) -> int:
        return len(self.data.entries)

    @property
    def scored(self) -> int:
        return sum(1 for e in self.data.entries if e.total is not None)

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.streets)

    @property
    def streets_overdue(self) -> list[StreetStanding]:
        return [s for s in self.streets if s.overdue]


def overview(data: DistrictYear, reporting: DistrictBoard | None = None) -> Overview:
    """Two queries beyond the district's scores: star targets and overdue verification.
    `reporting`: the district's reporting board of the year, for each street's rates."""
    targets = star_targets(data.district, data.year)
    overdue = overdue_verification(data.district)
    lines = street_lines(data.entries, data.grades)
    present = {line.street_id for line in lines}
    for s in data.streets:  # a street without communities still has its line
        if s.pk not in present:
            lines.append(StreetLine(s.pk, s.name, 0, 0, None, None, None, {}))
    # One scale for every small chart: the scheme's full points (cards plus bonus cap).
    scale = sum((c.points for c in data.cards), Decimal(0)) or Decimal(200)
    bands = data.bands
    by_street: dict[int, list[Decimal]] = {}
    for e in data.entries:
        if e.total is not None:
            by_street.setdefault(e.street_id, []).append(e.total)
    tallies = {row.street_id: row.year for row in reporting.rows} if reporting else {}
    standings = []
    for line in lines:
        n, met = targets.get(line.street_id, (0, 0))
        totals = sorted(by_street.get(line.street_id, []), reverse=True)
        chart = strip_chart(totals, scale, bands, label=f"{line.street}各社区总分")
        standings.append(
            StreetStanding(
                line,
                n,
                met,
                overdue.get(line.street_id, 0),
                chart,
                tallies.get(line.street_id),
            )
        )
    indicators = {c.code: (c.name, c.points) for c in data.indicators}
    return Overview(
        data=data,
        streets=standings,
        grades=grade_counts(data.entries, data.grades),
        weak=weakest(data.entries, indicators, n=5),
        scale=scale,
        bands=bands,
    )
