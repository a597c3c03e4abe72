import pytest


@pytest.mark.django_db
def test_404_page_is_chinese(client, cast):
    client.force_login(cast.cadre_a1, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "没有找到该页面" in response.content.decode()
