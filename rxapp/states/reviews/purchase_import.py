"""State of the purchases CSV import: upload, mapping step, progress, report (issue 11).

The pipeline (upload store, mapping step, job in the database, progress off the state
lock) is :class:`rxapp.states.csv_import.CsvImportMixin`'s; this state keeps what is the
purchases' own: who may import, the fields, the service call and the texts.
"""

from typing import ClassVar

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services.accounts.auth import Principal
from rxapp.services.common import upload_store
from rxapp.services.reviews.csv_import import FIELD_KEYS as _KEYS
from rxapp.services.reviews.csv_import import import_purchases_csv
from rxapp.states.base import STAFF, AppState
from rxapp.states.csv_import import CsvImportMixin, Work

FIELD_KEYS = list(_KEYS)
JOB_KIND = "purchases"
MAX_UPLOAD = 5 * 1024 * 1024


class PurchaseImportState(CsvImportMixin, AppState):
    """Import purchases from a CSV, with a mapping step when headers are unknown."""

    import_kind: ClassVar[str] = JOB_KIND
    import_fields: ClassVar[tuple[str, ...]] = tuple(FIELD_KEYS)
    import_max_bytes: ClassVar[int] = MAX_UPLOAD
    too_large_code: ClassVar[str] = "reviews.csv_too_big"
    empty_code: ClassVar[str] = "reviews.csv_empty"

    def _import_guard(self, *, upload: bool = False) -> Principal | None:
        return self._require_module(Module.REVIEWS.value, *STAFF, upload=upload)

    def _import_work(self, principal: Principal, upload_id: str,
                     mapping: list[str] | None) -> Work:
        def work(progress):  # noqa: ANN001, ANN202
            data = upload_store.load(upload_id)
            with session_scope() as session:
                # Looked up at call time, so a test can stand in for the service.
                return import_purchases_csv(
                    session, organization_id=principal.organization_id, data=data,
                    now=clock.now(), progress=progress, mapping=mapping)

        return work

    def _ok_message(self, report) -> str:  # noqa: ANN001
        return self._tr("reviews.csv_result", created=report.imported,
                        duplicates=report.duplicates, capped=report.capped)

    def _import_succeeded(self):  # noqa: ANN202
        from rxapp.states.reviews.purchases import PurchasesState

        return PurchasesState.reload_list

    def _row_message(self, error, params: dict) -> str:  # noqa: ANN001
        """The reason, after the field's label when the row names one."""
        if error.code == "import.empty":
            return self._tr("reviews.csv_empty")
        if error.line == 1 and params:
            return self._tr(error.code, **params)
        text = self._tr(error.code)
        if error.field in FIELD_KEYS:
            return f"{self._tr('field.' + error.field)}: {text}"
        return text
