import os
from pathlib import Path

# Playwright's sync API keeps an asyncio loop in the main thread; Django's ORM must still be
# usable from the test body (see docs/operations.md, "Browser tests").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Every module in tests/fixtures/ is a fixture plugin (browser, sandbox, wallets, ...).
pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests create many users and prove nothing by it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A "replica" alias that is the test database itself (Django's test mirror), so the replica
    # router can be proven in any test run; routing stays off unless a test turns it on
    # (tests/deploy/test_replica_router.py). The cluster smoke uses a real streaming replica.
    if "replica" not in settings.DATABASES:
        settings.DATABASES["replica"] = {
            **settings.DATABASES["default"],
            "TEST": {"MIRROR": "default"},
        }
