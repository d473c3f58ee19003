"""The purchases import handlers, called as uploads and crafted socket messages call them
(issue 11 point 1 on the shared pipeline): only the uploader's own upload request starts
an import, the mapping step, progress and report, nothing stuck after a failure."""

import pytest
from sqlmodel import func, select

from rxapp import routes
from rxapp.api.upload import upload_in_flight
from rxapp.models import ImportJob, Purchase
from rxapp.services.common import upload_store
from rxapp.states.reviews.purchase_import import PurchaseImportState
from rxapp.states.reviews.purchases import PurchasesState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import csv_file, make_state, receive_csv, run_import, signed_in_token

GOOD = "email;name;order_reference;purchased_at\nann@example.com;Ann;S-1;2026-03-01\n"


@pytest.fixture
def world(app_db, session, frozen_clock):
    alpha = make_org(session, name="Alpha")
    admin = make_user(session, alpha)
    agent = make_user(session, alpha, role="agent")
    other = make_user(session, alpha, role="organizer")
    session.commit()
    return {"session": session, "alpha": alpha,
            "admin": signed_in_token(session, admin.id, START),
            "agent": signed_in_token(session, agent.id, START),
            "other": signed_in_token(session, other.id, START)}


async def _upload(state, data: bytes):
    result = await receive_csv(state, data)
    if result is PurchaseImportState.run_import:
        return await run_import(state)
    return result


def _purchases(world):
    world["session"].expire_all()
    return world["session"].exec(select(func.count()).select_from(Purchase)).one()


def _jobs(world):
    world["session"].expire_all()
    return world["session"].exec(select(ImportJob).order_by(ImportJob.id)).all()


def _state(world, who):
    return make_state(PurchaseImportState, token=world[who], path=routes.REVIEWS_PURCHASES)


async def test_upload_imports_and_reports_with_the_list_reloaded(world):
    state = _state(world, "admin")
    result = await _upload(state, GOOD.encode())
    assert state.import_result == "import.ok", state.import_message
    assert "1" in state.import_message and not state.importing
    assert result is PurchasesState.reload_list
    assert "semicolons" in state.read_as or "Semikolon" in state.read_as
    assert _purchases(world) == 1
    assert upload_store.load(state._upload_id) == b""  # the bytes are gone after use


async def test_socket_call_or_agent_cannot_start_an_import(world):
    # Over the websocket, without an upload request in flight: refused.
    state = _state(world, "admin")
    await state.receive_csv([csv_file(GOOD.encode())])
    assert state._upload_id == ""
    # An agent's upload is refused too.
    agent = _state(world, "agent")
    await _upload(agent, GOOD.encode())
    assert agent._upload_id == ""
    assert _purchases(world) == 0


async def test_another_users_socket_cannot_run_a_kept_upload(world):
    owner = _state(world, "admin")
    cookie = f"{routes.SESSION_COOKIE}={owner._session_token()}"
    with upload_in_flight(owner.router.session.client_token, cookie):
        await owner.receive_csv([csv_file(GOOD.encode())])
    thief = _state(world, "other")
    thief._upload_id, thief._upload_user_id = owner._upload_id, owner._upload_user_id
    await run_import(thief)
    assert thief.import_result == "" and _purchases(world) == 0
    await run_import(owner)
    assert owner.import_result == "import.ok" and _purchases(world) == 1


async def test_mapping_step_then_import_with_the_chosen_columns(world):
    state = _state(world, "admin")
    await _upload(state, b"Kontakt,Ref,Wann\nann@example.com,M-1,2026-03-01\n")
    assert state.map_open and state.import_result == "import.needs_mapping"
    assert [r["column"] for r in state.map_rows] == ["Kontakt", "Ref", "Wann"]
    assert upload_store.load(state._upload_id)  # kept for the mapping step
    state.set_mapping("0", "email")
    state.set_mapping("1", "order_reference")
    state.set_mapping("2", "password_hash")  # not a field: ignored
    assert state.apply_mapping() is PurchaseImportState.run_import
    await run_import(state)
    assert state.map_open and state.map_missing  # the moment is still missing
    state.set_mapping("2", "purchased_at")
    await run_import(state)
    assert state.import_result == "import.ok" and not state.map_open
    assert _purchases(world) == 1


async def test_a_bad_file_writes_nothing_and_lists_lines(world):
    state = _state(world, "admin")
    await _upload(state, (GOOD + "bad;X;S-2;2026-03-01\nbob@example.com;B;S-3;never\n").encode())
    assert state.import_result == "import.rejected" and not state.importing
    assert [(e["line"], e["field"]) for e in state.import_errors] == [
        ("3", "email"), ("4", "purchased_at")]
    assert _purchases(world) == 0


async def test_a_failing_import_leaves_nothing_stuck(world, monkeypatch):
    import rxapp.states.reviews.purchase_import as module

    def boom(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(module, "import_purchases_csv", boom)
    state = _state(world, "admin")
    await _upload(state, GOOD.encode())
    assert state.import_result == "error.unexpected" and not state.importing
    assert [j.status for j in _jobs(world)] == ["failed"]
