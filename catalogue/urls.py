from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("items/", views.item_list, name="items"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("laws/", views.law_list, name="laws"),
    path("laws/<int:pk>/", views.law_detail, name="law"),
    path("laws/<int:law_id>/articles/<int:number>/", views.article_detail, name="article"),
    path("candidates/", views.candidate_queue, name="candidates"),
    path("candidates/<int:pk>/accept/", views.candidate_accept, name="candidate_accept"),
    path("candidates/<int:pk>/reject/", views.candidate_reject, name="candidate_reject"),
    path("coverage/", views.coverage, name="coverage"),
    path("history/", views.history, name="history"),
    path("entrustments/", views.entrustments, name="entrustments"),
]
