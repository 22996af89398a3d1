from django.urls import path, re_path

from intake import open311

app_name = "open311"
urlpatterns = [
    path("", open311.root, name="root"),
    re_path(r"^discovery\.(?P<fmt>\w+)$", open311.discovery, name="discovery"),
    re_path(r"^services\.(?P<fmt>\w+)$", open311.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)\.(?P<fmt>\w+)$", open311.service_definition, name="service"),
    re_path(r"^requests\.(?P<fmt>\w+)$", open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<ticket>[\w-]+)\.(?P<fmt>\w+)$", open311.request_one, name="request"),
    re_path(r"^servicerequestupdates\.(?P<fmt>\w+)$", open311.request_updates, name="updates"),
    re_path(r"^tokens/(?P<token>[\w-]+)\.(?P<fmt>\w+)$", open311.token, name="token"),
]
