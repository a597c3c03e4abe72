"""Reads reused by several pages."""

from django.db.models import Count, Q
from django.utils import timezone

from activities.models import Activity, ActivityStatus
from facilities.models import Facility
from teams.models import Person, Team

from . import scope


def home_figures(user) -> dict:
    year = timezone.localdate().year
    communities = scope.visible_communities(user)
    activities = scope.scope(Activity.objects.filter(date__year=year), user)
    by_status = dict(activities.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "year": year,
        "communities": communities.count(),
        "facilities": scope.scope(Facility.objects.all(), user).count(),
        "teams": scope.scope(Team.objects.filter(dissolved_on__isnull=True), user).count(),
        "persons": _visible_persons(user).count(),
        "activities": [(s.label, by_status.get(s.value, 0), s.value) for s in ActivityStatus],
    }


def _visible_persons(user):
    if scope.is_street_user(user):
        return scope.scope(Person.objects.all(), user, via="street")
    communities = scope.visible_communities(user)
    return Person.objects.filter(
        Q(volunteer__community__in=communities)
        | Q(certificates__community__in=communities)
        | Q(cadre_posts__community__in=communities)
        | Q(team_memberships__team__community__in=communities)
    ).distinct()
