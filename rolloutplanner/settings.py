"""Settings for Rollout Planner, read from the environment.

With nothing set the app runs embedded: SQLite under var/, Celery tasks run eagerly
(no broker), e-mail printed to the console. DATABASE_URL and REDIS_URL switch to
PostgreSQL and a real Redis broker. Bad values raise ImproperlyConfigured at start-up.
"""

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def embedded_secret_key(path):
    """The embedded install's own random key, made on first start and kept (owner-only) in var/.

    Written to a temporary file and hard-linked into place, so two processes starting at
    once end up with the same key.
    """
    if not path.exists():
        import secrets
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds no usable secret key; delete it to make a new one")
    return key


# ---------------------------------------------------------------- core
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = embedded_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "programs",
    "cohorts",
    "reinforcement",
    "reinforcement.measurement",
    "reinforcement.practice",
    "reinforcement.leadership",
    "cohorts.accounts",
    "axes",
    # Last on purpose: its post_migrate hook assigns role permissions of the apps above.
    "rolloutplanner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rolloutplanner.errors.RequestGuardMiddleware",
    "rolloutplanner.sqlite.ReadOnlyRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cohorts.accounts.middleware.ActiveAccountMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rolloutplanner.urls"
WSGI_APPLICATION = "rolloutplanner.wsgi.application"

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
                "rolloutplanner.context_processors.role",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# ---------------------------------------------------------------- database
# Without DATABASE_URL: Django's SQLite with IMMEDIATE write transactions (rolloutplanner/sqlite).
EMBEDDED_DATABASE = {
    "ENGINE": "rolloutplanner.sqlite",
    "NAME": VAR_DIR / "rolloutplanner.sqlite3",
    "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
    # Tests run in memory, as Django does for its own SQLite engine (pytest-xdist needs it said).
    "TEST": {"NAME": ":memory:"},
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    DATABASES = {"default": {k: v.copy() if isinstance(v, dict) else v for k, v in EMBEDDED_DATABASE.items()}}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Invitation links (set your first password) and password-reset links.
INVITATION_LINK_MAX_AGE_DAYS = env_int("INVITATION_LINK_MAX_AGE_DAYS", 14)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (mozilla-django-oidc; endpoints come from the issuer's
# discovery document, see cohorts/accounts/sso.py). Off while OIDC_ISSUER is empty.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required too")
if OIDC_ISSUER and not OIDC_ISSUER.startswith("https://" if not DEBUG else ("https://", "http://")):
    raise ImproperlyConfigured(f"OIDC_ISSUER must be an https:// URL, got {OIDC_ISSUER!r}")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME") or "your company account"
OIDC_RP_SCOPES = env_str("OIDC_SCOPES") or "openid email profile"
if OIDC_ISSUER and not {"openid", "email"} <= set(OIDC_RP_SCOPES.split()):
    raise ImproperlyConfigured("OIDC_SCOPES must include openid and email (people are matched by e-mail)")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO") or "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
PASSWORD_LOGIN_ENABLED = env_bool("PASSWORD_LOGIN_ENABLED", True)
if not PASSWORD_LOGIN_ENABLED and not OIDC_ISSUER:
    raise ImproperlyConfigured("PASSWORD_LOGIN_ENABLED=false needs single sign-on (OIDC_ISSUER)")
AUTHENTICATION_BACKENDS = [
    "cohorts.accounts.throttling.LoginThrottleBackend",  # first: refuses locked accounts/addresses
    "django.contrib.auth.backends.ModelBackend",
    "cohorts.accounts.sso.PersonBackend",
]
if not PASSWORD_LOGIN_ENABLED:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

# Login throttling (django-axes, see cohorts/accounts/throttling.py).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30)
if not 1 <= AXES_FAILURE_LIMIT <= LOGIN_FAILURE_LIMIT_PER_ADDRESS:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT must be at least 1 and at most LOGIN_FAILURE_LIMIT_PER_ADDRESS"
    )
_cooloff_minutes = env_int("LOGIN_COOLOFF_MINUTES", 15)
if _cooloff_minutes < 1:
    raise ImproperlyConfigured("LOGIN_COOLOFF_MINUTES must be at least 1")
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "cohorts.accounts.throttling.LoginThrottleHandler"
AXES_USERNAME_CALLABLE = "cohorts.accounts.throttling.username_for_throttling"
AXES_LOCKOUT_CALLABLE = "cohorts.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # user.last_login records sign-ins; this table would only grow
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "cohorts.accounts.throttling.client_address"
# Reverse proxies in front of the app that append the client to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# ---------------------------------------------------------------- i18n / time
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known IANA time zone") from None
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- static files
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Practice recordings go through the default storage: local disk, or any S3-compatible
# bucket when PRACTICE_S3_BUCKET is set (django-storages; credentials from the environment).
if env_str("PRACTICE_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PRACTICE_S3_BUCKET"),
            "endpoint_url": env_str("PRACTICE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PRACTICE_S3_REGION") or None,
            "access_key": env_str("PRACTICE_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("PRACTICE_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
PRACTICE_MAX_UPLOAD_BYTES = env_int("PRACTICE_MAX_UPLOAD_MB", 500) * 2**20
PRACTICE_UPLOAD_TMP = VAR_DIR / "uploads"
PRACTICE_REVIEW_DUE_DAYS = env_int("PRACTICE_REVIEW_DUE_DAYS", 3)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rolloutplanner.api.json_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "rolloutplanner.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rollout Planner API",
    "DESCRIPTION": "Read programs, cohorts, stages and coaching; push metric actuals from a CRM.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# ---------------------------------------------------------------- e-mail
# EMAIL_BACKEND picks the backend by name: console (default), file, locmem, smtp.
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "console")
if _email_backend not in EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND must be one of {', '.join(EMAIL_BACKENDS)}, got {_email_backend!r}"
    )
