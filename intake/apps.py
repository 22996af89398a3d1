from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "事件受理"

    def ready(self):
        from intake import config  # noqa: F401  (registers configuration keys)
