from django.urls import path

from questions import views

app_name = "questions"
urlpatterns = [
    path("", views.bank, name="bank"),
    path("sources/", views.sources, name="sources"),
    path("<slug:slug>/", views.detail, name="detail"),
]
