"""考核结果通知书: one A4 page telling one community its result, its gaps and what to do.

Printed from a stored run's frozen rows only, like the annual report (reports/annual.py),
whose community section it reuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assessments.models import Run
from communities.models import Community

from . import annual
from .pdf import render_pdf

# Past this many gaps the advice sentences no longer fit on one page; the notice then lists
# the gaps alone and points to the annual report for the advice.
FULL_ADVICE_MAX = 10


@dataclass(frozen=True)
class Notice:
    street: str
    year: int
    status: str
    status_line: str
    version: int
    issued_on: dt.date | None  # the finalisation date; None while the run is a draft
    scored_count: int
    bands_text: str
    section: annual.CommunitySection

    @property
    def with_advice(self) -> bool:
        return len(self.section.gaps) <= FULL_ADVICE_MAX

    @property
    def filename(self) -> str:
        tag = "" if self.status == "定稿" else f"（{self.status}）"
        return f"{self.section.name}{self.year}年度考核结果通知书{tag}.pdf"


def build_notice(run: Run, community: Community | int) -> Notice:
    cid = community if isinstance(community, int) else community.pk
    results = annual.run_results(run, [cid])
    if not results:
        raise ValueError("该次考核中没有这个社区。")
    status, line, on = annual.run_status(run)
    cards = annual.card_heads(run.scheme_snapshot)
    return Notice(
        street=run.street.name,
        year=run.year,
        status=status,
        status_line=line,
        version=run.version,
        issued_on=on,
        scored_count=run.results.filter(error="").count(),
        bands_text=annual.bands_text(annual.bands_of(run.scheme_snapshot)),
        section=annual.sections_of(results, run.scheme_snapshot, cards)[0],
    )


def render(notice: Notice) -> bytes:
    return render_pdf("reports/pdf/notice.html", {"notice": notice})


def notice_pdf(*, run: Run, community: Community | int) -> bytes:
    """考核结果通知书 of one community in a stored run: one page."""
    return render(build_notice(run, community))
