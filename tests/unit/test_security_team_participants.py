"""Issue 13 findings in team and participants handlers, called as crafted socket messages
and uploads call them: probing other organizations' accounts (13.5), upload edge cases and
the paste limit (13.11)."""

import pytest
from sqlmodel import func, select

from rxapp import routes
from rxapp.api.upload import upload_in_flight
from rxapp.models import OutboxMessage, Participant
from rxapp.services import team
from rxapp.services.accounts.auth import resolve_session
from rxapp.states.interactions.participant_import import ParticipantImportState
from rxapp.states.team import CsvImportState, InvitationsState, JoinState
from tests.conftest import START
from tests.factories import make_org, make_user
from tests.states import csv_file, make_state, signed_in_token
from tests.unit.test_team_states import _token_of


@pytest.fixture
def world(app_db, session, frozen_clock):
    alpha, beta = make_org(session, name="Alpha"), make_org(session, name="Beta")
    admin = make_user(session, alpha, email="boss@alpha.example")
    make_user(session, alpha, role="agent", email="member@alpha.example")
    make_user(session, beta, role="agent", email="secret@beta.example")
    return {"session": session, "alpha": alpha, "admin": admin,
            "token": signed_in_token(session, admin.id, START)}


async def test_13_5_invite_check_says_nothing_about_other_organizations(world):
    state = make_state(InvitationsState, token=world["token"], path=routes.TEAM_INVITATIONS)
    state.add_addresses({"addresses": "secret@beta.example member@alpha.example new@x.example"})
    # The other organization's user is invited like a stranger; only own members show.
    assert state.chips == ["secret@beta.example", "new@x.example"]
    assert state.reported == [{"email": "member@alpha.example", "outcome": "already_member"}]
    csv_state = make_state(CsvImportState, token=world["token"], path=routes.TEAM_IMPORT)
    csv_state.set_csv_text("email,role\nsecret@beta.example,agent\nghost@x.example,agent\n")
    assert csv_state.check() is CsvImportState.run_check
    await CsvImportState.event_handlers["run_check"].fn(csv_state)
    assert csv_state.ok and csv_state.problems_count == 0
    assert [r["problems"] for r in csv_state.report] == ["", ""]


async def test_13_5_join_with_an_existing_account_says_so_to_its_owner(world):
    session = world["session"]
    principal = resolve_session(session, token=world["token"], now=START)
    result = team.invite_many(session, principal=principal, emails=["secret@beta.example"],
                              role="agent", attributes={}, now=START)[0]
    session.commit()
    assert result.outcome == team.Outcome.INVITED
    message = session.exec(
        select(OutboxMessage).where(OutboxMessage.entity_id == result.invitation_id,
                                    OutboxMessage.kind == team.KIND_INVITATION)
    ).first()
    page = make_state(JoinState, path=routes.join_path(_token_of(session, message)))
    page.load()
    await page.submit({"full_name": "Sam", "password": "long-enough-pw",
                       "confirm": "long-enough-pw"})
    assert page.status == "account_exists" and not page.done


# --- 13.11: uploads and pastes at the edges -------------------------------------------


async def _upload(state, files):
    cookie = f"{routes.SESSION_COOKIE}={state._session_token()}"
    with upload_in_flight(state.router.session.client_token, cookie):
        result = await state.receive_csv(files)
    if result is ParticipantImportState.run_import:
        await type(state).event_handlers["run_import"].fn(state)
    return result


def _participants(session, org_id):
    session.expire_all()
    return session.exec(select(func.count()).select_from(Participant)
                        .where(Participant.organization_id == org_id)).one()


HEADER = b"first_name,last_name,email,language\n"


@pytest.mark.parametrize(
    ("files", "result", "error"),
    [
        (b"", "import.empty", None),
        (b"  \n\n", "import.empty", None),
        ("files", "import.no_file", None),
        ({"name": "p.csv"}, "import.no_file", None),
        ([], "import.no_file", None),
        (HEADER + b"An\x00na,Lee,ann@example.com,en\n", "import.rejected",
         "participant.name_invalid"),
        (HEADER + b"Ann," + b"L" * 131_073 + b",ann@example.com,en\n",
         "import.rejected", "import.malformed"),
    ],
    ids=["empty", "blank", "string", "dict", "none", "nul", "huge-field"],
)
async def test_13_11_upload_edge_cases_get_a_message_and_change_nothing(
    world, files, result, error
):
    session = world["session"]
    state = make_state(ParticipantImportState, token=world["token"], path=routes.PARTICIPANTS)
    # Bytes are a file's content; anything else is sent as the `files` argument itself.
    await _upload(state, [csv_file(files)] if isinstance(files, bytes) else files)
    assert state.import_result == result
    assert [e["code"] for e in state.import_errors][:1] == ([error] if error else [])
    assert _participants(session, world["alpha"].id) == 0
    # A good file still imports: the edge cases did not leave the state stuck.
    await _upload(state, [csv_file(HEADER + b"Ann,Lee,ann@example.com,en\n")])
    assert state.import_result == "import.ok"
    assert _participants(session, world["alpha"].id) == 1


async def test_13_1_upload_handler_refuses_a_socket_call(world):
    # Called over the websocket (no upload request in flight), the handler refuses.
    state = make_state(ParticipantImportState, token=world["token"], path=routes.PARTICIPANTS)
    await state.receive_csv([csv_file(HEADER + b"Ann,Lee,ann@example.com,en\n")])
    assert state._upload_id == ""
    assert _participants(world["session"], world["alpha"].id) == 0


async def test_13_11_paste_over_the_limit_is_refused_with_a_message(world):
    state = make_state(CsvImportState, token=world["token"], path=routes.TEAM_IMPORT)
    big = "email,role\n" + "someone@example.com,agent\n" * (team.MAX_CSV_CHARS // 20)
    assert len(big) > team.MAX_CSV_CHARS
    state.set_csv_text(big)
    assert state.problem == "team.csv.too_large" and state.file_name == ""
    state.send_all()
    assert not state.ok and state.sent == ""
    # The server refuses it even when the text comes by another way than the box.
    session = world["session"]
    principal = resolve_session(session, token=world["token"], now=START)
    report = team.check_csv(session, principal=principal, text=big, now=START)
    assert report.file_problem == "team.csv.too_large"
    # Within the limit, the same box works.
    state.set_csv_text("email,role\nok@example.com,agent\n")
    assert state.check() is CsvImportState.run_check
    await CsvImportState.event_handlers["run_check"].fn(state)
    assert state.problem == "" and state.ok
