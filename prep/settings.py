"""Settings read from the environment; every variable is listed in .env.example."""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name) or default  # set but empty counts as unset, as in envint
    if value not in ("True", "False", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value in ("True", "true", "1")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (see .env.example)")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "accounts",
    "rubrics",
    "questions",
    "rounds",
    "feedback",
    "attempts",
    "progress",
    "coaching",
    "practice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response: scripts, styles, images and requests from this site
# only, no inline script or style (the templates have none), and no site may frame the pages.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "prep.urls"
WSGI_APPLICATION = "prep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coaching.context_processors.notifications",
            ],
            "builtins": ["prep.lib.once"],
        },
    },
]

# Unset DATABASE_URL means the embedded default: a SQLite file in the project folder.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL and not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite://")):
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL")
_db = dj_database_url.parse(DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Django's own psycopg 3 pool; persistent connections cannot be combined with it.
    _db["CONN_MAX_AGE"] = 0
    from psycopg_pool import ConnectionPool

    _db["OPTIONS"] = {
        "pool": {
            "min_size": envint("DATABASE_POOL_MIN", 2),
            "max_size": envint("DATABASE_POOL_MAX", 10),
            "timeout": 10,
            # Check each connection as it leaves the pool (one empty query) and replace a dead
            # one: after a failover, a restart or an idle reaper, the pool would otherwise hand
            # out every connection it held, each request failing with a 500.
            "check": ConnectionPool.check_connection,
        }
    }
else:
    # Writers queue up instead of failing with "database is locked" (an autosave beside a submit).
    _db["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
DATABASES = {"default": _db}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes comes first so a locked-out username + IP is refused before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Failed logins (the site's and the admin's): 5 for one username from one IP lock that pair out
# for 15 minutes; each attempt during the lockout starts the 15 minutes again.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False  # its start-up banner would print before every management command

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Mail goes out over SMTP when EMAIL_HOST is set, otherwise to the console (development only:
# `check --deploy` refuses it); EMAIL_BACKEND may name another backend. Django 6.1 reads these
# from MAILERS only: the old EMAIL_* settings must not be defined beside it.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_email_host = os.environ.get("EMAIL_HOST", "")
_email_backend = os.environ.get("EMAIL_BACKEND") or (
    _SMTP if _email_host else "django.core.mail.backends.console.EmailBackend"
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": _email_backend}}
if _email_backend == _SMTP:
    if not _email_host:
        raise ImproperlyConfigured("EMAIL_HOST must be set for the SMTP backend (see .env.example)")
    _use_ssl = envbool("EMAIL_USE_SSL", "False")
    _use_tls = envbool("EMAIL_USE_TLS", "False" if _use_ssl else "True")
    if _use_ssl and _use_tls:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be True")
    MAILERS["default"]["OPTIONS"] = {
        "host": _email_host,
        "port": envint("EMAIL_PORT", 465 if _use_ssl else 587),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": _use_tls,
        "use_ssl": _use_ssl,
        # Seconds; a password reset must not hang on a silent mail server.
        "timeout": envint("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Prep <prep@localhost>")
# Links in emails sent outside a request (a coach's round emails) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Unset REDIS_URL means tasks run eagerly in the web process, so the site works alone.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A killed worker's unacknowledged job is redelivered after this many seconds (Redis default: 1 h).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 300),
    # Look for such jobs every 10 s (kombu's default throttle makes it every 100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_TASK_IGNORE_RESULT = True
# Keep each worker process's connection pool between tasks; prep/celery.py returns the
# connection to it after every task (otherwise each task opens and closes a new pool).
CELERY_DB_REUSE_MAX = 10_000
CELERY_TIMEZONE = TIME_ZONE
# Heuristic and LLM scoring on their own queues, so slow LLM calls never hold up the fast path.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = ["feedback.tasks.route_task"]
# Answers saved while the broker was down, or whose task was lost, get queued again.
CELERY_BEAT_SCHEDULE = {
    "sweep-unscored-answers": {"task": "feedback.tasks.sweep_unscored", "schedule": 60.0},
    # Submits the drafts of answers whose time ran out, also when the candidate closed the tab.
    "close-expired-answers": {
        "task": "rounds.tasks.close_expired_answers_task",
        "schedule": 15.0,
        "options": {"expires": 15},
    },
    # Coaches' round emails held back by the one-a-day rule go out when their day is up.
    "send-due-round-emails": {
        "task": "coaching.tasks.send_due_round_emails_task",
        "schedule": 900.0,
        "options": {"expires": 900},
    },
}

# The LLM scorer runs only when an endpoint is configured; otherwise the heuristic scorer does.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
# The answer page saves a draft once typing pauses this long, and after a failed save or submit
# tries again after each of these waits in turn (then every last one).
AUTOSAVE_PAUSE_MS = 3000
AUTOSAVE_RETRY_MS = (2000, 4000, 8000, 15000, 30000)

# Per request; the LLM scorer makes 1 + OPENAI_MAX_RETRIES attempts, then falls back.
OPENAI_TIMEOUT_SECONDS = envint("OPENAI_TIMEOUT_SECONDS", 30)
OPENAI_MAX_RETRIES = envint("OPENAI_MAX_RETRIES", 2)
if OPENAI_TIMEOUT_SECONDS < 1:
    raise ImproperlyConfigured("OPENAI_TIMEOUT_SECONDS must be 1 or more")
if OPENAI_MAX_RETRIES < 0:
    raise ImproperlyConfigured("OPENAI_MAX_RETRIES must be 0 or more")
SCORER = os.environ.get("SCORER", "auto")
if SCORER not in ("auto", "heuristic", "llm"):
    raise ImproperlyConfigured(f"SCORER must be auto, heuristic or llm, not {SCORER!r}")
if SCORER == "llm" and not (OPENAI_BASE_URL or OPENAI_API_KEY):
    raise ImproperlyConfigured("SCORER=llm needs OPENAI_BASE_URL or OPENAI_API_KEY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS. All off by default, so that `make run` and a plain-HTTP `docker compose up` work; the
# README's production environment turns them on. Read Django's notes on HSTS before raising
# SECURE_HSTS_SECONDS: browsers then refuse plain HTTP to the site for that long.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health checks speak plain HTTP to the process itself
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be 0 or more")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "False")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
# Behind a proxy that ends TLS: the header it sets to "https" (X-Forwarded-Proto, usually). Set
# it only when the proxy always sets or strips that header, or any client could claim HTTPS.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header and not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", _proxy_ssl_header):
    raise ImproperlyConfigured(
        f"SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
        f"not {_proxy_ssl_header!r}"
    )
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)

AUTH_USER_MODEL = "accounts.User"
