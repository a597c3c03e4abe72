from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "文体活动"

    def ready(self) -> None:
        # Writes bump the street's data version (communities/versions.py). A 文化走亲
        # activity counts for its partner communities too, which may be in another street.
        from communities import versions

        from . import checks  # noqa: F401  (registers the app's validation rules)
        from . import models as m

        versions.register(m.Activity, "community__street", "partner_links__community__street")
        versions.register(m.ActivityPartner, "community__street", "activity__community__street")
        versions.register(m.Brand, "community__street")
        versions.register(m.ArchiveFile, "activity__community__street")
        versions.not_scored(m.ActivityTransition, "状态变更的记录；状态本身在 Activity 上")
