from django.apps import AppConfig


class RubricsConfig(AppConfig):
    name = "rubrics"

    def ready(self) -> None:
        from rubrics import checks  # noqa: F401  (registers the system check)
