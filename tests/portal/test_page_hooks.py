"""The portal's generic pages import no app, so who may see, create, edit and save is left to
hooks: a page that forgets one fails loudly, naming itself, rather than showing everything."""

import pytest
from django.test import RequestFactory

from facilities.models import Facility
from portal import pages


class Forgetful(pages.ListPage, pages.DetailPage, pages.CreatePage):
    model = Facility


@pytest.mark.parametrize(
    ("hook", "args"),
    [
        (pages.ListPage.get_scoped_queryset, ()),
        (pages.ListPage.user_may_create, ()),
        (pages.RecordMixin.get_scoped_queryset, ()),
        (pages.DetailPage.user_can_edit, (None,)),
        (pages.ServiceFormMixin.save_service, (None,)),
        (pages.CreatePage.user_may_create, ()),
    ],
)
def test_a_page_without_its_access_hook_refuses_by_name(hook, args):
    page = Forgetful()
    page.request = RequestFactory().get("/")
    with pytest.raises(NotImplementedError, match="Forgetful"):
        hook(page, *args)
