"""The purchases CSV import box: upload, mapping step, progress and report (issue 11)."""

import reflex as rx

from rxapp.components.csv_import import csv_import_box
from rxapp.states.reviews.purchase_import import FIELD_KEYS, PurchaseImportState


def import_box() -> rx.Component:
    """Upload a CSV; unknown headers open the mapping step; the whole file is checked first."""
    return csv_import_box(
        PurchaseImportState, upload_id="purchases-csv", fields=FIELD_KEYS,
        title_key="reviews.pur.import", help_key="reviews.pur.import_hint",
        drop_key="reviews.pur.choose_file", mapping_help_key="reviews.csv_mapping_help",
        extra=(rx.code("email;name;language;order_reference;purchased_at;products",
                       size="1", word_break="break-all"),),
        heading_size="4")
