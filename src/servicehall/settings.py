"""Django settings, read from SERVICEHALL_* environment variables.

With nothing set, servicehall runs as the demo: DEBUG on, SQLite file in the working directory.
Production sets SERVICEHALL_DEBUG=0, SERVICEHALL_SECRET_KEY, SERVICEHALL_ALLOWED_HOSTS and
SERVICEHALL_DATABASE_URL (postgres://...); see docs/deployment.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("SERVICEHALL_HOME", Path.cwd())).resolve()


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


DEBUG = _flag("SERVICEHALL_DEBUG", True)
SECRET_KEY = os.environ.get("SERVICEHALL_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SERVICEHALL_SECRET_KEY must be set when SERVICEHALL_DEBUG is off")
    SECRET_KEY = "insecure-demo-key-only-for-local-use-" + "x" * 20

ALLOWED_HOSTS = _list("SERVICEHALL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = _list("SERVICEHALL_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "servicehall.core",
    "servicehall.policy_versions",  # app label "policy"
    "servicehall.workdays",
    "servicehall.org",
    "servicehall.catalog",
    "servicehall.cases",
    "servicehall.consultation",
    "servicehall.notifications",
    "servicehall.supervision",
    "servicehall.queue",
    "servicehall.attendance",
    "servicehall.leave",
    "servicehall.evaluation",
    "servicehall.accountability",
    "servicehall.inspections",
    "servicehall.study",
    "servicehall.rotation",
    "servicehall.assessment",
    "servicehall.language",
    "servicehall.reports",
    "servicehall.ops",
]

MIDDLEWARE = [
    "servicehall.core.asgi_streaming.AsyncStreamingUnderASGI",  # outermost: sees WhiteNoise's file responses
    "servicehall.core.error_pages.ProjectErrorPages",
    "django.middleware.security.SecurityMiddleware",
    "servicehall.core.middleware.InputGuardMiddleware",  # size caps and malformed bodies → 4xx
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "servicehall.core.requestinfo.RequestInfoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login attempt
]
# Developers may switch Django's debug 404/500 pages back on; citizens never see them otherwise.
SERVICEHALL_TECHNICAL_ERRORS = _flag("SERVICEHALL_TECHNICAL_ERRORS", False)

ROOT_URLCONF = "servicehall.urls"
WSGI_APPLICATION = "servicehall.wsgi.application"
ASGI_APPLICATION = "servicehall.asgi.application"

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
                "servicehall.site.navigation.navigation",
                "servicehall.devices.context.id_agent",
            ],
            # Every page may show a rule ID as a staff badge, or drop it for citizens, without a {% load %}.
            "builtins": ["servicehall.site.templatetags.rules"],
        },
    },
]

_DATABASE_URL = os.environ.get("SERVICEHALL_DATABASE_URL", f"sqlite:///{HOME / 'servicehall.sqlite3'}")
# Seconds a connection is kept between requests. SQLite: kept by default (opening a file is cheap, but every
# request would otherwise open it and set it up again); PostgreSQL: the deployment chooses (a connection per
# worker thread must fit max_connections; under ASGI keep 0).
_CONN_MAX_AGE = int(
    os.environ.get("SERVICEHALL_DB_CONN_MAX_AGE", "60" if _DATABASE_URL.startswith("sqlite") else "0")
)
DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=_CONN_MAX_AGE)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = _CONN_MAX_AGE > 0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout so the hall display, kiosk and windows can read while one writer commits.
    # synchronous=NORMAL: in WAL mode a commit no longer waits for the disk; the database stays consistent
    # after a power cut, but the last commits before it may be lost (docs/deployment.md, "SQLite").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = os.environ.get("SERVICEHALL_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SERVICEHALL_STATIC_ROOT", HOME / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("SERVICEHALL_MEDIA_ROOT", HOME / "media"))
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Rate limits (progress query, tickets, appointments, login lockout) and small shared counters need a
# cache all workers see: a file cache on one host by default in production; with several app servers set
# SERVICEHALL_REDIS_URL (redis://host:6379/0) so every server counts in the same place.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if DEBUG
    else {
        # FileBasedCache with atomic counters that do not list the directory per write (core/filecache.py)
        "BACKEND": "servicehall.core.filecache.CountingFileCache",
        "LOCATION": os.environ.get("SERVICEHALL_CACHE_DIR", str(HOME / "var" / "cache")),
        # Django's 300 would cull sessions (a centre's staff) with the throttles' per-minute counters
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Sessions are kept in the database and read from the cache (cached_db): every signed-in request reads
# its session, and the cache answers without building a query; a session the cache lost is read from the
# database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# -- province scale (docs/deployment.md "Province topology"); a single machine sets none of these ----------
# Redis: the cache (rate limits, the policy cache, small counters, sessions) and the hall-display fan-out
# between app servers.
SERVICEHALL_REDIS_URL = os.environ.get("SERVICEHALL_REDIS_URL", "")
if SERVICEHALL_REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": SERVICEHALL_REDIS_URL,
    }
# How a committed queue event reaches the display streams (core/bus.py): redis between servers; file
# between the worker processes of one machine (signal files, no service); local inside one process.
SERVICEHALL_EVENT_BUS = os.environ.get("SERVICEHALL_EVENT_BUS") or (
    "redis" if SERVICEHALL_REDIS_URL else "local" if DEBUG else "file"
)
SERVICEHALL_EVENT_DIR = Path(os.environ.get("SERVICEHALL_EVENT_DIR", HOME / "var" / "events"))
# A read replica for the reports (core/replica.py sends reads made inside `reading_replica()` there).
if os.environ.get("SERVICEHALL_DB_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["SERVICEHALL_DB_REPLICA_URL"],
        conn_max_age=int(os.environ.get("SERVICEHALL_DB_CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["servicehall.core.replica.ReplicaRouter"]
# The task queue (core/tasks.py): with a broker, `servicehall worker` runs the sweep, imports,
# notifications and exports; without one every task runs at once in the process that asked.
SERVICEHALL_CELERY_BROKER_URL = os.environ.get("SERVICEHALL_CELERY_BROKER_URL", "")
SERVICEHALL_SWEEP_MINUTES = float(os.environ.get("SERVICEHALL_SWEEP_MINUTES", "10"))
# The app server this installation runs (the shipped one: gunicorn -c python:servicehall.ops.gunicorn_conf),
# so `servicehall check --deploy` and `checks daily` can warn when the hall displays' streams could hold
# every worker (ops/checks.py `server_findings`).
SERVICEHALL_SERVER = os.environ.get("SERVICEHALL_SERVER", "gunicorn")
SERVICEHALL_WORKERS = int(os.environ.get("SERVICEHALL_WORKERS", "3"))
SERVICEHALL_THREADS = int(os.environ.get("SERVICEHALL_THREADS", "8"))
SERVICEHALL_WORKER_CLASS = os.environ.get("SERVICEHALL_WORKER_CLASS", "gthread")
SERVICEHALL_DISPLAYS = int(os.environ.get("SERVICEHALL_DISPLAYS", "5"))

# -- personal data at rest (docs/security.md "Encryption at rest") ----------------------------------------
# ID numbers are Fernet tokens: the first key encrypts, every listed key decrypts (rotation: put the new key
# first, run `servicehall personal-data rotate-keys`, then drop the old one). The lookup key makes the HMAC
# columns that searches and the progress query compare; keep it. Unset, both derive from SECRET_KEY
# (development only; `check --deploy` warns).
SERVICEHALL_FIELD_KEYS = _list("SERVICEHALL_FIELD_KEYS", "")
SERVICEHALL_LOOKUP_KEY = os.environ.get("SERVICEHALL_LOOKUP_KEY", "")
# Where to report a vulnerability: SECURITY.md, docs/security.md and /.well-known/security.txt (RFC 9116).
SERVICEHALL_SECURITY_CONTACT = os.environ.get(
    "SERVICEHALL_SECURITY_CONTACT", "mailto:security@servicehall.invalid"
)

# -- throttles (docs/security.md "Throttles") ---------------------------------------------------------
# Behind nginx (deployment.md) set SERVICEHALL_TRUSTED_PROXY_COUNT=1: the client is then the address
# nginx appends to X-Forwarded-For, not REMOTE_ADDR (which would put every citizen in one bucket).
SERVICEHALL_TRUSTED_PROXY_COUNT = int(os.environ.get("SERVICEHALL_TRUSTED_PROXY_COUNT", "0"))
SERVICEHALL_TRUSTED_PROXY_HEADER = os.environ.get("SERVICEHALL_TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
SERVICEHALL_THROTTLES = {
    "tickets": os.environ.get("SERVICEHALL_THROTTLE_TICKETS", "20/m"),
    "appointments": os.environ.get("SERVICEHALL_THROTTLE_APPOINTMENTS", "10/h"),
}
RATELIMIT_USE_CACHE = "default"
# Login lockout per account (django-axes; failures in the database, which every app server shares):
# after AXES_FAILURE_LIMIT wrong passwords the account is locked for AXES_COOLOFF_TIME, whatever
# address the attempts come from.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log; axes keeps the failures
AXES_FAILURE_LIMIT = int(os.environ.get("SERVICEHALL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SERVICEHALL_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "servicehall.core.throttle.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "servicehall.site.views.login_locked_out"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",  # by design: the lockout is per account (an attacker rotating addresses is still stopped)
]
AUTHENTICATION_BACKENDS = [
    "servicehall.core.auth.LockoutBackend",  # refuses a locked account before the password is checked
    "servicehall.org.auth.StaffUserBackend",  # ModelBackend, reading the user with their staff record
]

# Production hardening; `servicehall check --deploy` passes with SERVICEHALL_DEBUG=0.
if not DEBUG:
    SECURE_SSL_REDIRECT = _flag("SERVICEHALL_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SERVICEHALL_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _flag("SERVICEHALL_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# -- input limits (docs/security.md "Input limits") ---------------------------------------------------
# A request body over SERVICEHALL_MAX_REQUEST_MB is refused with 413 before Django reads it (set nginx's
# client_max_body_size to the same value); a form or JSON body (no file) over DATA_UPLOAD_MAX_MEMORY_SIZE too.
SERVICEHALL_MAX_REQUEST_BYTES = int(float(os.environ.get("SERVICEHALL_MAX_REQUEST_MB", "12")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("SERVICEHALL_MAX_FORM_MB", "2.5")) * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("SERVICEHALL_MAX_FORM_FIELDS", "2000"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("SERVICEHALL_MAX_FORM_FILES", "10"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads spool to a temporary file
SERVICEHALL_UPLOAD_LIMITS = {
    "max_bytes": int(float(os.environ.get("SERVICEHALL_UPLOAD_MAX_MB", "10")) * 1024 * 1024),
    "max_rows": int(os.environ.get("SERVICEHALL_UPLOAD_MAX_ROWS", "200000")),
    "max_unpacked_bytes": int(
        float(os.environ.get("SERVICEHALL_UPLOAD_MAX_UNPACKED_MB", "100")) * 1024 * 1024
    ),
    "max_field_chars": int(os.environ.get("SERVICEHALL_UPLOAD_MAX_FIELD_CHARS", "10000")),
}

# The ID-card reader's local agent on the counter PC or kiosk (docs/id-reader.md); empty turns the
# "读取身份证" button into a "not configured" message. Pages may fetch from it (connect-src below).
SERVICEHALL_ID_AGENT_URL = os.environ.get("SERVICEHALL_ID_AGENT_URL", "http://127.0.0.1:17321").rstrip("/")

# -- Content-Security-Policy (django-csp; docs/security.md "CSP and sessions") ---------------------------
# No inline script anywhere: behaviour lives in static files (servicehall/behaviours.js). Inline style
# attributes remain allowed (a few templates and htmx's indicator style use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *([SERVICEHALL_ID_AGENT_URL] if SERVICEHALL_ID_AGENT_URL else [])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Staff sessions end after the policy's organisation.staff_session_minutes (set at login); this is the
# ceiling for anyone else and the cookie is not kept after the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SERVICEHALL_SESSION_MAX_MINUTES", "720")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Error reports never show an ID number, phone or secret posted with the failing request (INT-2).
DEFAULT_EXCEPTION_REPORTER_FILTER = "servicehall.core.error_pages.PersonalDataReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SERVICEHALL_LOG_LEVEL", "WARNING")},
}

# The policy preset a new centre starts from (see `servicehall policy presets`).
# The address citizens reach the site at, printed as the rating link and QR code on notices (EVAL-1).
SERVICEHALL_PUBLIC_URL = os.environ.get("SERVICEHALL_PUBLIC_URL", "http://localhost:8000")
SERVICEHALL_DEFAULT_PRESET = os.environ.get("SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2")

# In-app notifications are also mailed (through EMAIL_BACKEND) when this is set.
SERVICEHALL_NOTIFY_EMAIL = os.environ.get("SERVICEHALL_NOTIFY_EMAIL", "") not in ("", "0")
EMAIL_BACKEND = os.environ.get("SERVICEHALL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
