"""The metric registry: what the assessment can count from the records.

Each metric is declared once (base.Metric: measures over a source, and how they make the
value), in the module of its domain: facilities.py, teams.py, activities.py, stars.py.
statement.py derives from the declarations the one query that reads them for every
community of a street or a city, with or without the evidence ids. To add a metric: declare
it in its domain's module and add its rule test; nothing else.
"""

from . import activities, facilities, stars, teams  # noqa: F401  (registers the metrics)
from .base import (
    IDS,
    METRICS,
    CadreDeadlines,
    Measure,
    Metric,
    MetricContext,
    MetricValue,
    choices,
    count,
    highest,
    register,
    total,
)
from .sources import (
    SOURCES,
    active_brands,
    active_teams,
    active_volunteers,
    cadre_compliant,
    cadres_in_office,
    counted_activities,
    holds_level,
    in_office_for,
    in_use_at,
    valid_certificates,
)
from .statement import (
    Adjustments,
    PopulationRow,
    decoded,
    figures_of,
    populations,
    read,
)

__all__ = [
    "IDS",
    "METRICS",
    "SOURCES",
    "Adjustments",
    "CadreDeadlines",
    "Measure",
    "Metric",
    "MetricContext",
    "MetricValue",
    "PopulationRow",
    "active_brands",
    "active_teams",
    "active_volunteers",
    "cadre_compliant",
    "cadres_in_office",
    "choices",
    "count",
    "counted_activities",
    "decoded",
    "figures_of",
    "highest",
    "holds_level",
    "in_office_for",
    "in_use_at",
    "populations",
    "read",
    "register",
    "total",
    "valid_certificates",
]
