from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases import views as cases_views
from core import views as core_views
from intake import views as intake_views
from openenforce.api import api
from org import views as org_views

admin.site.site_header = "OpenEnforce 主数据管理"
admin.site.site_title = "OpenEnforce"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("notifications/", core_views.notification_list, name="notifications"),
    path("notifications/read/", core_views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/read/", core_views.notifications_read, name="notification_read"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalogue/", include("catalogue.urls")),
    path("org/", include("org.urls")),
    path("parties/", include("parties.urls")),
    path("imports/", include("core.urls")),
    path("intake/", include("intake.urls")),
    path("command/", include("dispatch.urls")),
    path("cases/", include("cases.urls")),
    path("public/", core_views.public_disclosure, name="public_disclosure"),
    path("public/officers/", org_views.officer_register, name="public_officers"),
    path("public/procedure/", cases_views.public_procedure, name="public_procedure"),
    path("public/verify/", cases_views.public_verify, name="public_verify"),
    path("public/statement/", cases_views.public_statement, name="public_statement"),
    path("public/report/", intake_views.public_report, name="public_report"),
    path("public/track/<str:ticket>/", intake_views.public_track, name="public_track"),
    path("public/photos/<slug:token>.jpg", intake_views.public_photo, name="public_photo"),
    path("public/decisions/", cases_views.published_list, name="public_decisions"),
    path("public/decisions/<int:pk>/", cases_views.published_detail, name="public_decision"),
    path("open311/v2/", include("intake.open311_urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
