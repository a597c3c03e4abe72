from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo street (load_demo) and the synthetic city (generate_synthetic): the top
    layer, it may import every app and none imports it."""

    name = "demo"
    verbose_name = "演示数据"
