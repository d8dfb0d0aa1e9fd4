"""secoop settings. Everything that differs between deployments comes from the environment
(12-factor); the README lists each variable. Defaults give a working demo on SQLite."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent  # src/secoop
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or "django-insecure-secoop-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "secoop.core",
    "secoop.planning",
    "secoop.cases",
    "secoop.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "secoop.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "secoop.core.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "secoop.urls"
WSGI_APPLICATION = "secoop.wsgi.application"

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
                "secoop.core.context_processors.secoop",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (zero set-up); PostgreSQL with DATABASE_URL=postgres://user@host:5432/name.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'var' / 'secoop.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the web server and the task worker share the file without "database is locked".
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME") or None}
elif TESTING:
    # One test database per run, so that two runs on one server do not drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 15}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["secoop.core.auth.LockoutAwareBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# R-SEC-09: a session ends after this many idle seconds. IdleSessionMiddleware renews the session
# on activity (at most once a minute), which makes the cookie age an idle timeout.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# R-SEC-07: lock after this many consecutive failed logons within the window (ASD STIG V-222432).
LOCKOUT_FAILED_ATTEMPTS = env_int("LOCKOUT_FAILED_ATTEMPTS", 3)
LOCKOUT_WINDOW_MINUTES = env_int("LOCKOUT_WINDOW_MINUTES", 15)
# R-SEC-05: accounts unused this many days are disabled (ASD STIG V-222411: 35; SCIP uses 180).
ACCOUNT_INACTIVITY_DAYS = env_int("ACCOUNT_INACTIVITY_DAYS", 35)
# API tokens expire after this many hours.
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 8)

# R-SEC-08: the Standard Mandatory DoD Notice and Consent Banner (DoDI 8500.01), shown before logon.
CONSENT_BANNER_TEXT = env("CONSENT_BANNER_TEXT") or (
    "You are accessing a U.S. Government (USG) Information System (IS) that is provided for "
    "USG-authorized use only.\n"
    "By using this IS (which includes any device attached to this IS), you consent to the following "
    "conditions:\n"
    "-The USG routinely intercepts and monitors communications on this IS for purposes including, but "
    "not limited to, penetration testing, COMSEC monitoring, network operations and defense, personnel "
    "misconduct (PM), law enforcement (LE), and counterintelligence (CI) investigations.\n"
    "-At any time, the USG may inspect and seize data stored on this IS.\n"
    "-Communications using, or data stored on, this IS are not private, are subject to routine "
    "monitoring, interception, and search, and may be disclosed or used for any USG-authorized purpose.\n"
    "-This IS includes security measures (e.g., authentication and access controls) to protect USG "
    "interests--not for your personal benefit or privacy.\n"
    "-Notwithstanding the above, using this IS does not constitute consent to PM, LE or CI "
    "investigative searching or monitoring of the content of privileged communications, or work product, "
    "related to personal representation or services by attorneys, psychotherapists, or clergy, and their "
    "assistants. Such communications and work product are private and confidential. See User Agreement "
    "for details."
)

# --- Markings (R-SEC-01) --------------------------------------------------------------------
# The highest classification this deployment may hold. An unclassified network holds at most CUI;
# a record marked above it is refused.
MAX_CLASSIFICATION = env("MAX_CLASSIFICATION", "CUI")
# Refuse to evaluate a domain queryset that never went through visible_to()/editable_by()
# (ARCHITECTURE invariant 1). On in tests so that a bypass fails loudly; a setting so that an
# operator can turn it on in staging.
ENFORCE_ACCESS_DOOR = env_bool("ENFORCE_ACCESS_DOOR", TESTING)

# --- Security headers (clean `secoop check --deploy` when DEBUG=0) -----------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files: USWDS and htmx come from the npm registry (package-lock.json) and are served
# by the app through whitenoise; never a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT") or None  # only for `collectstatic`; whitenoise serves from the finders
NODE_MODULES = Path(env("NODE_MODULES_DIR") or PROJECT_DIR / "node_modules")
STATICFILES_DIRS = [
    ("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("MEDIA_ROOT") or PROJECT_DIR / "var" / "media")
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "secoop.core.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "secoop.core.api_plumbing.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [  # django-filter, search and ordering under the field policy (core.fields)
        "secoop.core.api_plumbing.PolicyFilterBackend",
        "secoop.core.api_plumbing.PolicySearchFilter",
        "secoop.core.api_plumbing.PolicyOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "secoop.core.api_plumbing.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "secoop API",
    "DESCRIPTION": "Security cooperation planning, execution and assessment. Every response is "
    "filtered by the caller's clearance, citizenship and organization (R-SEC-01..03).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Background work (django-tasks with the database backend) ---------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}

# --- Notifications by e-mail (the mail names no record: see core/models/notifications.py) ------
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "secoop@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
