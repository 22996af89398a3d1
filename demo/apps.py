from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "常山县演示数据"
