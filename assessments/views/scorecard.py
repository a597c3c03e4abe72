"""A community's scorecard of a run and the records behind every number of it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from communities import scope

from .. import selectors


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_or_404(request.user, pk)
    indicators = list(result.indicators.all())
    cards = [
        {
            **card,
            "points": result.cards.get(card["code"]),
            "indicators": [i for i in indicators if i.card == card["code"]],
        }
        for card in result.run.scheme_snapshot.get("cards", [])
    ]
    return render(
        request,
        "assessments/scorecard.html",
        {
            "result": result,
            "run": result.run,
            "cards": cards,
            # 整改 (issue 15): street staff issue a rectification from a line
            "may_rectify": scope.can_verify(request.user)
            and scope.can_edit_community(request.user, result.community_id),
        },
    )


@login_required
def evidence(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    result = selectors.result_or_404(request.user, pk)
    tables = []
    if code in ("bonus", "deduction"):
        ids = result.bonus_ids if code == "bonus" else result.deduction_ids
        title = "加分（获奖）" if code == "bonus" else "扣分"
        tables.append(
            (
                "",
                selectors.evidence_table(
                    request.user, f"communities.{'award' if code == 'bonus' else code}", ids
                ),
            )
        )
        indicator = None
    else:
        indicator = result.indicators.filter(code=code).first()
        if indicator is None:
            raise Http404("没有该指标。")
        title = f"{indicator.code} {indicator.name}"
        model = indicator.evidence.get("model", "")
        tables.append(
            (
                "计入的记录",
                selectors.evidence_table(request.user, model, indicator.evidence.get("ids", [])),
            )
        )
        for key, label in selectors.PART_TITLES.items():
            if key in indicator.detail:
                tables.append(
                    (label, selectors.evidence_table(request.user, model, indicator.detail[key]))
                )
    return render(
        request,
        "assessments/evidence.html",
        {
            "result": result,
            "run": result.run,
            "indicator": indicator,
            "title": title,
            "tables": [(label, t) for label, t in tables if t is not None],
        },
    )
