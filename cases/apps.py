from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件办理"

    def ready(self):
        from cases import config  # noqa: F401  (registers configuration keys)
