from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "双百分考核"

    def ready(self) -> None:
        # Writes bump the street's data version (communities/versions.py): the scheme and
        # the manual scores are read by the engine; a district's published scheme is used by
        # all its streets. (The cache's key also carries the scheme's content: assessments/cache.py.)
        from communities import versions

        from . import models as m
        from .published import PublishedScheme

        versions.register(m.Scheme, "street")
        for model in (m.Card, m.Indicator, m.GradeBand, m.BonusLevel):
            versions.register(model, "scheme__street")
        versions.register(m.ManualScore, "community__street")
        versions.register(PublishedScheme, "district__streets")
        for model in (m.Run, m.CommunityResult, m.IndicatorResult):
            versions.not_scored(model, "计算结果的存档（定稿），不是计算的输入")
