"""States of the review pages."""

from rxapp.states.reviews.purchase_import import PurchaseImportState
from rxapp.states.reviews.purchases import PurchasesState
from rxapp.states.reviews.review import ReviewPageState
from rxapp.states.reviews.reviews import ReviewsState
from rxapp.states.reviews.settings import ReviewSettingsState

__all__ = [
    "PurchaseImportState",
    "PurchasesState", "ReviewPageState", "ReviewSettingsState", "ReviewsState"]
