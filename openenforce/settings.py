"""One env-driven settings module (healthchecks style).

Environment variables (all optional in development):

- ``OPENENFORCE_PRODUCTION=1``  production hardening; then ``OPENENFORCE_SECRET_KEY`` and
  ``OPENENFORCE_ALLOWED_HOSTS`` are required.
- ``DATABASE_URL``              e.g. ``postgres://postgres@127.0.0.1:5432/openenforce``;
                                 SQLite file ``var/openenforce.sqlite3`` when unset.
- ``OPENENFORCE_VAR_DIR``       where SQLite, uploaded evidence and models live (default ``./var``).
- ``OPENENFORCE_DEBUG``         ``1`` to enable Django debug pages (never in production).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_bool("OPENENFORCE_PRODUCTION")
DEBUG = env_bool("OPENENFORCE_DEBUG", default=not PRODUCTION) and not PRODUCTION

VAR_DIR = Path(os.environ.get("OPENENFORCE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    SECRET_KEY = os.environ.get("OPENENFORCE_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("OPENENFORCE_SECRET_KEY must be set to a random string of 50+ characters")
    ALLOWED_HOSTS = [h for h in os.environ.get("OPENENFORCE_ALLOWED_HOSTS", "").split(",") if h]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("OPENENFORCE_ALLOWED_HOSTS must list the served host names")
else:
    SECRET_KEY = os.environ.get(
        "OPENENFORCE_SECRET_KEY", "dev-only-insecure-key-5c1d0f0e8b7a4c2f9e6d3b1a0f9e8d7c6b5a4f3e2d1c"
    )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "core",
    "org",
    "catalogue",
    "parties",
    "intake",
    "dispatch",
    "cases",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.RequestOriginMiddleware",
]

ROOT_URLCONF = "openenforce.urls"
WSGI_APPLICATION = "openenforce.wsgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ]
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "openenforce.sqlite3",
            # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two writers never
            # deadlock on lock upgrade; the busy timeout makes the second one wait, not fail.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Where the bundled public data lives (laws, divisions, outlines); shipped with the project.
OPENENFORCE_DATA_DIR = Path(os.environ.get("OPENENFORCE_DATA_DIR", BASE_DIR / "data"))
# Read-only shared data that may not be copied into the project (complaints corpus).
OPENENFORCE_SHARED_DIR = Path(os.environ.get("OPENENFORCE_SHARED_DIR", BASE_DIR.parent / "shared" / "data"))

# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses). A request from anywhere
# else is recorded with its own address: a client cannot choose the IP that the audit trail and the
# public-submission limit see.
OPENENFORCE_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("OPENENFORCE_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a.strip()]

# Text messages to reporters who asked for them (intake/messaging.py): "log" (default; nothing is sent)
# or "http" (POST to OPENENFORCE_SMS_URL with a bearer token). OPENENFORCE_PUBLIC_URL is the public site
# the messages link to.
OPENENFORCE_SMS_BACKEND = os.environ.get("OPENENFORCE_SMS_BACKEND", "log")
OPENENFORCE_SMS_URL = os.environ.get("OPENENFORCE_SMS_URL", "")
OPENENFORCE_SMS_TOKEN = os.environ.get("OPENENFORCE_SMS_TOKEN", "")
OPENENFORCE_PUBLIC_URL = os.environ.get("OPENENFORCE_PUBLIC_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENENFORCE_LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("OPENENFORCE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("OPENENFORCE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

# Background work through the Tasks API (django-tasks backport, database backend): run
# `openenforce worker` (one or several, on one or several hosts). OPENENFORCE_TASKS_IMMEDIATE=1 runs
# tasks in-process instead (used by the test suite).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("OPENENFORCE_TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
OPENENFORCE_ROUTING_MODEL = Path(os.environ.get("OPENENFORCE_ROUTING_MODEL", VAR_DIR / "models" / "routing.joblib"))
