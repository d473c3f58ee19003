"""Issue 14.8: long imports run off the state lock and keep their status in the database.

A cancelled import task (the worker stopped, the tab's task was lost) writes nothing and
never leaves the page stuck; an import that another worker runs shows its progress on a
reload and blocks a second one; a job whose heartbeat stopped does not block anything.
"""

import asyncio
import gc
import time
from datetime import timedelta

import pytest
from sqlmodel import func, select

from rxapp import routes
from rxapp.models import ImportJob, Participant
from rxapp.services.interactions import participants as participant_service
from rxapp.states import import_runner
from rxapp.states.interactions.participant_import import JOB_KIND, ParticipantImportState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import make_state, receive_csv, run_import, signed_in_token, start_import

HEADER = b"first_name,last_name,email,language\n"


@pytest.fixture
def world(app_db, session, frozen_clock):
    alpha = make_org(session, name="Alpha")
    admin = make_user(session, alpha, email="boss@alpha.example")
    return {"session": session, "alpha": alpha, "admin": admin, "clock": frozen_clock,
            "token": signed_in_token(session, admin.id, START)}


def _rows(n: int, prefix: str = "p") -> bytes:
    return HEADER + b"".join(f"Ann,Lee,{prefix}{i}@example.com,en\n".encode() for i in range(n))


def _count(session, org_id):
    session.expire_all()
    return session.exec(select(func.count()).select_from(Participant)
                        .where(Participant.organization_id == org_id)).one()


def _jobs(session):
    session.expire_all()
    return session.exec(select(ImportJob).order_by(ImportJob.id)).all()


def _slow(monkeypatch, seconds: float) -> None:
    """Make the participants import pause at each progress step (a big file, slowly)."""
    real = participant_service.import_participants_csv

    def slow(session, **kwargs):  # noqa: ANN001, ANN202
        inner = kwargs.pop("progress")

        def progress(done, total):  # noqa: ANN001, ANN202
            time.sleep(seconds)
            inner(done, total)

        return real(session, progress=progress, **kwargs)

    monkeypatch.setattr(participant_service, "import_participants_csv", slow)


def _page(world):
    return make_state(ParticipantImportState, token=world["token"], path=routes.PARTICIPANTS)


async def test_cancelled_import_writes_nothing_and_never_sticks(world, monkeypatch):
    session, org_id = world["session"], world["alpha"].id
    monkeypatch.setattr(import_runner, "PUBLISH_EVERY_S", 0.02)
    _slow(monkeypatch, 0.05)
    state = _page(world)
    task = await start_import(state, _rows(200))
    assert state.importing and 0 < state.import_done < 200
    unhandled: list[dict] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: unhandled.append(ctx))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.3)  # the import thread reaches its next step and gives up
    gc.collect()  # an unretrieved task exception is reported when the task is collected
    assert unhandled == []
    # Nothing written: the tab was told the import failed, so a retry makes no duplicates.
    assert _count(session, org_id) == 0
    assert [j.status for j in _jobs(session)] == ["failed"]
    # The reloaded page (a new state, or the old one saved with `importing` on) is free.
    for page in (_page(world), state):
        page.importing = True
        page.load()
        assert not page.importing
    monkeypatch.undo()
    assert await receive_csv(state, _rows(3, "q")) is ParticipantImportState.run_import
    await run_import(state)
    assert state.import_result == "import.ok" and _count(session, org_id) == 3


async def test_an_import_running_elsewhere_shows_on_reload_and_blocks_a_second(world):
    session, org_id = world["session"], world["alpha"].id
    # A tab opened before the import started (its state does not know about it).
    other_tab = make_state(ParticipantImportState, token=world["token"],
                           path=routes.PARTICIPANTS, client_token="tab-token-2")
    other_tab.load()
    # Another worker runs this user's import: only the database knows.
    job_id = import_runner.open_job(organization_id=org_id, user_id=world["admin"].id,
                                    kind=JOB_KIND)
    with import_runner.session_scope() as s:
        import_runner.import_jobs.beat(s, job_id=job_id, done=40, total=100, now=START)
    page = _page(world)
    page.load()
    assert page.importing and (page.import_done, page.import_total) == (40, 100)
    assert await receive_csv(other_tab, _rows(2)) is ParticipantImportState.run_import
    await run_import(other_tab)
    assert other_tab.import_result == "import.already_running"
    assert _count(session, org_id) == 0
    # That worker died: after a minute without a heartbeat the job no longer blocks.
    world["clock"].advance(timedelta(minutes=2))
    other_tab.load()
    assert not other_tab.importing
    assert await receive_csv(other_tab, _rows(2)) is ParticipantImportState.run_import
    await run_import(other_tab)
    assert other_tab.import_result == "import.ok" and _count(session, org_id) == 2
    assert [j.status for j in _jobs(session)] == ["failed", "done"]


