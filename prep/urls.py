from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from practice.views import home


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and benchmarks: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("questions/", include("questions.urls")),
    path("coach/", include("coaching.urls")),
    path("accounts/", include("accounts.urls")),
    path("rounds/", include("practice.urls")),
    path("attempts/", include("attempts.urls")),
    path("progress/", include("progress.urls")),
    path("healthz", healthz),
    path("admin/", admin.site.urls),
]
