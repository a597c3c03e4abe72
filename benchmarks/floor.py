"""The physical floor of an assessment: one hand-written SQL statement that computes, for
every community of the given streets, the same counts the metric registry computes (what
every indicator of the default scheme, the population, the bonus and the deduction need).

It fetches no evidence ids and applies no rules, so no engine can be faster than this
statement on the same tables; the benchmark reports the engine's time as a multiple of it.
`disagreements` checks that the floor really counts the same things as the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from assessments import services, statements
from communities.models import Street

LEVELS = (
    "CASE k.level WHEN '三级' THEN 1 WHEN '二级' THEN 2 WHEN '一级' THEN 3 WHEN '国家级' THEN 4 END"
)
CULTURE_ROOMS = "('文化活动室','多功能活动室','图书阅览室','电子阅览室','培训排练室','文体娱乐室','文化礼堂','讲堂')"
# A2's items: the two reading rooms are one item.
ROOM_ITEM = (
    "CASE WHEN f.kind IN ('图书阅览室','电子阅览室') THEN '阅览室' "
    "WHEN f.kind IN ('多功能活动室','培训排练室','文体娱乐室','共享工程服务点') THEN f.kind END"
)

SQL = f"""
WITH c AS (
  SELECT id FROM communities_community WHERE street_id IN ({{streets}})
),
act AS (
  SELECT a.community_id AS cid,
         SUM(CASE WHEN a.category = '文化' THEN 1 ELSE 0 END) AS culture,
         SUM(CASE WHEN a.category = '文化' AND a.scale IN ('大型','中型') THEN 1 ELSE 0 END) AS culture_large,
         SUM(CASE WHEN a.category = '体育' THEN 1 ELSE 0 END) AS sports,
         SUM(CASE WHEN a.has_plan AND a.has_arrangement AND a.has_material AND a.has_image
                   AND a.has_summary THEN 1 ELSE 0 END) AS archived,
         COUNT(*) AS counted
  FROM activities_activity a JOIN c ON c.id = a.community_id
  WHERE a.status = 'verified' AND a.date >= %(start)s AND a.date <= %(as_of)s
  GROUP BY a.community_id
),
exch AS (
  SELECT x.cid, COUNT(DISTINCT x.aid) AS n FROM (
    SELECT a.community_id AS cid, a.id AS aid FROM activities_activity a
    WHERE a.status = 'verified' AND a.is_exchange AND a.date >= %(start)s AND a.date <= %(as_of)s
    UNION
    SELECT p.community_id, a.id FROM activities_activitypartner p
    JOIN activities_activity a ON a.id = p.activity_id
    WHERE a.status = 'verified' AND a.is_exchange AND a.date >= %(start)s AND a.date <= %(as_of)s
  ) x JOIN c ON c.id = x.cid
  GROUP BY x.cid
),
fac AS (
  SELECT f.community_id AS cid,
         SUM(CASE WHEN f.kind IN {CULTURE_ROOMS} THEN COALESCE(f.area, 0) ELSE 0 END) AS area,
         COUNT(DISTINCT {ROOM_ITEM}) AS rooms,
         SUM(CASE WHEN f.ownership = '共建共享' AND f.free_open THEN 1 ELSE 0 END) AS shared_free,
         SUM(CASE WHEN f.kind = '健身路径' THEN f.sets ELSE 0 END) AS fitness_sets,
         SUM(CASE WHEN f.kind = '室内体育活动室' THEN 1 ELSE 0 END) AS indoor
  FROM facilities_facility f JOIN c ON c.id = f.community_id
  WHERE f.status = '在用' AND (f.opened_on IS NULL OR f.opened_on <= %(as_of)s)
  GROUP BY f.community_id
),
tm AS (
  SELECT t.community_id AS cid,
         SUM(CASE WHEN t.category = '文化' THEN 1 ELSE 0 END) AS culture_teams,
         SUM(CASE WHEN t.category = '文化' AND h.team_id IS NOT NULL THEN 1 ELSE 0 END) AS culture_excellent,
         SUM(CASE WHEN t.category = '体育' THEN 1 ELSE 0 END) AS sports_teams,
         SUM(CASE WHEN t.category = '体育' AND h.team_id IS NOT NULL THEN 1 ELSE 0 END) AS sports_excellent
  FROM teams_team t JOIN c ON c.id = t.community_id
  LEFT JOIN (SELECT DISTINCT team_id FROM teams_teamhonour
             WHERE year = %(year)s AND title = '优秀团队') h ON h.team_id = t.id
  WHERE (t.founded_on IS NULL OR t.founded_on <= %(as_of)s)
    AND (t.dissolved_on IS NULL OR t.dissolved_on > %(as_of)s)
  GROUP BY t.community_id
),
vol AS (
  SELECT v.community_id AS cid, COUNT(*) AS n
  FROM teams_volunteer v JOIN c ON c.id = v.community_id
  WHERE v.registered_on <= %(as_of)s AND (v.left_on IS NULL OR v.left_on > %(as_of)s)
  GROUP BY v.community_id
),
ins AS (
  SELECT x.cid, COUNT(*) AS n, SUM(CASE WHEN x.best >= 3 THEN 1 ELSE 0 END) AS senior FROM (
    SELECT k.community_id AS cid, k.person_id, MAX({LEVELS}) AS best
    FROM teams_certificate k JOIN c ON c.id = k.community_id
    WHERE k.issued_on <= %(as_of)s AND (k.expires_on IS NULL OR k.expires_on > %(as_of)s)
    GROUP BY k.community_id, k.person_id
  ) x GROUP BY x.cid
),
cad AS (
  SELECT d.community_id AS cid, COUNT(*) AS n,
         MAX(CASE WHEN d.post = '两委分管文体' THEN 1 ELSE 0 END)
           + MAX(CASE WHEN d.post = '文体管理员' THEN 1 ELSE 0 END) AS posts,
         SUM(CASE WHEN d.appointed_on <= %(senior_since)s THEN
                   CASE WHEN COALESCE(held.best, 0) >= 3 THEN 1 ELSE 0 END
                  WHEN d.appointed_on <= %(basic_since)s THEN
                   CASE WHEN COALESCE(held.best, 0) >= 1 THEN 1 ELSE 0 END
                  ELSE 1 END) AS compliant
  FROM teams_cadre d JOIN c ON c.id = d.community_id
  LEFT JOIN (
    SELECT k.person_id, MAX({LEVELS}) AS best FROM teams_certificate k
    WHERE k.issued_on <= %(as_of)s AND (k.expires_on IS NULL OR k.expires_on > %(as_of)s)
    GROUP BY k.person_id
  ) held ON held.person_id = d.person_id
  WHERE d.appointed_on <= %(as_of)s AND (d.left_on IS NULL OR d.left_on > %(as_of)s)
  GROUP BY d.community_id
),
br AS (
  SELECT b.community_id AS cid,
         SUM(CASE WHEN b.category = '示范文化品牌' THEN 1 ELSE 0 END) AS culture,
         SUM(CASE WHEN b.category = '特色体育项目' THEN 1 ELSE 0 END) AS sports
  FROM activities_brand b JOIN c ON c.id = b.community_id
  WHERE b.recognised_year <= %(year)s AND (b.revoked_year IS NULL OR b.revoked_year > %(year)s)
  GROUP BY b.community_id
),
star AS (
  SELECT r.community_id AS cid, MAX(r.stars) AS stars
  FROM communities_starrating r JOIN c ON c.id = r.community_id
  WHERE r.year = %(year)s GROUP BY r.community_id
),
aw AS (
  SELECT w.community_id AS cid,
         SUM(CASE w.level WHEN '区级' THEN 1 WHEN '市级' THEN 2 WHEN '省级' THEN 3
                          WHEN '国家级' THEN 5 ELSE 0 END) AS bonus
  FROM communities_award w JOIN c ON c.id = w.community_id
  WHERE w.year = %(year)s GROUP BY w.community_id
),
de AS (
  SELECT e.community_id AS cid, SUM(e.points) AS points,
         MAX(CASE WHEN e.veto THEN 1 ELSE 0 END) AS veto
  FROM communities_deduction e JOIN c ON c.id = e.community_id
  WHERE e.year = %(year)s GROUP BY e.community_id
)
SELECT c.id,
       (SELECT p.residents FROM communities_population p
         WHERE p.community_id = c.id AND p.year <= %(year)s AND p.residents IS NOT NULL
         ORDER BY p.year DESC LIMIT 1) AS population,
       act.culture, act.culture_large, act.sports, act.archived, act.counted, exch.n,
       fac.area, fac.rooms, fac.shared_free, fac.fitness_sets, fac.indoor,
       tm.culture_teams, tm.culture_excellent, tm.sports_teams, tm.sports_excellent,
       vol.n, ins.n, ins.senior, cad.posts, cad.compliant, cad.n,
       br.culture, br.sports, star.stars,
       (SELECT s.stars FROM communities_startarget s
         WHERE s.community_id = c.id AND s.year = %(year)s) AS target,
       aw.bonus, de.points, de.veto
