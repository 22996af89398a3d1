from django.urls import path

from core import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("export/<str:kind>.<str:fmt>", import_views.export, name="export"),
]
