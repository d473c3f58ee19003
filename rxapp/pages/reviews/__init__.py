"""Pages of the reviews module; importing the package registers their routes."""

from rxapp.pages.reviews import purchases, review, reviews, settings  # noqa: F401
