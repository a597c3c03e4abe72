from tests.facilities.conftest import login  # noqa: F401  (the same sign-in fixture)
