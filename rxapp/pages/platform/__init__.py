"""The operator's platform console (R-ACC-5, R-PLUS-10)."""

from rxapp.pages.platform import console, organization  # noqa: F401
