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

# --- Secret key (platform) --------------------------------------------------------------------
# SECRET_KEY, else the file SECRET_KEY_FILE names, else <checkout>/var/secret_key when `make run`
# made it (python -m secoop.keyfile: random, mode 0600, under the git-ignored var/), else the
# development key. The check secoop.E002 refuses to start with DEBUG=0 on the development key.
DEVELOPMENT_SECRET_KEY = "django-insecure-secoop-development-key-set-SECRET_KEY-in-production"
SECRET_KEY_FILE = env("SECRET_KEY_FILE") or (
    str(PROJECT_DIR / "var" / "secret_key")
    if (PROJECT_DIR / "var" / "secret_key").is_file()
    else ""
)


def _secret_key() -> str:
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    if SECRET_KEY_FILE:
        try:
            key = Path(SECRET_KEY_FILE).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"SECRET_KEY_FILE={SECRET_KEY_FILE} cannot be read ({exc.strerror}): create it with "
                f"`python -m secoop.keyfile {SECRET_KEY_FILE}` or set SECRET_KEY."
            ) from exc
        if not key:
            raise ImproperlyConfigured(
                f"SECRET_KEY_FILE={SECRET_KEY_FILE} is empty: delete it and run `make run` again."
            )
        return key
    return DEVELOPMENT_SECRET_KEY


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
]
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
    "secoop.analysis",
    "secoop.eum",
    "secoop.budget",
    "secoop.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "secoop.core.middleware.RequestIdMiddleware",
    "secoop.core.middleware.ContentSecurityPolicyMiddleware",
    "secoop.core.middleware.RejectNulMiddleware",  # issue 10 item 7: a NUL byte is a 400
    "django.contrib.sessions.middleware.SessionMiddleware",
    "secoop.core.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "secoop.core.middleware.SessionUserAuthenticationMiddleware",  # session + user: one query
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
            # Money and dates one way on every page: |usd, |day, |moment (core/formats.py).
            "builtins": ["secoop.core.templatetags.formats"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (zero set-up); PostgreSQL with DATABASE_URL=postgres://user@host:5432/name.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'var' / 'secoop.sqlite3'}"
# R-SEC-04 on PostgreSQL: the application runs as a role that does not own the tables (DATABASE_URL),
# so it cannot disable the append-only triggers; `secoop migrate` and `secoop grant_runtime_role`
# connect as the owner (DATABASE_OWNER_URL) and grant the runtime role data access (core/db_roles.py).
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL")
DATABASE_RUNTIME_USER = dj_database_url.parse(DATABASE_URL).get("USER") or ""
_OWNER_COMMANDS = ("migrate", "grant_runtime_role")
_CONNECT_AS = (
    DATABASE_OWNER_URL
    if DATABASE_OWNER_URL and sys.argv[1:2] and sys.argv[1] in _OWNER_COMMANDS
    else DATABASE_URL
)
# Connections are kept between requests (issue 15, decision 0046): opening one costs more than
# most requests' queries (~10 ms to PostgreSQL over TCP, and SQLite's PRAGMAs again). The health
# check replaces a connection the server dropped before the request uses it. Tests open and
# close their own.
DATABASES = {
    "default": dj_database_url.parse(
        _CONNECT_AS,
        conn_max_age=env_int("CONN_MAX_AGE", 0 if TESTING else 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the web server and the task worker share the file without "database is locked".
    # Writers queue instead of failing (platform, issue 11 §5):
    # - transaction_mode IMMEDIATE: every atomic block takes the write lock at BEGIN, waiting for it
    #   under the busy timeout. A DEFERRED transaction that read first and then writes cannot wait
    #   (SQLite answers "database is locked" at once to avoid a deadlock) — the 500s seen in use.
    # - WAL: readers never block the writer, nor the writer the readers.
    # - busy timeout (`timeout`, seconds, and the PRAGMA for connections opened by other means).
    SQLITE_BUSY_SECONDS = env_int("SQLITE_BUSY_SECONDS", 20)
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000};"
            ),
            "timeout": SQLITE_BUSY_SECONDS,
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME") or None}
else:
    # PostgreSQL's JIT compiles a query whose cost estimate is high (the correlated "what is
    # missing" subqueries of the training dashboard): at 100,000 students it spent 2.8 s compiling
    # a 1 s count (bench/training_dashboard.py). Short interactive queries gain nothing from it.
    pg_options = ["-c jit=off"] if env("PG_JIT", "off") == "off" else []
    # Solid-state storage: a random read costs about as much as a sequential one. With the
    # default (4, for spinning disks) the planner reads a whole table rather than a trigram
    # index that answers a search 4× faster (issue 15 item 2, bench/lists_keyset.py).
    pg_options.append(f"-c random_page_cost={float(env('PG_RANDOM_PAGE_COST', '1.1'))}")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(pg_options)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and TESTING:
    # One test database per run, so that two runs on one server do not drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# DISA ASD STIG password rules (docs/security.md): 15 characters (V-222536), upper, lower, digit,
# special (V-222537..V-222540), not one of the last 5 (V-222546), no username in it.
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "secoop.core.passwords.ComplexityValidator"},
    {"NAME": "secoop.core.passwords.UsernameInPasswordValidator"},
    {"NAME": "secoop.core.passwords.PasswordHistoryValidator"},
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
# The session row holds the signed-in user's id and is read joined to the user: one query for both
# on every request (issue 15, decision 0054; core/sessions.py).
SESSION_ENGINE = "secoop.core.sessions"

# R-SEC-07: lock after this many consecutive failed logons within the window (ASD STIG V-222432).
LOCKOUT_FAILED_ATTEMPTS = env_int("LOCKOUT_FAILED_ATTEMPTS", 3)
LOCKOUT_WINDOW_MINUTES = env_int("LOCKOUT_WINDOW_MINUTES", 15)
# R-SEC-05: accounts unused this many days are disabled (ASD STIG V-222411: 35; SCIP uses 180).
ACCOUNT_INACTIVITY_DAYS = env_int("ACCOUNT_INACTIVITY_DAYS", 35)
# API tokens expire after this many hours, and end sooner after API_TOKEN_IDLE_MINUTES without use
# (ASD STIG V-222389, like a session). Their last use is written at most once a minute.
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 8)
API_TOKEN_IDLE_MINUTES = env_int("API_TOKEN_IDLE_MINUTES", 15)

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
# PLAIN_HTTP=1 (set by `make run`, docs/decisions/0009): a local server on http://127.0.0.1 with
# DEBUG off; the HTTPS-only defaults (SSL redirect, secure cookies, HSTS) would make it unusable.
# A deployment serves HTTPS and leaves it off.
PLAIN_HTTP = env_bool("PLAIN_HTTP", False)
_HTTPS_DEFAULT = not DEBUG and not TESTING and not PLAIN_HTTP
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS_DEFAULT)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS_DEFAULT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS_DEFAULT)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (ASD STIG V-222602, XSS): scripts only from this origin, never inline and
# never an inline event handler. Sent when DEBUG is off (CSP_ENABLED overrides); CSP_POLICY replaces it.
CSP_ENABLED = env_bool("CSP_ENABLED", not DEBUG)
CSP_POLICY = env("CSP_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Dates one way everywhere ("3 Dec 2026"): Django's |date and {{ a_date }} use core/formats.py's
# formats, not the locale's ("Dec. 3, 2026").
FORMAT_MODULE_PATH = ["secoop.formats"]

# --- Static files: USWDS and htmx come from the npm registry (package-lock.json) and are served
# by the app through whitenoise; never a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = (
    env("STATIC_ROOT") or None
)  # only for `collectstatic`; whitenoise serves from the finders
NODE_MODULES = Path(env("NODE_MODULES_DIR") or PROJECT_DIR / "node_modules")
STATICFILES_DIRS = [
    ("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("html5-qrcode", NODE_MODULES / "html5-qrcode"),
]
WHITENOISE_USE_FINDERS = True
# Django's storages; the static one keeps each file's URL once worked out (core/staticfiles.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "secoop.core.staticfiles.UrlOnceStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT") or PROJECT_DIR / "var" / "media")
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Lists count what the reader may see exactly up to this many rows, then say "more than N"
# (core.keyset: a bounded count, never COUNT(*) over a large set on each request).
SECOOP_LIST_EXACT_COUNT_LIMIT = int(env("LIST_EXACT_COUNT_LIMIT", "1000"))

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "secoop.core.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "secoop.core.api_plumbing.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [  # django-filter (ids, bounded numbers), search and ordering under the field policy (core.fields)
        "secoop.core.api_plumbing.PolicyFilterBackend",
        "secoop.core.api_plumbing.PolicySearchFilter",
        "secoop.core.api_plumbing.PolicyOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "secoop.core.openapi.ConditionalAutoSchema",  # If-Match/412 (issue 10 item 8)
    "EXCEPTION_HANDLER": "secoop.core.api_plumbing.exception_handler",
    "DEFAULT_PARSER_CLASSES": [  # JSON bodies are objects, not too deep, without NUL (issue 10 item 7)
        "secoop.core.api_parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
    "ENUM_NAME_OVERRIDES": {
        "EvaluationKindEnum": "secoop.assessment.rules.EvaluationKind",
        "LessonKindEnum": "secoop.assessment.rules.LessonKind",
        "MeasureKindEnum": "secoop.planning.models.MeasureKind",
        # Choice sets of the same field names in several apps: one name each.
        "PlanningFundingSourceEnum": "secoop.planning.models.FundingSource",
        "BudgetFundingSourceEnum": "secoop.budget.rules.FundingSource.CHOICES",
        "RiskLevelEnum": "secoop.analysis.rules.Level",
        "EumProgramEnum": "secoop.eum.rules.Program",
        "TrainingProgramEnum": "secoop.training.rules.Program.CHOICES",
        "EumSourceEnum": "secoop.eum.rules.Source",
        "EumCheckKindEnum": "secoop.eum.rules.CheckKind",
        "EndUseRequestKindEnum": "secoop.eum.rules.RequestKind",
        "SaleKindEnum": "secoop.budget.rules.SaleKind.CHOICES",
    },
}

# --- Background work (django-tasks with the database backend) ---------------------------------
# --- List exports (issue 15 §6): streamed in chunks through the door, never cut silently ---------
EXPORT_CHUNK_ROWS = env_int("EXPORT_CHUNK_ROWS", 2000)  # rows fetched per round trip
# A sheet holds 1,048,576 rows; a lower cap here (tests) works the same way: the file says so.
EXPORT_XLSX_MAX_ROWS = env_int("EXPORT_XLSX_MAX_ROWS", 1_048_576)
# Exports of more rows than this are written by the task worker; the page shows the progress.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 100_000)

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}

# --- Notifications by e-mail (the mail names no record: see core/models/notifications.py) ------
# SITE_URL, else where `secoop serve` listens (HOST, PORT), so that `PORT=8765 make run` links right.
SERVE_HOST = env("HOST", "127.0.0.1")
SERVE_PORT = env_int("PORT", 8000)


def _default_site_url() -> str:
    host = (
        "127.0.0.1"
        if SERVE_HOST in ("", "0.0.0.0")
        else "[::1]"
        if SERVE_HOST == "::"
        else SERVE_HOST
    )
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{SERVE_PORT}"  # what `secoop serve` (gunicorn) answers on; behind TLS set SITE_URL


SITE_URL = env("SITE_URL") or _default_site_url()
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "secoop@localhost")
# The IATI reporting organization of the assessment app's IATI file (IATI organisation identifier).
IATI_REPORTING_ORG_REF = env("IATI_REPORTING_ORG_REF", "US-GOV-DOD")
IATI_REPORTING_ORG_NAME = env("IATI_REPORTING_ORG_NAME", "U.S. Department of Defense")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Analysis (issue 16) ------------------------------------------------------------------------
# A scenario with more candidate options than this is solved by the task worker, with progress.
ANALYSIS_BACKGROUND_OPTIONS = env_int("ANALYSIS_BACKGROUND_OPTIONS", 300)