def _size(state) -> int:
    """Bytes of the state as Reflex stores it in Redis (its pickle)."""
    return len(state._serialize())


async def test_a_5000_row_import_keeps_the_state_small(world):
    from rxapp.states.team import CsvImportState

    session, org_id = world["session"], world["alpha"].id
    page = _page(world)
    assert await receive_csv(page, _rows(5000)) is ParticipantImportState.run_import
    await run_import(page)
    assert page.import_result == "import.ok" and _count(session, org_id) == 5000
    assert _size(page) < 20_000, _size(page)
    # The same file again: 5,000 rows refused (already there), the report stays a page.
    assert await receive_csv(page, _rows(5000)) is ParticipantImportState.run_import
    await run_import(page)
    assert page.import_result == "import.rejected" and page.more_errors > 0
    assert _size(page) < 20_000, _size(page)
    # The team import: 5,000 rows, every one with a problem (an unknown role).
    team_page = make_state(CsvImportState, token=world["token"], path=routes.TEAM_IMPORT)
    team_page.load()
    team_page.set_csv_text("email,role\n" + "".join(
        f"someone{i}@example.com,wizard\n" for i in range(5000)))
    assert team_page.check() is CsvImportState.run_check
    await CsvImportState.event_handlers["run_check"].fn(team_page)
    assert team_page.rows_count == 5000 and team_page.problems_count == 5000
    assert _size(team_page) < 20_000, _size(team_page)


async def test_team_send_refuses_while_the_users_send_runs_elsewhere(world):
    from rxapp.models import TeamInvitation
    from rxapp.states.team import CsvImportState

    session = world["session"]
    team_page = make_state(CsvImportState, token=world["token"], path=routes.TEAM_IMPORT)
    team_page.load()
    team_page.set_csv_text("email,role\nnew@example.com,agent\n")
    # Checking is a background task: the handler itself only asks for it.
    assert team_page.check() is CsvImportState.run_check and not team_page.ok
    await CsvImportState.event_handlers["run_check"].fn(team_page)
    assert team_page.ok
    import_runner.open_job(organization_id=world["alpha"].id, user_id=world["admin"].id,
                           kind="team")
    assert team_page.send_all() is CsvImportState.run_send
    await CsvImportState.event_handlers["run_send"].fn(team_page)
    assert team_page.problem == "import.already_running" and not team_page.importing
    session.expire_all()
    assert session.exec(select(TeamInvitation)).all() == []
    # A reload shows the running send instead of an idle form.
    team_page.load()
    assert team_page.importing


async def test_stepper_send_left_on_by_a_lost_task_does_not_block_after_reload(world):
    from rxapp.models import TeamInvitation
    from rxapp.states.team import InvitationsState

    session = world["session"]
    tab = make_state(InvitationsState, token=world["token"], path=routes.TEAM_INVITATIONS)
    # The state was saved mid-send by a worker that stopped: `sending` stayed on.
    tab.sending = True
    tab.chips = ["late@example.com"]
    tab.load()
    assert not tab.sending
    tab.chips = ["late@example.com"]
    assert tab.send() is InvitationsState.run_send
    async for _ in InvitationsState.event_handlers["run_send"].fn(tab):
        break  # the list refresh that follows is not needed here
    assert not tab.sending and tab.result
    session.expire_all()
    assert [i.email for i in session.exec(select(TeamInvitation)).all()] == ["late@example.com"]
    assert [j.status for j in _jobs(session)] == ["done"]
