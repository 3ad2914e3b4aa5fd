from django.urls import path

from attempts import views

app_name = "attempts"
urlpatterns = [
    path("practise/", views.practise, name="practise"),
    path("questions/<slug:slug>/", views.history, name="history"),
    path("answers/<int:pk>/", views.compare, name="compare"),
    path("answers/<int:pk>/retry/", views.retry, name="retry"),
    path("answers/<int:pk>/drills/<slug:mode>/", views.drill, name="drill"),
]
