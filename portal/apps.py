from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The portal's shared UI kit: list and record pages, Excel export, SVG charts,
    template tags, navigation. Generic infrastructure like Django itself: it imports no
    app of the portal (an import-linter contract checks), so any layer may use it."""

    name = "portal"
    verbose_name = "门户界面"
