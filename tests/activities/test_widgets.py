"""The activity form's choice lists, written in Python (activities/widgets.py), are the markup
Django's own widget templates give: compared for a street user's new form (every community's
options) and for an existing activity with choices made, names that need escaping included."""

from __future__ import annotations

import functools

import pytest
from django import forms

from activities.forms import ActivityForm
from tests import factories as f

FIELDS = ("location", "teams", "brand", "partners")


def both_ways(form: ActivityForm) -> list[tuple[str, str, str]]:
    out = []
    for name in FIELDS:
        widget = form.fields[name].widget
        ours = str(form[name])
        widget.render = functools.partial(forms.Widget.render, widget)  # Django's templates
        try:
            theirs = str(form[name])
        finally:
            del widget.render
        out.append((name, ours, theirs))
    return out


@pytest.mark.django_db
def test_the_choice_lists_are_djangos_markup(cast):
    for community in (cast.a1, cast.a2):
        f.FacilityFactory(community=community, name=f"{community.name}<活动室> & “大厅”")
        f.TeamFactory(community=community, name=f"{community.name}舞蹈队")
        f.BrandFactory(community=community, name=f"{community.name}品牌")
    team = f.TeamFactory(community=cast.a1, name="甲一太极队")
    new = ActivityForm(user=cast.street_staff)
    activity = f.ActivityFactory(community=cast.a1, is_exchange=True)
    activity.teams.add(team)
    activity.partners.add(cast.a2)
    existing = ActivityForm(instance=activity, user=cast.street_staff)
    bound = ActivityForm(
        data={"community": cast.a2.pk, "teams": [team.pk], "partners": [cast.a1.pk]},
        user=cast.street_staff,
    )
    for form in (new, existing, bound):
        for name, ours, theirs in both_ways(form):
            assert ours == theirs, (name, ours[-300:], theirs[-300:])
    rendered = dict((n, o) for n, o, _ in both_ways(new))
    assert "&lt;活动室&gt; &amp;" in rendered["location"]  # escaped, and compared above
    assert "data-community" in rendered["teams"] and "checked" in str(existing["teams"])
