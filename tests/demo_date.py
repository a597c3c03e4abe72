"""The fixed date the tests load the demo street for, so that its figures never move.

load_demo builds the street as it stands on a date (demo.timeline): the two years before it
complete and finalised, its own year in progress. On DEMO_AS_OF the complete years are the
seed's own 2013 and 2014, whose figures the tests (and the oracle) check.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

DEMO_AS_OF = dt.date(2015, 6, 15)


def load_demo_at(as_of: dt.date = DEMO_AS_OF) -> str:
    """Run `load_demo --as-of` and return what it printed."""
    out = io.StringIO()
    call_command("load_demo", "--as-of", as_of.isoformat(), stdout=out)
    return out.getvalue()
