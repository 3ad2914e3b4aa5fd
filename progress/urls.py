from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("", views.progress, name="progress"),
    path("plan/", views.plan_page, name="plan"),
    path("plan/start/", views.start_plan, name="start_plan"),
]
