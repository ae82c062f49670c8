import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured

from csphub.lib.keyed_hash import keyed_hash, secret


def test_the_hash_is_hmac_sha256_under_the_key():
    expected = hmac.new(b"k", b"AB/123", hashlib.sha256).hexdigest()
    assert keyed_hash(b"k", "AB/123") == expected
    assert keyed_hash(b"other", "AB/123") != expected
    assert len(expected) == 64


def test_the_key_comes_from_the_named_setting(settings):
    settings.CSPHUB_TEST_KEY = "long-random-secret"
    assert secret("CSPHUB_TEST_KEY", "test references") == b"long-random-secret"


def test_without_the_setting_the_error_says_what_to_set(settings):
    settings.CSPHUB_TEST_KEY = ""
    with pytest.raises(ImproperlyConfigured) as error:
        secret("CSPHUB_TEST_KEY", "test references")
    assert str(error.value).startswith(
        "CSPHUB_TEST_KEY is not set: test references cannot be pseudonymised."
    )
