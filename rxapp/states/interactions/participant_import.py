"""State of the participants CSV import: upload, mapping step, progress, report (R-INT-1).

The pipeline (upload store, mapping step, job in the database, progress off the state
lock) is :class:`rxapp.states.csv_import.CsvImportMixin`'s; this state keeps what is the
participants' own: who may import, the fields, the service call and the texts.
"""

from typing import ClassVar

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Module
from rxapp.services.accounts.auth import Principal
from rxapp.services.common import upload_store
from rxapp.services.interactions import participants
from rxapp.services.interactions.participant_import import FIELDS
from rxapp.states.base import STAFF, AppState
from rxapp.states.csv_import import CsvImportMixin, Work
from rxapp.states.interactions.common import MAX_CSV_BYTES

FIELD_KEYS = [f.key for f in FIELDS]
JOB_KIND = "participants"


class ParticipantImportState(CsvImportMixin, AppState):
    """Import participants from a CSV, with a mapping step when headers are unknown."""

    import_kind: ClassVar[str] = JOB_KIND
    import_fields: ClassVar[tuple[str, ...]] = tuple(FIELD_KEYS)
    import_max_bytes: ClassVar[int] = MAX_CSV_BYTES

    def _import_guard(self, *, upload: bool = False) -> Principal | None:
        return self._require_module(Module.INTERACTIONS.value, *STAFF, upload=upload)

    def _import_work(self, principal: Principal, upload_id: str,
                     mapping: list[str] | None) -> Work:
        def work(progress):  # noqa: ANN001, ANN202
            data = upload_store.load(upload_id)
            with session_scope() as session:
                return participants.import_participants_csv(
                    session, organization_id=principal.organization_id, data=data,
                    now=clock.now(), progress=progress, mapping=mapping)

        return work

    def _ok_message(self, report) -> str:  # noqa: ANN001
        return self._tr("import.ok", n=report.imported)

    def _import_succeeded(self):  # noqa: ANN202
        from rxapp.states.interactions.overview import ParticipantsState

        return ParticipantsState.load
