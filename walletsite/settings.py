"""Settings for the wallet site: one file, every deployment difference an environment variable.

Development needs no environment at all (SQLite, DEBUG, console e-mail, the local Paystack
sandbox). `.env.example` lists and explains every variable read here; docs/settings.md too.
"""

import ipaddress
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# Rotation (docs/operations.md): the new key in DJANGO_SECRET_KEY, the old one(s) here, so
# sessions, signed links and stored PINs made under them still verify.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [],
)

if not DEBUG:
    # Production refuses to start rather than run with a guessable key or open Host header.
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG=0 "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too short: use at least 50 random characters in production."
        )
    if any(key.startswith("django-insecure") for key in SECRET_KEY_FALLBACKS):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY_FALLBACKS must not list a development key in production: "
            "anything signed with it could be forged."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list this site's host names when DJANGO_DEBUG=0 "
            "(comma-separated, e.g. wallet.example.com)."
        )

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "wallet.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "csp",
    "django_q",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "wallet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Paystack's webhook POST skips the layers below that serve people (walletsite/webhook_lane.py)
    "walletsite.webhook_lane.WebhookLaneMiddleware",
    "csp.middleware.CSPMiddleware",
    "walletsite.middleware.PermissionsPolicyMiddleware",
    "walletsite.middleware.ExplainClientErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "walletsite.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "walletsite.middleware.HtmxMessagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wallet.views.devices.DeviceCookieMiddleware",
]

ROOT_URLCONF = "walletsite.urls"
WSGI_APPLICATION = "walletsite.wsgi.application"

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
                "wallet.context_processors.notification_bell",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# SQLite by default (WAL + IMMEDIATE transactions, so concurrent writers wait rather than fail);
# DATABASE_URL=postgres://... for PostgreSQL, which is what concurrency is proven on.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
    # The ledger's covering index (INCLUDE amount, migration 0010) is a PostgreSQL feature;
    # SQLite builds it without the extra column, which is all development needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # runserver starts a thread per request and each thread would keep its own persistent
    # connection until the cluster runs out: there (and whenever DEBUG is on) connections are
    # closed after each request. Production's gunicorn workers reuse theirs for 60 s.
    _DEVELOPMENT_SERVER = sys.argv[1:2] == ["runserver"]
    _conn_max_age = env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 60)
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if _DEVELOPMENT_SERVER else _conn_max_age
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Deployment: read replica and connection pooling (docs/SCALING.md) -----------------------
# DATABASE_REPLICA_URL names a streaming replica of DATABASE_URL. Only lag-tolerant reads go
# there (walletsite/replica.py): GET pages listed below, for the models listed below, while the
# replica's lag is under DATABASE_REPLICA_MAX_LAG_SECONDS and the browser has not written in
# the last DATABASE_REPLICA_PIN_SECONDS. Balances, limits, PINs, tokens, sessions, the API and
# every read in a request that already wrote stay on the primary.
_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if _REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ["walletsite.replica.ReplicaRouter"]
DATABASE_REPLICA_ROUTING = bool(_REPLICA_URL)
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=5.0)
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
DATABASE_REPLICA_VIEWS = [
    "wallet:history",
    "wallet:export_csv",
    "wallet:statement",
    "admin:*_changelist",
    "admin:audit_csv",
]
DATABASE_REPLICA_MODELS = [
    "wallet.Transaction",
    "wallet.LedgerEntry",
    "wallet.Payout",
    "wallet.Refund",
    "wallet.Settlement",
    "wallet.SettlementRun",
    "wallet.WebhookEvent",
    "wallet.WebhookRefusal",
    "wallet.AuditEntry",
    "wallet.ReconciliationRun",
    "wallet.ReconciliationMismatch",
    "wallet.ChargeAnomaly",
]
MIDDLEWARE.append("walletsite.replica.ReplicaReadsMiddleware")
# Pooling, one of two ways (measured in docs/SCALING.md):
# - DATABASE_POOL_MAX_SIZE=N: psycopg's pool inside each process (Django's OPTIONS["pool"]);
# - DATABASE_PGBOUNCER=1: DATABASE_URL points at PgBouncer in transaction mode, which cannot
#   keep a server-side cursor or a prepared statement between transactions.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    for _alias in list(DATABASES):
        _db = DATABASES[_alias]
        if env.int("DATABASE_POOL_MAX_SIZE", default=0):
            _db["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not.
            _db.setdefault("OPTIONS", {})["pool"] = {
                "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
                "max_size": env.int("DATABASE_POOL_MAX_SIZE"),
                "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
            }
        if env.bool("DATABASE_PGBOUNCER", default=False):
            _db["DISABLE_SERVER_SIDE_CURSORS"] = True
            _db.setdefault("OPTIONS", {})["prepare_threshold"] = None
        else:
            # A connection of its own may keep prepared statements. Django's cursors send every
            # query whole regardless (client-side binding); only a statement sent through a
            # server-binding cursor is prepared, on first use: the transfer's call
            # (wallet.services.ledger.transfer_sql).
            _db.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 0)

