import pytest

# Axes is the first authentication backend and cannot load a user from a session.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    """login(user) signs `client` in as `user` and returns the client."""

    def sign_in(user):
        # UserFactory sets the password after saving and skips the save, so the session hash
        # (derived from the password) would not match the database row without this.
        user.save(update_fields=["password"])
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in
