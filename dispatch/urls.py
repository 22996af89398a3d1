from django.urls import path

from dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.command_centre, name="command"),
    path("performance/", views.performance, name="performance"),
    path("points.json", views.event_points, name="points"),
    path("whistles/", views.whistle_list, name="whistles"),
    path("whistles/new/", views.whistle_blow, name="whistle_blow"),
    path("whistles/<int:pk>/<str:action>/", views.whistle_action, name="whistle_action"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/finish/", views.campaign_finish, name="campaign_finish"),
    path("campaigns/tasks/<int:pk>/progress/", views.campaign_progress, name="campaign_progress"),
    path("campaigns/photos/<int:pk>", views.campaign_photo, name="campaign_photo"),
    path("campaigns/instructions/<int:pk>/<str:action>/", views.campaign_instruction, name="campaign_instruction"),
]