# --- Users and allauth ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "wallet:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# First and last name and a phone number: what other customers find and recognise you by.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Paystack Wallet] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
# Every change of who owns the account asks for a fresh password, plus the authenticator code
# where the customer has MFA (accounts/reauthentication.py; the form asks both at once), so
# an e-mailed code or a TOTP alone never counts as re-authentication.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_METHODS = ["password"]
ACCOUNT_FORMS = {
    "reauthenticate": "accounts.allauth_forms.ReauthenticateForm",
    "reset_password": "accounts.allauth_forms.ResetPasswordForm",
}
# "Sign out everywhere else" also revokes every API token (issue 20).
USERSESSIONS_ADAPTER = "accounts.usersessions_adapter.UserSessionsAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Paystack Wallet"

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Wallet <no-reply@wallet.local>")
# Where customers reach a person: named in every e-mail to customers and set as its Reply-To
# (the sender above is a no-reply address).
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@wallet.local")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Lagos")
USE_I18N = True
# locale/en overrides a few third-party strings (allauth's Title Case) with sentence case.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# walletsite/formats/en: date-times printed with their zone (Lagos, "WAT").
FORMAT_MODULE_PATH = ["walletsite.formats"]

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security (production) --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy (django-csp): scripts and styles only from our own static files, no
# inline script or handler anywhere (htmx and static/js/app.js). Forms may also lead to
# Paystack's checkout (a redirect after POST counts as form-action).
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.paystack.com"],
    }
}
# Browser features no page here uses (walletsite.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Redis (optional; docs/settings.md, "Redis") ---------------------------------------------
# REDIS_URL=redis://host:6379/N makes Redis the django-q2 broker (database N) and, unless
# CACHE_URL / WORKER_CACHE_URL name others, the shared cache (database N+1: login and API rate
# limits) and the worker heartbeat cache (N+2). Separate databases, so that clearing a cache
# never drops a queued task. Unset (the default): the database is broker and cache.
REDIS_URL = env.str("REDIS_URL", default="")


def _redis_database(url: str, offset: int) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(f"REDIS_URL must be redis://host:port/N, not {url!r}.")
    database = int(parts.path.strip("/") or 0) + offset
    return parts._replace(path=f"/{database}").geturl()


# --- Cache ------------------------------------------------------------------------------------
# "default" holds login/API rate-limit counters. In production it must be shared by every web
# worker, so it is Redis (above) or the database cache unless CACHE_URL names another;
# development and tests run one process and use memory. "workers" always crosses processes:
# the django-q2 cluster publishes its heartbeat there (the ORM broker) and /healthz reads it.
# `migrate` creates the database-cache tables whatever these say (walletsite/cache_tables.py).
if REDIS_URL:
    _default_cache, _workers_cache = _redis_database(REDIS_URL, 1), _redis_database(REDIS_URL, 2)
else:
    _default_cache = "locmemcache://" if DEBUG else "dbcache://django_cache"
    _workers_cache = "dbcache://django_cache_workers"
CACHES = {
    "default": env.cache_url("CACHE_URL", default=_default_cache),
    "workers": env.cache_url("WORKER_CACHE_URL", default=_workers_cache),
}

# --- JSON API v1 (wallet/api/v1/, docs/api.md) ---------------------------------------------
# Money endpoints are throttled three ways at once: per user, per API token and per client IP.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wallet.api.v1.authentication.BearerTokenAuthentication",
        "wallet.api.v1.authentication.SessionWithCsrfAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wallet.api.v1.permissions.TokenScopeAllows"],
    "DEFAULT_PARSER_CLASSES": ["wallet.api.v1.parsers.DecimalJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wallet.api.v1.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "money_user": env.str("WALLET_API_MONEY_RATE_USER", default="60/m"),
        "money_token": env.str("WALLET_API_MONEY_RATE_TOKEN", default="60/m"),
        "money_ip": env.str("WALLET_API_MONEY_RATE_IP", default="120/m"),
    },
}
# The per-IP throttle sees the client through TRUSTED_PROXIES, like everything else
# (wallet/api/v1/throttling.py); DRF's own hop count is not used.
if env.str("WALLET_API_NUM_PROXIES", default=""):
    raise ImproperlyConfigured(
        "WALLET_API_NUM_PROXIES is no longer read: list your proxies in TRUSTED_PROXIES instead "
        "(one setting for login limits, API throttles, the audit log and the webhook allowlist)."
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "Paystack Wallet API",
    "DESCRIPTION": "The wallet's JSON API, version 1. See docs/api.md for worked examples.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/wallet/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wallet.api.v1.schema.add_error_answers",
    ],
}
# How long a new API token lives unless its owner picks another lifetime (days).
WALLET_API_TOKEN_DAYS = env.int("WALLET_API_TOKEN_DAYS", default=90)

