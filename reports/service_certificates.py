"""志愿服务记录证明 as a one-page A4 PDF, one certificate or many in one file.

What is printed comes from the certificate as issued (service.ServiceCertificate, its frozen
list of services): a certificate printed again later says exactly what was certified.
Up to LIST_MAX services are listed one by one; more (a year of weekly service) are summed
by month so the certificate stays on one page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from service.models import ServiceCertificate

from .pdf import join_documents, render_document, render_pdf

LIST_MAX = 24
CHUNK = 20  # certificates laid out at a time in a batch (progress between chunks)


@dataclass(frozen=True)
class Line:
    when: str
    what: str
    hours: Decimal


@dataclass(frozen=True)
class Printed:
    cert: ServiceCertificate
    street: str
    lines: list[Line]
    by_month: bool


def lines_of(services: Sequence[Sequence[str]]) -> tuple[list[Line], bool]:
    """The table of a certificate: each service, or one line a month when there are many."""
    if len(services) <= LIST_MAX:
        return [Line(d, what, Decimal(h)) for d, what, h in services], False
    months: dict[str, list[Decimal]] = {}
    for d, _what, h in services:
        months.setdefault(d[:7], []).append(Decimal(h))
    return [
        Line(f"{m[:4]}年{int(m[5:])}月", f"服务 {len(hs)} 次", sum(hs, Decimal(0)))
        for m, hs in months.items()
    ], True


def _printed(cert: ServiceCertificate) -> Printed:
    lines, by_month = lines_of(cert.services)
    return Printed(cert, cert.street.name, lines, by_month)


def certificates_pdf(certs: Sequence[ServiceCertificate]) -> bytes:
    """One page per certificate, in the order given."""
    return render_pdf(
        "reports/pdf/service_certificate.html", {"printed": [_printed(c) for c in certs]}
    )


def batch_pdf(certs: Sequence[ServiceCertificate], progress: Callable[[int, int], None]) -> bytes:
    """Many certificates as one PDF, laid out CHUNK at a time; `progress(done, total)`."""
    documents = []
    for i in range(0, len(certs), CHUNK):
        chunk = certs[i : i + CHUNK]
        documents.append(
            render_document(
                "reports/pdf/service_certificate.html", {"printed": [_printed(c) for c in chunk]}
            )
        )
        progress(i + len(chunk), len(certs))
    return join_documents(documents)