EMAIL_BACKEND = EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rollout Planner <noreply@rolloutplanner.local>")

# ---------------------------------------------------------------- celery
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, got {REDIS_URL!r}")
# Embedded mode: no broker, tasks run in-process; the nudge dispatcher is driven by
# `manage.py run_dispatcher` instead of beat.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, give up publishing within about half a second (the caller falls back).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs; without a broker `serve_embedded` runs these in-process (embedded_beat.py).
CELERY_BEAT_SCHEDULE = {
    "reinforcement-dispatch-nudges": {"task": "reinforcement.tasks.dispatch_due_nudges", "schedule": 60.0},
    "reinforcement-reap-leases": {"task": "reinforcement.tasks.reap_nudge_leases", "schedule": 120.0},
    "rolloutplanner-reap-stale-jobs": {"task": "rolloutplanner.tasks.reap_stale_jobs", "schedule": 300.0},
    "reinforcement-manager-digests": {
        "task": "reinforcement.tasks.plan_manager_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "measurement-refresh-snapshots": {
        "task": "reinforcement.measurement.tasks.refresh_snapshots",
        "schedule": crontab(minute=15, hour="*/6"),
    },
    "practice-refresh-points": {"task": "reinforcement.practice.tasks.refresh_points", "schedule": 900.0},
    "practice-expire-uploads": {"task": "reinforcement.practice.tasks.expire_uploads", "schedule": 3600.0},
    "reinforcement-recompute-stages": {
        "task": "reinforcement.tasks.recompute_stages",
        "schedule": crontab(minute=30, hour=2),
    },
    "reinforcement-fit-spacing": {
        "task": "reinforcement.tasks.fit_spacing_policies",
        "schedule": crontab(minute=15, hour=3),
    },
    "leadership-weekly-briefs": {
        "task": "reinforcement.leadership.tasks.plan_weekly_briefs",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    "leadership-brief-outbox": {
        "task": "reinforcement.leadership.tasks.drain_brief_outbox",
        "schedule": 300.0,
    },
    "leadership-fade-alarms": {
        "task": "reinforcement.leadership.tasks.refresh_fade_alarms",
        "schedule": crontab(minute=0, hour=6),
    },
}
# Without a reachable broker, imports run in a bounded pool of threads (rolloutplanner/background.py);
# any job still queued or running after JOB_TIMEOUT_SECONDS is ended as failed (rolloutplanner/jobs.py).
BACKGROUND_JOB_THREADS = env_int("BACKGROUND_JOB_THREADS", 1)
BACKGROUND_JOB_QUEUE = env_int("BACKGROUND_JOB_QUEUE", 4)
JOB_TIMEOUT_SECONDS = env_int("JOB_TIMEOUT_SECONDS", 30 * 60)
NUDGE_LEASE_SECONDS = env_int("NUDGE_LEASE_SECONDS", 300)
NUDGE_LINK_MAX_AGE_DAYS = env_int("NUDGE_LINK_MAX_AGE_DAYS", 7)

# ---------------------------------------------------------------- request limits
# A body (form or JSON) over MAX_REQUEST_BODY_BYTES, or an upload over MAX_UPLOAD_BYTES, is
# refused with 413 before it is read (rolloutplanner/errors.py).
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 2 * 1024 * 1024)
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

# ---------------------------------------------------------------- content security policy
# Only this site's own (vendored) files run: no inline <script>, <style> or style=""; a script
# that must be inline carries nonce="{{ CSP_NONCE }}". Violations go to CSP_REPORT_URI if set.
_csp_report_uri = env_str("CSP_REPORT_URI")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],  # practice recordings play back from the recorder's blob
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    }
}

# ---------------------------------------------------------------- security
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# ---------------------------------------------------------------- demo
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
