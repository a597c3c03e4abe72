from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page: the user's scope in figures, across facilities, teams and activities
    (presentation layer: it reads every records app, none reads it)."""

    name = "home"
    verbose_name = "首页"
