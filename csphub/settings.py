"""Settings for CSP Hub, read from the environment with safe development defaults.

DATABASE_URL        database (default: SQLite in var/csphub.sqlite3, WAL mode)
CSPHUB_DEBUG        "1" shows Django's debug pages; off unless asked for
CSPHUB_DEMO         "1" for the demo, the tests and the benches on this machine:
                    development keys stand in for CSPHUB_SECRET_KEY and
                    CSPHUB_IOM_KEY, plain HTTP (as CSPHUB_PLAIN_HTTP), and
                    two-factor sign-in is not required (CSPHUB_TWO_FACTOR)
CSPHUB_SECRET_KEY   required outside the demo: without it the site does not start
CSPHUB_PLAIN_HTTP   "1" when serving plain HTTP on loopback (`make serve`): no
                    redirect to HTTPS, no HSTS, cookies without Secure
CSPHUB_TWO_FACTOR   "1" (default outside the demo) requires a second factor
                    (an authenticator app) of everyone who can see restricted data
CSPHUB_SESSION_IDLE_MINUTES  a session ends after this long unused (30)
CSPHUB_ALLOWED_HOSTS  comma-separated (default: localhost names)
CSPHUB_SHARED_DIR   where the shared data and source documents live
                    (default: ../shared beside the project)
CSPHUB_IOM_KEY      the key that pseudonymises IOM case-system references
                    (HMAC); required for the IOM cohort outside the demo
CSPHUB_VICTIM_KEY   the key that pseudonymises partner data sets' victim or
                    household references (HMAC); required to import a data set
                    with a victim column outside the demo
CSPHUB_CONN_MAX_AGE  seconds a worker keeps its database connection (60)
CSPHUB_INTAKE_CACHE_SECONDS  how long the Open311 intake keeps the categories,
                    partnerships and LSOA boxes it reads on every post (60)
"""

import os
import warnings
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

# Fails closed: debug pages only when asked for, and no start without a secret
# key except in the demo (and the tests and benches, which run as the demo).
DEBUG = os.environ.get("CSPHUB_DEBUG", "0") == "1"
DEMO = os.environ.get("CSPHUB_DEMO", "0") == "1"
# Empty outside the demo when not given: Django refuses to use an empty key,
# the system check csphub.E001 stops commands and csphub/wsgi.py the server
# (csphub/web/checks.py), while `manage.py CMD --help` still answers.
SECRET_KEY = os.environ.get("CSPHUB_SECRET_KEY", "") or (
    "csphub-development-only-not-secret" if DEMO else ""
)

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "csphub.accounts.two_factor.TwoFactorMiddleware",
    "csphub.accounts.sessions.IdleSessionMiddleware",
    "csphub.accounts.middleware.PartnershipMiddleware",
    "csphub.accounts.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csphub.web.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
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
        # A connection kept by each worker for a minute, checked before reuse:
        # opening one (and SQLite's WAL pragma) cost 3-5 ms of CPU a request,
        # more than an Open311 post itself (bench/bench_reports.py).
        conn_max_age=int(os.environ.get("CSPHUB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
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
    "csphub-development-iom-key-not-secret" if DEBUG or DEMO else ""
)
# Partner data sets' victim and household references: the same rule.
CSPHUB_VICTIM_KEY = os.environ.get("CSPHUB_VICTIM_KEY", "") or (
    "csphub-development-victim-key-not-secret" if DEBUG or DEMO else ""
)

# Retention (csphub.accounts.retention): days each kind of record is kept,
# e.g. CSPHUB_RETENTION_DAYS="resident_details=730,iom_left_cohort=2555".
# Kinds not named keep their default; `manage.py apply_retention` lists them.
CSPHUB_RETENTION_DAYS = {
    kind.strip(): int(days)
    for kind, _, days in (
        part.partition("=")
        for part in os.environ.get("CSPHUB_RETENTION_DAYS", "").split(",")
        if part.strip()
    )
}
# Backups (`manage.py backup`): where they go, and pg_dump/pg_restore's folder.
# The Open311 intake's reference data, kept per process (reports/intake.py).
CSPHUB_INTAKE_CACHE_SECONDS = float(os.environ.get("CSPHUB_INTAKE_CACHE_SECONDS", "60"))
CSPHUB_BACKUP_DIR = Path(
    os.environ.get("CSPHUB_BACKUP_DIR", BASE_DIR / "var" / "backups")
)
CSPHUB_PG_BIN = os.environ.get("CSPHUB_PG_BIN", "/usr/lib/postgresql/15/bin")

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
        if not (DEBUG or DEMO)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The demo serves static files straight from the apps, with no collectstatic,
# so whitenoise's warning that STATIC_ROOT does not exist yet is noise there.
WHITENOISE_USE_FINDERS = DEBUG or DEMO
if WHITENOISE_USE_FINDERS:
    warnings.filterwarnings("ignore", message="No directory at: ")
MEDIA_ROOT = Path(os.environ.get("CSPHUB_MEDIA_ROOT", BASE_DIR / "var" / "media"))

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
# A session ends after this long without a request (csphub.accounts.sessions
# renews it while it is used).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("CSPHUB_SESSION_IDLE_MINUTES", "30"))

# Two-factor sign-in (django-otp: an authenticator app, with recovery codes)
# for everyone who holds a role, since every role can see restricted data.
# Off in the demo and the ordinary tests; web/tests/test_two_factor.py turns
# it on to prove the enforcement.
CSPHUB_TWO_FACTOR = os.environ.get("CSPHUB_TWO_FACTOR", "0" if DEMO else "1") == "1"
OTP_TOTP_ISSUER = "CSP Hub"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS: on in production. Behind a proxy that ends TLS, the proxy must set
# X-Forwarded-Proto (and drop any the client sent); CSPHUB_PLAIN_HTTP=1 is for
# plain HTTP on loopback (`make serve`, the demo, the benches).
PLAIN_HTTP = (
    os.environ.get("CSPHUB_PLAIN_HTTP", "1" if DEMO or DEBUG else "0") == "1"
    or os.environ.get("CSPHUB_INSECURE_COOKIES") == "1"  # its former name
)
if not PLAIN_HTTP:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("CSPHUB_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp): everything from this site, nothing
# inline (no style attributes, <style> or <script> blocks: csphub.scss and
# static scripts instead; web/tests/test_csp.py checks every page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
