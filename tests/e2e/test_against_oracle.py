"""import_workbook + assess --json agree to the cent with an independent implementation.

Each seed builds a random valid workbook dense in the spec's boundaries (see
random_workbook.py), imports it with the real command, assesses every street with the real
command, and compares with oracle.py, which reads the rows with no Django at all.
ORACLE_SEEDS=N runs more seeds (150 agreed when this was written; 24 run by default).
"""

import contextlib
import io
import json
import os

import pytest
from django.core.management import call_command

from . import oracle
from .random_workbook import generate, oracle_view, write_xlsx


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            call_command(*args, stdout=out, stderr=err)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(int(os.environ.get("ORACLE_SEEDS", "24"))))
def test_random_workbook_matches_oracle(seed, tmp_path):
    rows = generate(seed)
    path = tmp_path / f"random-{seed}.xlsx"
    write_xlsx(rows, path, seed)
    code, out, err = run_command("import_workbook", str(path))
    assert code == 0, err

    for street in sorted({r["街道"] for r in rows["社区"]}):
        expected = oracle.assess(oracle_view(rows), street, 2014)
        code, out, err = run_command("assess", "--street", street, "--year", "2014", "--json")
        got = json.loads(out)
        assert code == (1 if expected["errors"] else 0), err
        assert sorted(e["community"] for e in got.get("errors", [])) == expected["errors"]
        assert got["street"] == street and got["year"] == 2014
        mine = [
            {
                k: c[k]
                for k in (
                    "community",
                    "rank",
                    "grade",
                    "cards",
                    "bonus",
                    "deduction",
                    "veto",
                    "total",
                    "indicators",
                )
            }
            for c in got["communities"]
        ]
        assert mine == expected["communities"]