FROM c
LEFT JOIN act ON act.cid = c.id LEFT JOIN exch ON exch.cid = c.id
LEFT JOIN fac ON fac.cid = c.id LEFT JOIN tm ON tm.cid = c.id
LEFT JOIN vol ON vol.cid = c.id LEFT JOIN ins ON ins.cid = c.id
LEFT JOIN cad ON cad.cid = c.id LEFT JOIN br ON br.cid = c.id
LEFT JOIN star ON star.cid = c.id LEFT JOIN aw ON aw.cid = c.id LEFT JOIN de ON de.cid = c.id
"""

COLUMNS = (
    "population",
    "A4",
    "A5",
    "B7",
    "A10",
    "A10_total",
    "A6",
    "A1",
    "A2",
    "A11",
    "B1",
    "B2",
    "A3",
    "A3_excellent",
    "B6",
    "B6_excellent",
    "A8",
    "B3",
    "B4",
    "A9",
    "B5",
    "B5_total",
    "A7",
    "B8",
    "B9",
    "B9_target",
    "bonus",
    "deduction",
    "veto",
)


def _years_before(day: dt.date, years: int) -> dt.date:
    """The last appointment day that has reached `years` whole years of office at `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 Feb in a common year
        return day.replace(year=day.year - years, day=28)


def floor_counts(
    streets: Sequence[Street], year: int, *, jit: bool = True
) -> dict[int, dict[str, Any]]:
    """{community id: {indicator code: count}} for the streets' communities (default scheme:
    B5 needs 三级 after 1 year in office and 一级 after 3). jit=False: on PostgreSQL, with JIT
    compilation off for the statement, as the engine runs its own (assessments/statements.py);
    the default is the server's setting."""
    as_of = services.year_end(year)
    params = {
        "start": dt.date(year, 1, 1),
        "as_of": as_of,
        "year": year,
        "basic_since": _years_before(as_of, 1),
        "senior_since": _years_before(as_of, 3),
    }
    sql = SQL.replace("{streets}", ",".join(str(int(s.pk)) for s in streets))
    with connection.cursor() as cursor:
        if not jit and statements.without_jit(cursor):
            cursor.execute(f"SET LOCAL jit = off; {sql}; SET LOCAL jit TO DEFAULT", params)
            cursor.nextset()
        else:
            cursor.execute(sql, params)
        return {row[0]: dict(zip(COLUMNS, row[1:], strict=True)) for row in cursor.fetchall()}


def _engine_counts(outcome: services.CommunityOutcome) -> dict[str, Any]:
    ind = {i.code: i for i in outcome.indicators}
    out: dict[str, Any] = {code: i.value for code, i in ind.items()}
    out["A3_excellent"] = ind["A3"].detail.get("excellent", 0)
    out["B6_excellent"] = ind["B6"].detail.get("excellent", 0)
    out["A10_total"] = ind["A10"].detail.get("total", 0)
    out["B5_total"] = ind["B5"].detail.get("total", 0)
    out["B9_target"] = ind["B9"].detail.get("target")
    out["population"] = outcome.population
    return out


def disagreements(
    floor: dict[int, dict[str, Any]], assessments: Sequence[services.Assessment]
) -> list[str]:
    """Where the floor's counts differ from the engine's values (empty: they agree)."""
    out = []
    for assessment in assessments:
        for outcome in assessment.scored:
            mine = floor[outcome.community_id]
            for key, value in _engine_counts(outcome).items():
                theirs = mine.get(key)
                if key == "B9_target" and theirs is None:
                    theirs = None
                elif theirs is None:
                    theirs = 0
                if value is None and theirs is None:
                    continue
                if Decimal(str(value)) != Decimal(str(theirs)):
                    out.append(f"{outcome.name} {key}: 引擎 {value}，SQL {theirs}")
    return out
