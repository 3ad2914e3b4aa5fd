"""URLs for `bench_autosave.py --floor` (bench_floor_settings.py): the site plus one view that
is only a floor.

POST /bench-floor/ parses the form and runs one UPDATE of a draft, nothing else: no sign-in,
no CSRF, no checks. It shows what any write through Django and PostgreSQL costs here, so that
autosave's cost can be read against it as well as against /healthz. Never served by the site.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from prep.urls import urlpatterns as site


@csrf_exempt
def floor(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL synchronous_commit TO OFF; UPDATE rounds_answer SET draft = %s"
            " WHERE id = (SELECT min(id) FROM rounds_answer)",
            [request.POST.get("text", "")],
        )
    return HttpResponse("ok")


urlpatterns = [path("bench-floor/", floor), *site]
