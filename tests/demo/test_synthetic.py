"""The small version of the synthetic city, so the generator cannot rot."""

import pytest
from django.core.management import call_command
from django.db import transaction

from activities.models import Activity
from communities.models import Community, Street
from teams.models import Certificate, Person


def snapshot():
    return (
        list(Street.objects.order_by("name").values_list("name", flat=True)),
        Community.objects.count(),
        list(
            Activity.objects.order_by("community__name", "date", "name").values_list(
                "name", "date", "status"
            )
        ),
        list(
            Certificate.objects.order_by("number").values_list(
                "number", "level", "issued_on", "expires_on"
            )
        ),
    )


@pytest.mark.django_db
def test_generator_is_reproducible_and_skips_existing_streets():
    call_command(
        "generate_synthetic",
        "--streets",
        "2",
        "--communities",
        "3",
        "--years",
        "2",
        "--activities",
        "12",
        "--seed",
        "7",
        stdout=None,
    )
    first = snapshot()
    assert first[0] == ["合成001街道", "合成002街道"] and first[1] == 6
    assert len(first[2]) > 50
    statuses = {s for _n, _d, s in first[2]}
    assert {"verified", "pending"} <= statuses
    assert Person.objects.filter(certificates__isnull=False).count() > 0

    call_command(
        "generate_synthetic",
        "--streets",
        "2",
        "--communities",
        "3",
        "--years",
        "2",
        "--activities",
        "12",
        "--seed",
        "7",
    )
    assert snapshot() == first  # existing streets are skipped, nothing duplicated


@pytest.mark.django_db
def test_same_seed_gives_the_same_city():
    args = (
        "generate_synthetic",
        "--streets",
        "1",
        "--communities",
        "2",
        "--years",
        "1",
        "--activities",
        "10",
    )

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            call_command(*args, "--seed", "3")
            first = snapshot()
            raise Rollback
    except Rollback:
        pass
    call_command(*args, "--seed", "3")
    assert snapshot() == first
