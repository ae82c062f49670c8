"""Settings for CSP Hub, read from the environment with safe development defaults.

DATABASE_URL        database (default: SQLite in var/csphub.sqlite3, WAL mode)
CSPHUB_DEBUG        "1" (default) for development, "0" in production
CSPHUB_SECRET_KEY   required when CSPHUB_DEBUG=0
CSPHUB_ALLOWED_HOSTS  comma-separated (default: localhost names)
CSPHUB_SHARED_DIR   where the shared data and source documents live
                    (default: ../shared beside the project)
CSPHUB_IOM_KEY      the key that pseudonymises IOM case-system references
                    (HMAC); required for the IOM cohort when CSPHUB_DEBUG=0
CSPHUB_VICTIM_KEY   the key that pseudonymises partner data sets' victim or
                    household references (HMAC); required to import a data set
                    with a victim column when CSPHUB_DEBUG=0
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("CSPHUB_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("CSPHUB_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("CSPHUB_SECRET_KEY must be set when CSPHUB_DEBUG=0")
    SECRET_KEY = "csphub-development-only-not-secret"

ALLOWED_HOSTS = os.environ.get(
    "CSPHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"
).split(",")

SHARED_DIR = Path(
    os.environ.get("CSPHUB_SHARED_DIR", BASE_DIR.parent / "shared")
).resolve()

INSTALLED_APPS = [
    "csphub.web",
    "csphub.reports",
    "csphub.meetings",
    "csphub.delivery",
    "csphub.casework",
    "csphub.offenders",
    "csphub.intelligence",
    "csphub.performance",
    "csphub.structure",
    "csphub.strategy",
    "csphub.places",
    "csphub.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csphub.accounts.middleware.PartnershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csphub.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "csphub.urls"
WSGI_APPLICATION = "csphub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csphub.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get(
            "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'csphub.sqlite3'}"
        ),
        conn_max_age=int(os.environ.get("CSPHUB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a writer writes; IMMEDIATE takes the
    # write lock at BEGIN so concurrent writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends ~0.4 s compiling each large aggregate a
    # briefing runs and saves less than that: measured on the 3-million-row
    # London bench set (bench/bench_scale.py), the per-LSOA count took 1.2-1.3 s
    # with JIT and 0.6-0.7 s without.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout: this many failures for one username (or from one address)
# within the window locks further attempts until the window has passed.
CSPHUB_LOCKOUT_FAILURES = int(os.environ.get("CSPHUB_LOCKOUT_FAILURES", "5"))
CSPHUB_LOCKOUT_MINUTES = int(os.environ.get("CSPHUB_LOCKOUT_MINUTES", "15"))

# The IOM cohort's references are stored only as HMACs under this key, which
# never goes into the database. Without it (and outside development) the
# cohort cannot be imported: csphub.offenders.pseudonyms says so.
CSPHUB_IOM_KEY = os.environ.get("CSPHUB_IOM_KEY", "") or (
    "csphub-development-iom-key-not-secret" if DEBUG else ""
)
# Partner data sets' victim and household references: the same rule.
CSPHUB_VICTIM_KEY = os.environ.get("CSPHUB_VICTIM_KEY", "") or (
    "csphub-development-victim-key-not-secret" if DEBUG else ""
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = BASE_DIR / "var" / "media"

EMAIL_BACKEND = os.environ.get(
    "CSPHUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CSPHUB_FROM_EMAIL", "csphub@localhost")

# Slow work runs in the background through Django's tasks framework. The
# database backend needs no broker: `manage.py db_worker` runs the tasks
# (`make demo` starts one). CSPHUB_TASKS=immediate runs them inline instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("CSPHUB_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("CSPHUB_INSECURE_COOKIES") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
