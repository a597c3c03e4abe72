from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The street's and each community's dashboard (presentation layer: it reads the
    assessment engine and the records, none of them reads it)."""

    name = "dashboard"
    verbose_name = "工作台"
