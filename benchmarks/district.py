"""The district tier (issue 18) on the synthetic city grouped into districts of ten streets
(city.ensure_districts; the city's 100 streets: 10 districts × 10 streets × 30 communities): the district pages
for a district user (≤150 ms median, a query count that does not grow with the district's
streets: counted again with the district cut to SMALL streets), the white paper of the first
district against WeasyPrint alone; and (issue 15) the reporting board of the city's largest
street, over a year of generated period submissions (`reporting` below)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from communities.models import District, Membership, Role, Street

from . import board, city
from .cases import against_weasyprint
from .measure import Figure, cold_and_warm, count_queries, fmt_s, isolated, rss_peak_mb

SMALL = 3  # streets of the cut-down district the query counts are compared with


def district_user(district: District) -> Any:
    user, _ = get_user_model().objects.get_or_create(username="bench_district")
    Membership.objects.update_or_create(
        user=user, defaults={"role": Role.DISTRICT_VIEWER, "district": district, "street": None}
    )
    return user


def _pages(year: int) -> list[tuple[str, str]]:
    q = f"?year={year}"
    return [
        ("区县看板", reverse("district:index") + q),
        ("全区社区排名·总分", reverse("district:rankings") + q),
        ("全区社区排名·单项 A1", reverse("district:rankings") + q + "&by=ind:A1"),
        ("全区街道排名", reverse("district:streets") + q),
        ("全区报送情况（街道×月份）", reverse("district:reporting") + q),
    ]


def _queries_with_fewer_streets(client: Client, url: str, district: District, n: int) -> int:
    """The page's warm queries with the district cut to its first n streets (rolled back)."""
    with transaction.atomic():
        keep = Street.objects.filter(district=district).order_by("name")[:n]
        Street.objects.filter(district=district).exclude(pk__in=[s.pk for s in keep]).update(
            district=None
        )
        client.get(url)  # warm, as the full district's count is (a cache keyed by its streets)
        queries, _ = count_queries(lambda: client.get(url))
        transaction.set_rollback(True)
    return queries


def pages(scale: city.Scale) -> list[Figure]:
    districts = city.ensure_districts(scale)
    district = districts[0]
    board.ensure_submissions(Street.objects.filter(district=district), scale.year)
    client = Client(SERVER_NAME="localhost")
    client.force_login(district_user(district))
    streets = Street.objects.filter(district=district).count()
    small = min(SMALL, streets - 1) or 1
    figures = []
    for name, url in _pages(scale.year):

        def get(url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")

        # Cold (no computed score cached) and warm requests alternated (measure.py); the
        # queries of a warm request (the smaller district's count is warm too).
        cache.clear()
        get()  # templates compiled, the database's caches filled
        cold, warm = cold_and_warm(get, scale.runs)
        queries, _ = count_queries(get)
        fewer = _queries_with_fewer_streets(client, url, district, small)
        figures.append(
            Figure(
                "区县",
                name,
                warm,
                scale.runs,
                queries=queries,
                limit_seconds=0.150,
                note=f"无缓存 {fmt_s(cold)}，{cold / warm:.1f}×；{streets} 个街道 {queries} 次查询，"
                f"{small} 个街道 {fewer} 次",
                extra={
                    "queries_fewer_streets": fewer,
                    "fewer_streets": small,
                    "cold_seconds": cold,
                },
            )
        )
    return figures


def white_paper_times(district_id: int, year: int, runs: int) -> dict[str, float]:
    """The white paper of the district (computing included), and WeasyPrint alone on the
    same HTML and stylesheet."""
    from district.selectors import district_year
    from district.white_paper import build, white_paper_pdf

    data = district_year(District.objects.get(pk=district_id), year)

    def full() -> bytes:
        return white_paper_pdf(district_year(District.objects.get(pk=district_id), year))

    out = against_weasyprint("district/pdf/white_paper.html", {"paper": build(data)}, full, runs)
    return {**out, "communities": len(data.entries)}


def white_paper(scale: city.Scale, isolate: bool) -> list[Figure]:
    district = city.ensure_districts(scale)[0]
    runs = min(scale.runs, 3)
    if isolate:
        out, peak = isolated("benchmarks.district:white_paper_times", district.pk, scale.year, runs)
    else:
        out, peak = white_paper_times(district.pk, scale.year, runs), rss_peak_mb()
    return [
        Figure(
            "区县",
            f"区县白皮书，{out['communities']} 个社区",
            out["full"],
            runs,
            peak_mb=peak,
            reference="WeasyPrint 单独渲染同一 HTML",
            reference_seconds=out["weasy"],
            note=f"{out['bytes'] / 1024:.0f} KB",
        )
    ]


def cases(scale: city.Scale, isolate: bool) -> list[Figure]:
    return pages(scale) + white_paper(scale, isolate)
