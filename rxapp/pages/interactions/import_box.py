"""The participants CSV import box: upload, mapping step, progress and report (R-INT-1)."""

import reflex as rx

from rxapp.components.csv_import import csv_import_box
from rxapp.states.interactions.participant_import import FIELD_KEYS, ParticipantImportState


def import_box() -> rx.Component:
    """Upload a CSV; unknown headers open the mapping step; the whole file is checked first."""
    return csv_import_box(ParticipantImportState, upload_id="csv-upload", fields=FIELD_KEYS,
                          title_key="import.title", help_key="import.help")
