"""Issue 14.8 for the attendees and purchases imports, as for participants': the job's
status lives in the database, not in a per-process set.

Each import opens a job row and closes it whatever happens; a state saved with
``importing`` on by a task that is gone is cleared by the next page load; a second
import while the user's first one runs (in this tab, another tab or another worker) is
refused with a message and writes nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from rxapp import routes
from rxapp.models import ImportJob, Organization, Purchase
from rxapp.models.meetings import Attendee
from rxapp.services.meetings import attendee_import
from rxapp.states import import_runner
from rxapp.states.meetings import attendees as attendees_module
from rxapp.states.meetings.attendees import AttendeesState
from rxapp.states.reviews import purchase_import as purchases_module
from rxapp.states.reviews.purchase_import import PurchaseImportState
from tests.conftest import START
from tests.factories import make_user
from tests.meeting_factories import make_world
from tests.states import make_state, receive_csv, run_import, signed_in_token, start_import


@dataclass
class Feature:
    """One import, as a test drives it."""

    state_cls: type
    kind: str
    path: str
    event_id: int
    org_id: int
    user_id: int
    token: str
    rows: Callable[[int, str], bytes]
    count: Callable[[], int]
    # (module, attribute) of the service call the state makes, to slow it or break it.
    service: tuple[object, str]


def _attendee_rows(n: int, prefix: str = "a") -> bytes:
    return b"first_name,last_name,email\n" + b"".join(
        f"Ann,Lee,{prefix}{i}@example.com\n".encode() for i in range(n))


def _purchase_rows(n: int, prefix: str = "a") -> bytes:
    return b"email;name;order_reference;purchased_at\n" + b"".join(
        f"{prefix}{i}@example.com;Ann;{prefix.upper()}-{i};2026-03-01\n".encode()
        for i in range(n))


@pytest.fixture(params=["attendees", "purchases"])
def feature(request, app_db, session, frozen_clock) -> Feature:
    w = make_world(session, now=START)
    org = session.get(Organization, w.org_id)
    user = make_user(session, org, role="organizer")
    session.commit()
    token = signed_in_token(session, user.id, START)

    def count(model, *where) -> int:  # noqa: ANN001
        session.expire_all()
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    if request.param == "attendees":
        before = count(Attendee, Attendee.event_id == w.event.id)
        return Feature(
            AttendeesState, "attendees", f"/events/{w.event.id}/attendees", w.event.id,
            w.org_id, user.id, token, _attendee_rows,
            lambda: count(Attendee, Attendee.event_id == w.event.id) - before,
            (attendee_import, "import_attendees_csv"))
    return Feature(
        PurchaseImportState, "purchases", routes.REVIEWS_PURCHASES, 0, w.org_id, user.id,
        token, _purchase_rows,
        lambda: count(Purchase, Purchase.organization_id == w.org_id),
        (purchases_module, "import_purchases_csv"))


def _page(f: Feature, client_token: str = "tab-token-1"):
    state = make_state(f.state_cls, token=f.token, path=f.path, client_token=client_token)
    state.load()
    return state


def _jobs(session, kind: str) -> list[ImportJob]:
    session.expire_all()
    return list(session.exec(select(ImportJob).where(ImportJob.kind == kind)
                             .order_by(ImportJob.id)).all())


def _slow(monkeypatch, f: Feature, seconds: float) -> None:
    """Make the import pause at each progress step (a big file, slowly)."""
    module, name = f.service
    real = getattr(module, name)

    def slow(session, **kwargs):  # noqa: ANN001, ANN202
        inner = kwargs.pop("progress")

        def progress(done, total):  # noqa: ANN001, ANN202
            time.sleep(seconds)
            inner(done, total)

        return real(session, progress=progress, **kwargs)

    monkeypatch.setattr(module, name, slow)


async def test_an_import_opens_a_job_row_and_closes_it(feature, session, monkeypatch):
    f = feature
    monkeypatch.setattr(import_runner, "PUBLISH_EVERY_S", 0.02)
    _slow(monkeypatch, f, 0.01)
    state = _page(f)
    task = await start_import(state, f.rows(100, "a"))
    # While it runs, the database says so: the user's job of this kind, running.
    (job,) = _jobs(session, f.kind)
    assert job.status == "running" and job.user_id == f.user_id
    assert job.organization_id == f.org_id and state.importing
    await task
    assert state.import_result == "import.ok", state.import_errors
    assert not state.importing and f.count() == 100
    (job,) = _jobs(session, f.kind)
    assert (job.status, job.result) == ("done", "done") and job.finished_at is not None
    # A failing import closes its job as failed and leaves nothing stuck.
    monkeypatch.setattr(*f.service, lambda *a, **kw: (_ for _ in ()).throw(
        RuntimeError("database gone")))
    assert await receive_csv(state, f.rows(2, "b")) is f.state_cls.run_import
    await run_import(state)
    assert state.import_result == "error.unexpected" and not state.importing
    assert [j.status for j in _jobs(session, f.kind)] == ["done", "failed"]
    assert f.count() == 100


async def test_a_stale_importing_flag_is_cleared_by_load(feature, session):
    f = feature
    # The state was saved mid-import by a worker that stopped: no job runs any more.
    tabs = (_page(f), make_state(f.state_cls, token=f.token, path=f.path))
    for prefix, state in zip(("s", "t"), tabs, strict=True):
        state.importing = True
        state.import_result = "import.ok"
        state.load()
        assert not state.importing and state.import_result == ""
        assert await receive_csv(state, f.rows(1, prefix)) is f.state_cls.run_import
        await run_import(state)
        assert state.import_result == "import.ok"
    # A job another worker runs (fresh heartbeat) shows on load, with its progress.
    job_id = import_runner.open_job(organization_id=f.org_id, user_id=f.user_id, kind=f.kind)
    import_runner.heartbeat(job_id, done=40, total=100)
    page = _page(f)
    assert page.importing and (page.import_done, page.import_total) == (40, 100)


async def test_a_second_import_while_one_runs_is_refused(feature, session, monkeypatch):
    f = feature
    monkeypatch.setattr(import_runner, "PUBLISH_EVERY_S", 0.02)
    _slow(monkeypatch, f, 0.02)
    first, second = _page(f), _page(f, client_token="tab-token-2")
    running = await start_import(first, f.rows(100, "a"))
    assert first.importing
    # The other tab (its state knows nothing of the first import) is refused.
    assert await receive_csv(second, f.rows(2, "b")) is f.state_cls.run_import
    await run_import(second)
    assert second.import_result == "import.already_running" and not second.importing
    assert second.import_message and "import." not in second.import_message
    # The same tab cannot start another one either.
    assert await receive_csv(first, f.rows(2, "c")) is None
    await running
    assert first.import_result == "import.ok" and f.count() == 100
    assert [j.status for j in _jobs(session, f.kind)] == ["done"]
    # Once it is done, the refused file goes in.
    assert await receive_csv(second, f.rows(2, "b")) is f.state_cls.run_import
    await run_import(second)
    assert second.import_result == "import.ok" and f.count() == 102


async def test_another_kinds_job_does_not_block(feature, session):
    f = feature
    import_runner.open_job(organization_id=f.org_id, user_id=f.user_id, kind="participants")
    state = _page(f)
    assert not state.importing
    assert await receive_csv(state, f.rows(1)) is f.state_cls.run_import
    await run_import(state)
    assert state.import_result == "import.ok" and f.count() == 1


def test_no_per_process_running_set_is_left():
    # The database is the one place a job's status lives (every worker reads it).
    assert not hasattr(attendees_module, "_RUNNING")
    assert not hasattr(purchases_module, "_RUNNING")
