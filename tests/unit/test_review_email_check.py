"""The purchases' fast email check agrees with the full validator (it only skips work)."""

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from rxapp.services.reviews.purchase_input import _checked_email

CASES = [
    "a@b.co", "A.B@Example.COM", "x@example.test", "a@localhost", "a@b.c1", "a@123.com",
    "ab@xn--bcher-kva.example", "a..b@x.com", ".a@x.com", "a@-x.com", "a@x-.com", "a@x.com.",
    "a b@x.com", "a@x..com", "o'neil@x.ie", "a@b.local", "a@x.onion", "ü@x.de", "a@bücher.de",
    "x" * 65 + "@x.com", "a@" + "b" * 64 + ".com",
]


def _full(value: str) -> str | None:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _fast(value: str) -> str | None:
    try:
        return _checked_email(value).lower()
    except EmailNotValidError:
        return None


@pytest.mark.parametrize("value", CASES)
def test_fast_check_matches_the_validator(value):
    assert _fast(value) == _full(value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.emails(), st.text(max_size=40), st.from_regex(r"[a-z.]{1,8}@[a-z.-]{1,12}")))
def test_fast_check_matches_the_validator_on_generated_addresses(value):
    assert _fast(value) == _full(value)
