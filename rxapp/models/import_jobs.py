"""Import jobs: the status of a long import, kept where every app worker sees it (issue 14).

A tab's state can be lost (reload, another worker, a Redis lock that expired); the
database row is the truth: while a job is ``running`` and its heartbeat is fresh, the page
shows its progress and refuses a second import; a job whose heartbeat stopped (the process
died) is finished as ``failed`` by the next page load.
"""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class ImportStatus(StrEnum):
    """Where an import job is."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(SQLModel, table=True):
    """One import (participants, attendees, purchases or team CSV) started by one user."""

    __tablename__ = "import_job"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    # rxapp.services.common.import_jobs.KINDS: one running job of each kind per user.
    kind: str = Field(max_length=32)
    status: str = Field(default=ImportStatus.RUNNING.value, max_length=16)
    done: int = 0
    total: int = 0
    # The message code of the outcome (e.g. "import.ok", "error.unexpected").
    result: str = Field(default="", max_length=64)
    started_at: datetime
    # Written with each progress step; a stale heartbeat means nobody runs the job.
    heartbeat_at: datetime
    finished_at: datetime | None = None
