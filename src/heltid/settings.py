"""Django settings: everything from the environment, safe defaults for a laptop demo only."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from heltid.env import SettingsError, env_bool, env_int, env_list, env_secret, env_str

# Importing the settings reads the environment and writes nothing (decision 0011): folders are
# made where something writes into them (the `heltid` command for SQLite, collectstatic).
BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
IN_CHECKOUT = BASE_DIR.parent.name == "src" and (PROJECT_DIR / "pyproject.toml").is_file()
# var/ of the source checkout; installed from the wheel, var/ of the working directory
VAR_DIR = Path(env_str("HELTID_VAR_DIR", str((PROJECT_DIR if IN_CHECKOUT else Path.cwd()) / "var")))

DEMO_SECRET_KEY = "heltid-demo-secret-key-never-use-in-production"
SECRET_KEY = env_secret("SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("HELTID_PRODUCTION", False)
if PRODUCTION and SECRET_KEY == DEMO_SECRET_KEY:
    raise SettingsError(
        "HELTID_PRODUCTION is on but SECRET_KEY is the demo key: set a secret SECRET_KEY"
    )
if PRODUCTION and DEBUG:
    raise SettingsError("DEBUG must be off when HELTID_PRODUCTION is on")
if PRODUCTION and len(SECRET_KEY) < 40:
    raise SettingsError("SECRET_KEY must be at least 40 characters in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
HELTID_MUNICIPALITY = env_str("HELTID_MUNICIPALITY", "Linköpings kommun")
HELTID_POLICY = env_str("HELTID_POLICY", "linkoping")
# Key of the pseudonyms in analysts' exports (keep it apart from SECRET_KEY, so rotating that
# does not break analysts' series); derived from SECRET_KEY when not set.
HELTID_PSEUDONYM_KEY = env_secret("HELTID_PSEUDONYM_KEY", "")
# The dashboard's figures of today are recomputed at most this often (decision 0009).
HELTID_STATISTICS_MAX_AGE_MINUTES = env_int("HELTID_STATISTICS_MAX_AGE_MINUTES", 60)

INSTALLED_APPS = [
    "heltid.accounts",
    "heltid.audit",
    "heltid.registry",
    "heltid.casework",
    "heltid.catalog",
    "heltid.referrals",
    "heltid.insights",
    "heltid.demo",
    "heltid.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "heltid.accounts.middleware.PermissionDeclaredMiddleware",
]

ROOT_URLCONF = "heltid.urls"
WSGI_APPLICATION = "heltid.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heltid.web.context_processors.heltid",
            ],
            "string_if_invalid": "",
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'heltid.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Made by collectstatic; whitenoise warns at start-up while it is missing.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# heltid/static/vendor/htmx/htmx.min.js is copied from npm by `make install` and ships in the
# wheel: nothing is looked up in node_modules at run time.
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# Sessions end after 30 minutes without activity (configurable), and at browser close.
SESSION_COOKIE_AGE = env_int("HELTID_SESSION_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto: plain http is redirected to
    # https (every path; HELTID_SSL_REDIRECT=false when the proxy already does it), and browsers
    # are told to use https only, for a year, subdomains included, preloadable (README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("HELTID_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HELTID_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HELTID_HSTS_PRELOAD", True)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HELTID_IMPORT_MAX_BYTES = env_int("HELTID_IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