# --- Background work: django-q2 ---------------------------------------------------------------
# The ORM broker works on SQLite and PostgreSQL; REDIS_URL switches to Redis for larger sites
# (the webhook events are claimed from the database either way: wallet/services/funding).
Q_CLUSTER = {
    "name": "wallet",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    # The cluster refreshes its heartbeat (a 3 s cache entry) once per guard cycle: keep it < 3 s.
    "guard_cycle": env.float("Q_GUARD_CYCLE", default=0.5 if DEBUG else 1.0),
    "poll": env.float("Q_POLL", default=0.5),
    "sync": env.bool("Q_SYNC", default=False),
    "save_limit": 1000,
    "ack_failures": True,
    "cache": "workers",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Webhook worker (manage.py process_webhooks; docs/funding.md) ---------------------------
# The acknowledgement only records an event (one INSERT); this worker claims and applies it.
# Seconds it waits when no event is waiting: the longest a credit waits for an idle worker.
WEBHOOK_WORKER_POLL = env.float("WEBHOOK_WORKER_POLL", default=0.2)
# The webhook's POST goes from SecurityMiddleware straight to its view (walletsite/webhook_lane.py);
# 0 sends it through every middleware like any page.
WEBHOOK_FAST_PATH = env.bool("WEBHOOK_FAST_PATH", default=True)

# --- Paystack ---------------------------------------------------------------------------------
# In development these point at the local sandbox (sandbox/); a real sk_test_/sk_live_ key with
# PAYSTACK_BASE_URL=https://api.paystack.co talks to Paystack itself.
PAYSTACK_BASE_URL = env.str("PAYSTACK_BASE_URL", default="http://127.0.0.1:8001")
# The sandbox serves its checkout page itself: let forms lead there too (see the CSP above).
_paystack_origin = "{0.scheme}://{0.netloc}".format(urlsplit(PAYSTACK_BASE_URL))
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_paystack_origin)
PAYSTACK_SECRET_KEY = env.str(
    "PAYSTACK_SECRET_KEY", default="sk_test_sandbox_secret_key" if DEBUG else ""
)
PAYSTACK_PUBLIC_KEY = env.str(
    "PAYSTACK_PUBLIC_KEY", default="pk_test_sandbox_public_key" if DEBUG else ""
)
PAYSTACK_TIMEOUT = env.float("PAYSTACK_TIMEOUT", default=10.0)
PAYSTACK_CONNECT_TIMEOUT = env.float("PAYSTACK_CONNECT_TIMEOUT", default=3.05)
# Empty means any source address; set to Paystack's published IPs in production.
PAYSTACK_WEBHOOK_IPS = env.list("PAYSTACK_WEBHOOK_IPS", default=[])
# Our own reverse proxies (addresses or networks): X-Forwarded-For is believed only through
# them (wallet/client_address.py). Empty: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network.")
# Bank of dedicated account numbers: test-bank in test mode; wema-bank / titan-paystack live.
PAYSTACK_DVA_BANK = env.str("PAYSTACK_DVA_BANK", default="test-bank")

