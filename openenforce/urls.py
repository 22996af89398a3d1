from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from openenforce.api import api

admin.site.site_header = "OpenEnforce 主数据管理"
admin.site.site_title = "OpenEnforce"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalogue/", include("catalogue.urls")),
    path("org/", include("org.urls")),
    path("parties/", include("parties.urls")),
    path("imports/", include("core.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
