import pytest
from django.http import Http404

from communities import scope
from facilities.models import Facility
from tests import factories as f


@pytest.mark.django_db
def test_each_role_sees_its_communities(cast):
    def names(qs):
        return sorted(qs.values_list("name", flat=True))

    assert names(scope.visible_communities(cast.street_admin)) == ["甲一社区", "甲二社区"]
    assert names(scope.visible_communities(cast.leader)) == ["甲一社区", "甲二社区"]
    assert names(scope.visible_communities(cast.cadre_a1)) == ["甲一社区"]
    assert names(scope.visible_communities(cast.cadre_b1)) == ["乙一社区"]
    assert names(scope.visible_communities(cast.nobody)) == []
    assert names(scope.editable_communities(cast.leader)) == []
    assert names(scope.editable_communities(cast.street_staff)) == ["甲一社区", "甲二社区"]


@pytest.mark.django_db
def test_out_of_scope_object_is_404(cast):
    other = f.FacilityFactory(community=cast.a2)
    with pytest.raises(Http404):
        scope.get_for_user_or_404(Facility.objects.all(), cast.cadre_a1, pk=other.pk)
    assert (
        scope.get_for_user_or_404(Facility.objects.all(), cast.street_staff, pk=other.pk) == other
    )
    with pytest.raises(Http404):
        scope.get_for_user_or_404(Facility.objects.all(), cast.staff_b, pk=other.pk)
    with pytest.raises(Http404):
        scope.get_for_user_or_404(Facility.objects.all(), cast.leader, editable=True, pk=other.pk)


@pytest.mark.django_db
def test_district_roles_see_their_district_and_change_nothing(cast):
    def names(qs):
        return sorted(qs.values_list("name", flat=True))

    for user in (cast.district_admin, cast.district_viewer):
        assert names(scope.visible_communities(user)) == ["甲一社区", "甲二社区"]
        assert names(scope.visible_streets(user)) == ["甲街道"]
        assert names(scope.visible_districts(user)) == ["甲区"]
        assert names(scope.editable_communities(user)) == []
        assert not scope.can_edit_anything(user)
        assert not scope.can_verify(user)
        assert not scope.can_administer(user)
        assert scope.is_district_user(user)
        with pytest.raises(Http404):
            scope.get_for_user_or_404(
                Facility.objects.all(), user, pk=f.FacilityFactory(community=cast.b1).pk
            )
    assert scope.can_administer_district(cast.district_admin)
    assert not scope.can_administer_district(cast.district_viewer)
    assert not scope.is_district_user(cast.street_admin)
    assert names(scope.visible_districts(cast.street_admin)) == ["甲区"]
    assert names(scope.visible_districts(cast.staff_b)) == ["乙区"]
