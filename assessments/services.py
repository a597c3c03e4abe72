"""The assessment app's public operations, in one place to import from.

Where each lives:
- engine.py — compute / compute_streets / evaluate: the assessment of streets, writes nothing
- scoring.py — a scheme's rules applied to the gathered figures (no database)
- outcomes.py — Assessment, CommunityOutcome, IndicatorOutcome, assessment_json
- runs.py — run_assessment, finalise_run, compare_runs (versioned, frozen results)
- manual.py — manual_self_score, manual_assess, manual_district_assess (人工指标)
- scheme_edits.py — the street admin's scheme edits
"""

from .engine import (
    EXTRA,
    Extra,
    compute,
    compute_streets,
    evaluate,
    evaluate_many,
    metric_context,
    resolve_as_of,
    scheme_for,
    year_end,
)
from .manual import manual_assess, manual_district_assess, manual_self_score
from .outcomes import Assessment, CommunityOutcome, IndicatorOutcome, assessment_json
from .runs import (
    CommunityDiff,
    IndicatorDiff,
    check_street_user,
    compare_runs,
    finalise_run,
    run_and_outcome,
    run_assessment,
)
from .scheme_edits import (
    grade_bands_update,
    indicator_delete,
    indicator_update,
    manual_indicator_add,
    scheme_copy,
    scheme_ensure,
    scheme_settings_update,
)
from .scoring import manual_points

__all__ = [
    "EXTRA",
    "Assessment",
    "CommunityDiff",
    "CommunityOutcome",
    "Extra",
    "IndicatorDiff",
    "IndicatorOutcome",
    "assessment_json",
    "check_street_user",
    "compare_runs",
    "compute",
    "compute_streets",
    "evaluate",
    "evaluate_many",
    "finalise_run",
    "grade_bands_update",
    "indicator_delete",
    "indicator_update",
    "manual_assess",
    "manual_district_assess",
    "manual_indicator_add",
    "manual_points",
    "manual_self_score",
    "metric_context",
    "resolve_as_of",
    "run_and_outcome",
    "run_assessment",
    "scheme_copy",
    "scheme_ensure",
    "scheme_for",
    "scheme_settings_update",
    "year_end",
]
