from django.urls import path

from org import views

app_name = "org"
urlpatterns = [
    path("", views.structure, name="structure"),
    path("officers/", views.officer_list, name="officers"),
]