# --- Wallet rules -----------------------------------------------------------------------------
WALLET_CURRENCY = env.str("WALLET_CURRENCY", default="NGN")
WALLET_MIN_AMOUNT = Decimal(env.str("WALLET_MIN_AMOUNT", default="1.00"))
WALLET_MAX_AMOUNT = Decimal(env.str("WALLET_MAX_AMOUNT", default="10000000.00"))
# Daily and balance limits live in the database, per KYC tier (wallet.KycTier, back office).
# After a sign-in from a browser not seen before, outflows are capped for a while.
WALLET_SAFETY_MODE_LIMIT = Decimal(env.str("WALLET_SAFETY_MODE_LIMIT", default="20000.00"))
WALLET_SAFETY_MODE_HOURS = env.int("WALLET_SAFETY_MODE_HOURS", default=24)
# After a change of e-mail, password, PIN (reset) or MFA (removed): outflows capped as in
# safety mode for this long, and a bank account added then is held this long (issue 20).
WALLET_COOLING_OFF_HOURS = env.int("WALLET_COOLING_OFF_HOURS", default=24)
WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS = env.int("WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS", default=24)
# How long a "This wasn't me" link in a security notice works.
WALLET_FREEZE_LINK_DAYS = env.int("WALLET_FREEZE_LINK_DAYS", default=30)
# Ask the transaction PIN on every outflow (pages and the JSON API); off only for API clients
# of a trusted integration that authenticate some other way.
WALLET_PIN_REQUIRED = env.bool("WALLET_PIN_REQUIRED", default=True)
# On PostgreSQL, run a transfer as one call of the wallet_transfer() SQL function (one round
# trip) instead of seven ORM statements. Same rules and rows; off = the portable ORM path.
WALLET_TRANSFER_IN_DATABASE = env.bool("WALLET_TRANSFER_IN_DATABASE", default=True)
# Pay anyone (issue 24, docs/customers.md). Until a send to a new bank account has arrived,
# what goes to it is capped ("" = no cap).
_first_cap = env.str("WALLET_BANK_SEND_FIRST_CAP", default="50000.00")
WALLET_BANK_SEND_FIRST_CAP = Decimal(_first_cap) if _first_cap else None
# Money requests: open this many days, at most this many new ones per requester per day.
WALLET_MONEY_REQUEST_DAYS = env.int("WALLET_MONEY_REQUEST_DAYS", default=7)
WALLET_MONEY_REQUESTS_PER_DAY = env.int("WALLET_MONEY_REQUESTS_PER_DAY", default=20)

# --- Back office (docs/backoffice.md) ---------------------------------------------------------
# A refund, reversal or payout retry above this amount waits for a second Finance user.
BACKOFFICE_APPROVAL_THRESHOLD = Decimal(
    env.str("BACKOFFICE_APPROVAL_THRESHOLD", default="100000.00")
)
# A maker's staff actions that move money, added up over a Lagos day: above this total,
# every further one waits for a second person, whatever its own amount.
BACKOFFICE_MAKER_DAILY_TOTAL = Decimal(env.str("BACKOFFICE_MAKER_DAILY_TOTAL", default="500000.00"))
# A back-office session ends after this many minutes without a request (sign in again).
BACKOFFICE_IDLE_MINUTES = env.int("BACKOFFICE_IDLE_MINUTES", default=30)
# Making or approving a money request or an access change asks for a new TOTP code when the
# last one is older than this.
BACKOFFICE_TOTP_FRESH_MINUTES = env.int("BACKOFFICE_TOTP_FRESH_MINUTES", default=15)
BACKOFFICE_APPROVAL_HOURS = env.int("BACKOFFICE_APPROVAL_HOURS", default=24)
# A payout still in flight after this many minutes is "stuck" on the dashboard (an alert).
BACKOFFICE_STUCK_PAYOUT_MINUTES = env.int("BACKOFFICE_STUCK_PAYOUT_MINUTES", default=30)
# A lost card-payment dispute the customer's wallet could not cover (docs/disputes.md):
# "loss" books the uncovered part as a loss at once; "recover" keeps it as exposure and takes
# it from the wallet as money comes in.
DISPUTE_EXPOSURE_POLICY = env.str("DISPUTE_EXPOSURE_POLICY", default="loss")
# The dashboard's ledger sums (books, volumes) are reused for this long; 0: summed every time.
BACKOFFICE_DASHBOARD_CACHE_SECONDS = env.int("BACKOFFICE_DASHBOARD_CACHE_SECONDS", default=60)
# Alerts (wallet/services/backoffice/alerts.py): past these an item is drawn as a problem, and
# the digest job e-mails OPS_ALERT_EMAILS (comma-separated) once when something newly crosses.
OPS_ALERT_EMAILS = env.list("OPS_ALERT_EMAILS", default=[])
BACKOFFICE_ALERT_CHARGE_MINUTES = env.int("BACKOFFICE_ALERT_CHARGE_MINUTES", default=60)
# Failed or refused webhook events in the last hour above this many are an alert.
BACKOFFICE_ALERT_WEBHOOKS_PER_HOUR = env.int("BACKOFFICE_ALERT_WEBHOOKS_PER_HOUR", default=0)
# An open card-payment dispute due within this many hours is an alert (it is lost by default
# at its due date if nobody answers).
BACKOFFICE_ALERT_DISPUTE_HOURS = env.int("BACKOFFICE_ALERT_DISPUTE_HOURS", default=48)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
