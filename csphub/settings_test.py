"""Settings for the test suite (pyproject's DJANGO_SETTINGS_MODULE).

The tests run as the demo does (CSPHUB_DEMO=1: development keys, plain HTTP,
no second factor unless a test turns it on). Set in the environment, so
commands the tests start as fresh processes run the same way; a test of the
production settings removes it (web/tests/test_production.py).
"""

import os

os.environ.setdefault("CSPHUB_DEMO", "1")

from csphub.settings import *  # noqa: E402, F403

# Every post reads the categories, partnerships and boxes a test has just
# changed (reports/tests/test_open311_speed.py turns the cache on).
CSPHUB_INTAKE_CACHE_SECONDS = 0

# No connection kept between requests in the test process: the live server's
# request threads share the in-memory test database, and a connection they
# kept would hold its table locks past the test (the next test's demo reload
# and the live-server flush fail with "database table is locked").
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
