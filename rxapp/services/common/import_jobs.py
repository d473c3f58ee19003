"""Import jobs in the database: start, heartbeat, finish, and what a page load sees.

Every app worker (and every reload) reads the same row, so a job survives the loss of
the tab's state and a dead job never blocks the next import: its heartbeat goes stale
and :func:`current` finishes it as failed.
"""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from rxapp.models.import_jobs import ImportJob, ImportStatus

# Progress is written at least every few seconds while a job runs; after this long
# without a heartbeat nobody runs it any more (the process died or the task was lost).
STALE_AFTER = timedelta(seconds=60)
KINDS = ("participants", "attendees", "purchases", "team", "team_invite")


def current(session: Session, *, user_id: int, kind: str, now: datetime) -> ImportJob | None:
    """Return the user's running job of ``kind``, finishing a stale one as failed first."""
    job = session.exec(
        select(ImportJob).where(ImportJob.user_id == user_id, ImportJob.kind == kind,
                                ImportJob.status == ImportStatus.RUNNING.value)
        .order_by(ImportJob.id.desc())  # type: ignore[union-attr]
    ).first()
    if job is None:
        return None
    if _aware(job.heartbeat_at) < now - STALE_AFTER:
        _close(session, job, status=ImportStatus.FAILED, result="error.unexpected", now=now)
        return None
    return job


def start(session: Session, *, organization_id: int, user_id: int, kind: str,
          now: datetime) -> int | None:
    """Open a running job and return its id; None while another one of ``kind`` runs."""
    if kind not in KINDS:
        raise ValueError(kind)
    if current(session, user_id=user_id, kind=kind, now=now) is not None:
        return None
    job = ImportJob(organization_id=organization_id, user_id=user_id, kind=kind,
                    started_at=now, heartbeat_at=now)
    session.add(job)
    session.commit()
    assert job.id is not None
    return job.id


def beat(session: Session, *, job_id: int, done: int, total: int, now: datetime) -> None:
    """Record progress (and that the job is alive)."""
    job = session.get(ImportJob, job_id)
    if job is None or job.status != ImportStatus.RUNNING.value:
        return
    job.done, job.total, job.heartbeat_at = done, total, now
    session.add(job)
    session.commit()


def finish(session: Session, *, job_id: int, ok: bool, result: str, now: datetime) -> None:
    """Close the job (done or failed); closing twice keeps the first outcome."""
    job = session.get(ImportJob, job_id)
    if job is None or job.status != ImportStatus.RUNNING.value:
        return
    _close(session, job, status=ImportStatus.DONE if ok else ImportStatus.FAILED,
           result=result, now=now)


def _close(session: Session, job: ImportJob, *, status: ImportStatus, result: str,
           now: datetime) -> None:
    job.status, job.result, job.finished_at = status.value, result[:64], now
    session.add(job)
    session.commit()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every moment we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
