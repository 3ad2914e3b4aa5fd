from django.urls import path

from practice import views

app_name = "practice"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.new, name="new"),
    path("short/", views.quick_start, name="quick_start"),
    path("<int:round_pk>/", views.detail, name="detail"),
    path("<int:round_pk>/ready/", views.ready, name="ready"),
    path("<int:round_pk>/begin/", views.begin, name="begin"),
    path("<int:round_pk>/summary/", views.summary, name="summary"),
    path("<int:round_pk>/finish/", views.finish, name="finish"),
    path("<int:round_pk>/answers/<int:answer_pk>/", views.answer, name="answer"),
    path("<int:round_pk>/answers/<int:answer_pk>/draft/", views.draft, name="draft"),
    path("<int:round_pk>/answers/<int:answer_pk>/submit/", views.submit, name="submit"),
    path("<int:round_pk>/answers/<int:answer_pk>/feedback/", views.feedback, name="feedback"),
]
