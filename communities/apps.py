from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = "社区"

    def ready(self) -> None:
        # What can change a score: each write bumps its street's data version
        # (communities/versions.py; registered in each app's ready()).
        from . import models as m
        from . import versions as v

        v.register(m.Community, "street")
        for model in (m.Population, m.StarTarget, m.StarRating, m.Award, m.Deduction):
            v.register(model, "community__street")
        v.register(m.Grid, "community__street")  # the population's grids (人口 by 网格)
        v.not_scored(m.District, "名称与账号；其发布的方案是 assessments.PublishedScheme")
        v.not_scored(m.Membership, "账号的角色与范围")
        v.not_scored(m.StreetDataVersion, "版本号本身")
