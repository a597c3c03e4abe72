"""Sign-in, sign-out and the lockout page, in Chinese."""

import pytest
from django.urls import reverse

from tests import factories as f

PASSWORD = "pass-1234-word"


@pytest.fixture
def user(db):
    u = f.UserFactory(username="zhangsan")
    u.save(update_fields=["password"])
    return u


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>登录 · 社区文体工作平台</title>" in html
    assert "用户名" in html and "密码" in html


@pytest.mark.django_db
def test_wrong_password_says_so_in_chinese(client, user):
    response = client.post(reverse("login"), {"username": "zhangsan", "password": "wrong-one"})
    assert response.status_code == 200
    assert "正确的" in response.content.decode()  # Django's zh-hans message
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_and_out(client, user):
    response = client.post(reverse("login"), {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("logout")).status_code == 405  # a link cannot sign you out
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client, user, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "zhangsan", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "账号已暂时锁定" in html and "zhangsan" in html and "15 分钟" in html
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 429
