from django.apps import AppConfig


class TeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"
    verbose_name = "队伍建设"

    def ready(self) -> None:
        # Writes bump the street's data version (communities/versions.py).
        from communities import versions

        from . import checks  # noqa: F401  (registers the app's validation rules)
        from . import models as m

        versions.register(m.Person, "street", "cadre_posts__community__street")
        for model in (m.Team, m.Volunteer, m.Cadre):
            versions.register(model, "community__street")
        versions.register(m.TeamHonour, "team__community__street")
        versions.register(m.TeamMember, "team__community__street")
        versions.register(m.ServiceRecord, "volunteer__community__street")
        # B5 counts a cadre's certificate of ANY community: the streets where its person
        # holds a post too.
        versions.register(
            m.Certificate,
            "community__street",
            "person__street",
            "person__cadre_posts__community__street",
        )
