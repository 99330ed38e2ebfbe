"""Django settings: everything from the environment, safe defaults for a laptop demo only."""

from __future__ import annotations

import json
import math
from datetime import timedelta
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


def _weak_secret_key(key: str) -> str | None:
    """Why a production SECRET_KEY is too weak, or None (decision 0019): at least 50
    characters, at least 12 different ones (a random hex key has up to 16), at least 3 bits of
    Shannon entropy per character, and not one short piece repeated."""
    if len(key) < 50:
        return f"it has {len(key)} characters, at least 50 are needed"
    if len(set(key)) < 12:
        return f"it has only {len(set(key))} different characters, at least 12 are needed"
    counts = [key.count(c) for c in set(key)]
    bits = -sum(n / len(key) * math.log2(n / len(key)) for n in counts)
    if bits < 3.0:
        return f"it is too predictable ({bits:.1f} bits per character, at least 3 are needed)"
    if any(key == (key[:p] * (len(key) // p + 1))[: len(key)] for p in range(1, len(key) // 2)):
        return "it is a short piece repeated"
    return None


if PRODUCTION and (_weakness := _weak_secret_key(SECRET_KEY)):
    raise SettingsError(
        f"SECRET_KEY is too weak for production: {_weakness}. Make a new one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
    )

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
    "heltid.background",
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

# Background work (decision 0022): django-tasks with its database backend, the same on SQLite
# and PostgreSQL; `heltid db_worker` runs the tasks, `heltid schedule` enqueues what is due.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "heltid.web.security.SecurityHeadersMiddleware",  # no-store, CSP (decision 0019)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "heltid.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "heltid.accounts.middleware.PermissionDeclaredMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "heltid.urls"
WSGI_APPLICATION = "heltid.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "heltid.accounts.oidc.HeltidOIDCBackend",  # does nothing unless HELTID_OIDC_CLIENT_ID is set
]

# Sign-in through the municipality's identity provider, OpenID Connect (decision 0018): off
# unless HELTID_OIDC_CLIENT_ID is set. Endpoints are given explicitly (the provider's
# /.well-known/openid-configuration lists them); role and unit come from claims at every sign-in.
HELTID_OIDC_ENABLED = bool(env_str("HELTID_OIDC_CLIENT_ID", ""))
OIDC_RP_CLIENT_ID = env_str("HELTID_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_secret("HELTID_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("HELTID_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("HELTID_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("HELTID_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("HELTID_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("HELTID_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("HELTID_OIDC_SCOPES", "openid profile email")
OIDC_USE_PKCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic, the specification's default
OIDC_TIMEOUT = env_int("HELTID_OIDC_TIMEOUT_SECONDS", 10, minimum=1)
HELTID_OIDC_USERNAME_CLAIM = env_str("HELTID_OIDC_USERNAME_CLAIM", "sub")
HELTID_OIDC_ROLE_CLAIM = env_str("HELTID_OIDC_ROLE_CLAIM", "roles")
HELTID_OIDC_UNIT_CLAIM = env_str("HELTID_OIDC_UNIT_CLAIM", "heltid_unit")
# The provider's role values to Heltid's role codes, e.g. {"Heltid.Handlaggare":
# "benefit_officer"}; empty: the provider sends Heltid's role codes themselves.
try:
    HELTID_OIDC_ROLE_MAP: dict[str, str] = json.loads(env_str("HELTID_OIDC_ROLE_MAP", "") or "{}")
except json.JSONDecodeError as exc:
    raise SettingsError(f"HELTID_OIDC_ROLE_MAP must be a JSON object: {exc}") from exc
if not isinstance(HELTID_OIDC_ROLE_MAP, dict) or not all(
    isinstance(k, str) and isinstance(v, str) for k, v in HELTID_OIDC_ROLE_MAP.items()
):
    raise SettingsError('HELTID_OIDC_ROLE_MAP must be a JSON object of strings: {"IdP role": "…"}')
if HELTID_OIDC_ENABLED:
    for _name, _value in {
        "HELTID_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        "HELTID_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "HELTID_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "HELTID_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
        "HELTID_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
    }.items():
        if not _value:
            raise SettingsError(f"HELTID_OIDC_CLIENT_ID is set, so {_name} must be set too")
        if PRODUCTION and _name.endswith("_ENDPOINT") and not _value.startswith("https://"):
            raise SettingsError(f"{_name} must be an https:// address in production")

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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends seconds compiling the catalogue's capacity query and
    # the worklists' aggregates, which run in milliseconds without it (issue 13's load test):
    # off for Heltid's own connections, whatever the server's default.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in lockout and the second factor (decision 0017). HELTID_LOCKOUT_FAILURES failed
# sign-ins (wrong passwords and wrong one-time codes alike) lock the account, and as many from
# one client address lock that address, for HELTID_LOCKOUT_MINUTES. Behind the proxy the
# address is the right-most X-Forwarded-For entry (HELTID_PROXY_COUNT proxies), in production
# only; elsewhere REMOTE_ADDR.
HELTID_LOCKOUT_FAILURES = env_int("HELTID_LOCKOUT_FAILURES", 5, minimum=1)
HELTID_LOCKOUT_MINUTES = env_int("HELTID_LOCKOUT_MINUTES", 15, minimum=1)
HELTID_PROXY_COUNT = env_int("HELTID_PROXY_COUNT", 1, minimum=0)
AXES_FAILURE_LIMIT = HELTID_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=HELTID_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = False  # a right password must not wipe wrong one-time codes
AXES_CLIENT_IP_CALLABLE = "heltid.accounts.second_factor.client_address"
AXES_LOCKOUT_CALLABLE = "heltid.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False  # the admin site is Heltid's own; unlock with the user admin action
AXES_VERBOSE = False
# TOTP (django-otp): the issuer shown in the authenticator app.
OTP_TOTP_ISSUER = env_str("HELTID_OTP_ISSUER", "Heltid")

# Argon2id first (decision 0024); PBKDF2 so passwords stored before still sign in (and are then
# stored anew with Argon2id).
PASSWORD_HASHERS = [
    "heltid.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

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
