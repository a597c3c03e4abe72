"""Forms of records that belong to a community."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.forms import ModelForm

from . import scope
from .models import Community

if TYPE_CHECKING:
    from .scope import User


class ScopedModelForm(ModelForm):
    """A ModelForm whose 社区 choices are the communities the user may edit.

    A cadre edits only one community: the field is shown fixed (disabled), so a forged POST
    cannot move a record elsewhere. Leaders have no editable community and see no choices.
    """

    community_field_name: ClassVar[str] = "community"

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for other in self.fields.values():
            choices = getattr(other, "choices", None)
            if isinstance(choices, list) and choices and choices[0] == ("", "---------"):
                other.choices = [("", "请选择"), *choices[1:]]
        field = self.fields.get(self.community_field_name)
        if field is None:
            return
        communities = list(scope.editable_communities(user).order_by("name"))
        field.queryset = Community.objects.filter(pk__in=[c.pk for c in communities])
        field.empty_label = "请选择社区"
        if len(communities) == 1:
            field.initial = communities[0].pk
            field.disabled = True
            if not self.instance.pk:
                setattr(self.instance, self.community_field_name, communities[0])
