from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/sw.js", views.report_service_worker, name="report_sw"),
    path("events/", views.event_list, name="events"),
    path("events/export.csv", views.event_export, name="export"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/contact/", views.event_contact, name="contact"),
    path("events/<int:pk>/attachments/<int:attachment_pk>", views.event_attachment, name="attachment"),
    path("events/<int:pk>/attachments/<int:attachment_pk>/publish/", views.photo_publish, name="photo_publish"),
    path("events/<int:pk>/<str:action>/", views.event_action, name="action"),
]
