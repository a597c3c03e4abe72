"""Pages of 双百分考核: runs and ranking, scorecards with the records behind every number,
manual scores, finalisation, version differences, and scheme editing — one module per page
family (runs, scorecard, manual_scores, scheme; common: what they share).

Everything is fetched through communities.scope (assessments.selectors): another street's
run or scheme, or another community's scorecard, is 404. What a role may not do (a leader
running an assessment, staff editing a scheme) is 403. Writes go through services.
assessments/urls.py reads the pages from here (`views.index`, …).
"""

from .manual_scores import manual_file, manual_list, manual_score
from .runs import index, run_create, run_detail, run_diff, run_finalise
from .scheme import (
    indicator_delete,
    indicator_edit,
    manual_indicator_add,
    scheme_bands,
    scheme_copy,
    scheme_detail,
    scheme_list,
    scheme_settings,
)
from .scorecard import evidence, result_detail

__all__ = [
    "evidence",
    "index",
    "indicator_delete",
    "indicator_edit",
    "manual_file",
    "manual_indicator_add",
    "manual_list",
    "manual_score",
    "result_detail",
    "run_create",
    "run_detail",
    "run_diff",
    "run_finalise",
    "scheme_bands",
    "scheme_copy",
    "scheme_detail",
    "scheme_list",
    "scheme_settings",
]
