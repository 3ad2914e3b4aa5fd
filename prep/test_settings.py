"""Settings for the test suite: the real settings, with fast hashing and eager tasks."""

from prep.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The browser tests wait on the answer page's timers: the same behaviour, a tenth of the wait.
AUTOSAVE_PAUSE_MS = 300
AUTOSAVE_RETRY_MS = (200, 400, 800, 1500, 3000)
