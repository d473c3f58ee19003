"""Interactions: creation rules, reminders moved through time, answers and results.

R-INT-3, R-INT-4, R-INT-6, R-INT-8, R-INT-9, R-INT-10, R-PLUS-7.
"""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.models.participants import Interaction, InteractionState
from rxapp.scheduler.kinds import check as check_still_wanted
from rxapp.scheduler.kinds import send_time_parts
from rxapp.services.common.errors import DomainError, NotAllowed
from rxapp.services.interactions import (
    KIND_INVITATION,
    KIND_REMINDER,
    KIND_REPORT,
    REASON_MAX_REACHED,
    REASON_NONE_LEFT,
    REASON_UNFINISHED,
    can_create_interaction,
    complete_interaction,
    create_interaction,
    delete_interaction,
    find_interaction_by_token,
    hash_token,
    list_interactions,
    progress,
    record_answer,
    remaining_interactions,
    scores_of,
    set_reminders,
)
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire, questions_of
from tests.conftest import T0
from tests.factories import make_organization, make_participant

DAY = timedelta(days=1)


@pytest.fixture
def setup(engine):
    """An organization in UTC with 10 bought interactions, max 3 each, and one participant."""
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(
            s,
            timezone="UTC",
            interactions_bought=10,
            max_interactions_per_participant=3,
            reports_included=True,
        )
        participant = make_participant(s, organization_id=org.id, now=T0, language="de")
        s.commit()
        return org, participant


def _messages(s, interaction_id, kind=None):
    stmt = select(OutboxMessage).where(
        OutboxMessage.entity_type == "interaction", OutboxMessage.entity_id == interaction_id
    )
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return s.exec(stmt.order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))).all()


def _deliver_due(s, now):
    """Play the scheduler at ``now``: run the send checks, then mark sent or cancelled."""
    delivered = []
    due = s.exec(
        select(OutboxMessage).where(
            OutboxMessage.state == MessageState.SCHEDULED.value, OutboxMessage.due_at <= now
        )
    ).all()
    for message in due:
        reason = check_still_wanted(s, message, now)
        message.state = MessageState.CANCELLED.value if reason else MessageState.SENT.value
        message.sent_at = None if reason else now
        s.add(message)
        if not reason:
            delivered.append(message.kind)
    s.flush()
    return delivered


def _answer_all(s, org, interaction_id, value=4):
    interaction = s.get(Interaction, interaction_id)
    for q in questions_of(s, questionnaire_id=interaction.questionnaire_id):
        record_answer(
            s,
            organization_id=org.id,
            interaction_id=interaction_id,
            question_id=q.id,
            value=value,
            now=T0,
        )


def test_r_int_6_reminders_weekly_from_day_7_to_49_never_an_eighth(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        s.commit()
        reminders = _messages(s, created.interaction_id, KIND_REMINDER)
        assert [m.due_at - T0 for m in reminders] == [7 * k * DAY for k in range(1, 8)]
        assert all(m.language == "de" for m in reminders)
        # The link is rebuilt at send time; the queued rows never hold it.
        assert all("link" not in m.context for m in reminders)
        assert {_sent_link(s, m) for m in reminders} == {created.link}
        sent = []
        now = T0
        for _ in range(80):  # move the clock day by day, well past day 49
            sent += _deliver_due(s, now)
            now += DAY
        assert sent == [KIND_INVITATION] + [KIND_REMINDER] * 7
        # Turning reminders off and on again after the last one schedules nothing more.
        set_reminders(
            s, organization_id=org.id, interaction_id=created.interaction_id, on=False, now=now
        )
        assert (
            set_reminders(
                s, organization_id=org.id, interaction_id=created.interaction_id, on=True, now=now
            )
            == 0
        )
        assert len(_messages(s, created.interaction_id, KIND_REMINDER)) == 7


def test_r_int_6_reminders_follow_local_wall_time_across_dst(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        s.get(type(org), org.id).timezone = "Europe/Stockholm"
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        dues = [m.due_at for m in _messages(s, created.interaction_id, KIND_REMINDER)]
        # T0 is 10:00 in Stockholm (CET); after 29 March it is CEST, one hour earlier in UTC.
        assert dues[0] - T0 == 7 * DAY and dues[-1] - T0 == 49 * DAY - timedelta(hours=1)


def test_r_int_6_no_reminder_after_completion(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        assert _deliver_due(s, T0 + 7 * DAY) == [KIND_INVITATION, KIND_REMINDER]
        _answer_all(s, org, created.interaction_id)
        complete_interaction(
            s, organization_id=org.id, interaction_id=created.interaction_id, now=T0 + 10 * DAY
        )
        s.commit()
        later = _deliver_due(s, T0 + 100 * DAY)
        assert later == [KIND_REPORT]
        states = [m.state for m in _messages(s, created.interaction_id, KIND_REMINDER)]
        assert states == ["sent"] + ["cancelled"] * 6
        with pytest.raises(DomainError) as exc:
            set_reminders(
                s, organization_id=org.id, interaction_id=created.interaction_id, on=True, now=T0
            )
        assert exc.value.code == "interaction.already_completed"


def test_r_int_6_send_check_stops_a_reminder_even_if_still_queued(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        # A change that bypassed the services: the scheduler's last-moment check still holds.
        s.get(Interaction, created.interaction_id).reminders_on = False
        s.flush()
        assert _deliver_due(s, T0 + 7 * DAY) == [KIND_INVITATION]


def test_r_int_10_deleting_cancels_everything_and_the_link_stops_working(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        assert find_interaction_by_token(s, token=created.token) is not None
        assert remaining_interactions(s, organization_id=org.id) == 9
        delete_interaction(
            s, organization_id=org.id, interaction_id=created.interaction_id, now=T0 + 8 * DAY
        )
        s.commit()
        assert find_interaction_by_token(s, token=created.token) is None
        assert remaining_interactions(s, organization_id=org.id) == 10  # given back
        assert _deliver_due(s, T0 + 100 * DAY) == []
        assert {m.state for m in _messages(s, created.interaction_id)} == {"cancelled"}
        with pytest.raises(DomainError):
            record_answer(
                s,
                organization_id=org.id,
                interaction_id=created.interaction_id,
                question_id=1,
                value=3,
                now=T0,
            )


def test_r_int_6_toggle_off_cancels_and_on_schedules_the_remaining(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        iid = created.interaction_id
        assert _deliver_due(s, T0 + 7 * DAY) == [KIND_INVITATION, KIND_REMINDER]
        cancelled = set_reminders(s, organization_id=org.id, interaction_id=iid, on=False, now=T0)
        assert cancelled == 6
        assert _deliver_due(s, T0 + 20 * DAY) == []
        scheduled = set_reminders(
            s, organization_id=org.id, interaction_id=iid, on=True, now=T0 + 20 * DAY
        )
        assert scheduled == 5  # days 21, 28, 35, 42, 49; days 7 (sent) and 14 (past) are not
        s.commit()
        queued = [m for m in _messages(s, iid, KIND_REMINDER) if m.state == "scheduled"]
        assert [m.due_at - T0 for m in queued] == [d * DAY for d in (21, 28, 35, 42, 49)]
        assert _deliver_due(s, T0 + 100 * DAY) == [KIND_REMINDER] * 5
        sent = [m for m in _messages(s, iid, KIND_REMINDER) if m.state == "sent"]
        assert len(sent) == 6  # 1 + 5: off for a while means fewer, never more than 7


def test_r_int_5_defaults_and_options(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        o = s.get(type(org), org.id)
        o.reports_included = False
        o.reminders_default = False
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, auto_invite=False
        )
        interaction = s.get(Interaction, created.interaction_id)
        assert not interaction.reminders_on and not interaction.send_report
        assert _messages(s, created.interaction_id) == []  # inviting by hand: no email


def test_r_int_3_eligibility_unfinished_max_and_bought(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        assert can_create_interaction(
            s, organization_id=org.id, participant_id=participant.id
        ).allowed
        first = create_interaction(s, organization_id=org.id, participant_id=participant.id, now=T0)
        verdict = can_create_interaction(s, organization_id=org.id, participant_id=participant.id)
        assert (verdict.allowed, verdict.reason) == (False, REASON_UNFINISHED)
        # The server refuses the same case whatever the client shows (R-INT-4).
        with pytest.raises(DomainError) as exc:
            create_interaction(s, organization_id=org.id, participant_id=participant.id, now=T0)
        assert exc.value.code == REASON_UNFINISHED
        _answer_all(s, org, first.interaction_id)
        complete_interaction(s, organization_id=org.id, interaction_id=first.interaction_id, now=T0)
        for _ in range(2):
            nxt = create_interaction(
                s, organization_id=org.id, participant_id=participant.id, now=T0
            )
            _answer_all(s, org, nxt.interaction_id)
            complete_interaction(
                s, organization_id=org.id, interaction_id=nxt.interaction_id, now=T0
            )
        verdict = can_create_interaction(s, organization_id=org.id, participant_id=participant.id)
        assert verdict.reason == REASON_MAX_REACHED
        with pytest.raises(DomainError) as exc:
            create_interaction(s, organization_id=org.id, participant_id=participant.id, now=T0)
        assert exc.value.code == REASON_MAX_REACHED
        # The per-participant override unlocks more.
        s.get(type(participant), participant.id).max_interactions_override = 5
        s.flush()
        assert can_create_interaction(
            s, organization_id=org.id, participant_id=participant.id
        ).allowed
        assert remaining_interactions(s, organization_id=org.id) == 7
        s.get(type(org), org.id).interactions_bought = 3
        s.flush()
        verdict = can_create_interaction(s, organization_id=org.id, participant_id=participant.id)
        assert verdict.reason == REASON_NONE_LEFT
        assert remaining_interactions(s, organization_id=org.id) == 0


def test_r_int_3_deleted_unfinished_interaction_gives_its_unit_back(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        s.get(type(org), org.id).interactions_bought = 1
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0
        )
        other = make_participant(s, organization_id=org.id, now=T0)
        verdict = can_create_interaction(s, organization_id=org.id, participant_id=other.id)
        assert verdict.reason == REASON_NONE_LEFT
        delete_interaction(s, organization_id=org.id, interaction_id=created.interaction_id, now=T0)
        assert can_create_interaction(s, organization_id=org.id, participant_id=other.id).allowed
        # The deleted one does not block its participant either.
        assert can_create_interaction(
            s, organization_id=org.id, participant_id=participant.id
        ).allowed


def test_r_int_8_answers_saved_as_given_resume_and_progress(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0
        )
        iid = created.interaction_id
        questions = questions_of(s, questionnaire_id=s.get(Interaction, iid).questionnaire_id)
        assert len(questions) == 12
        first_question = questions[0].id
        for q in questions[:5]:
            record_answer(
                s, organization_id=org.id, interaction_id=iid, question_id=q.id, value=2, now=T0
            )
        s.commit()
    with Session(engine) as s:  # the tab was closed; the link is opened again
        interaction = find_interaction_by_token(s, token=created.token)
        assert interaction.state == InteractionState.IN_PROGRESS.value
        p = progress(s, organization_id=org.id, interaction_id=interaction.id)
        assert str(p) == "5 of 12" and p.next_position == 6
        # Changing an answer replaces it; the count stays.
        p = record_answer(
            s,
            organization_id=org.id,
            interaction_id=iid,
            question_id=first_question,
            value=5,
            now=T0,
        )
        assert str(p) == "5 of 12"
        for bad in (0, 6, True):
            with pytest.raises(DomainError):
                record_answer(
                    s,
                    organization_id=org.id,
                    interaction_id=iid,
                    question_id=first_question,
                    value=bad,
                    now=T0,
                )
        with pytest.raises(DomainError) as exc:
            complete_interaction(s, organization_id=org.id, interaction_id=iid, now=T0)
        assert exc.value.code == "interaction.unanswered_questions"


def test_r_int_9_completion_computes_scores_per_dimension(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0
        )
        iid = created.interaction_id
        questions = questions_of(s, questionnaire_id=s.get(Interaction, iid).questionnaire_id)
        values = {"clarity": [5, 4, 5, 4], "collaboration": [1, 2, 3, 4], "growth": [3, 3, 3, 3]}
        for q in questions:
            record_answer(
                s,
                organization_id=org.id,
                interaction_id=iid,
                question_id=q.id,
                value=values[q.dimension].pop(),
                now=T0,
            )
        scores = complete_interaction(s, organization_id=org.id, interaction_id=iid, now=T0)
        s.commit()
        assert scores == {"clarity": 4.5, "collaboration": 2.5, "growth": 3.0}
        assert scores_of(s, organization_id=org.id, interaction_id=iid) == scores
        report = _messages(s, iid, KIND_REPORT)
        assert len(report) == 1 and report[0].context["scores"] == scores


def test_r_int_3_other_organization_ids_are_refused(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0
        )
        intruder = make_organization(s, interactions_bought=5)
        iid = created.interaction_id
        calls = [
            lambda: can_create_interaction(
                s, organization_id=intruder.id, participant_id=participant.id
            ),
            lambda: create_interaction(
                s, organization_id=intruder.id, participant_id=participant.id, now=T0
            ),
            lambda: set_reminders(
                s, organization_id=intruder.id, interaction_id=iid, on=False, now=T0
            ),
            lambda: delete_interaction(s, organization_id=intruder.id, interaction_id=iid, now=T0),
            lambda: record_answer(
                s, organization_id=intruder.id, interaction_id=iid, question_id=1, value=3, now=T0
            ),
            lambda: progress(s, organization_id=intruder.id, interaction_id=iid),
            lambda: complete_interaction(
                s, organization_id=intruder.id, interaction_id=iid, now=T0
            ),
            lambda: scores_of(s, organization_id=intruder.id, interaction_id=iid),
        ]
        for call in calls:
            with pytest.raises(NotAllowed):
                call()
        assert s.get(Interaction, iid).state == InteractionState.INVITED.value


def test_r_int_8_token_is_random_and_stored_hashed(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0
        )
        s.commit()
        interaction = s.get(Interaction, created.interaction_id)
        assert len(created.token) >= 43  # 32 random bytes, URL-safe base64
        assert interaction.token_hash == hash_token(created.token) != created.token
        row = s.exec(select(Interaction.token_hash)).all()
        assert created.token not in row
        assert created.link.endswith("/i/" + created.token)
        assert find_interaction_by_token(s, token=created.token[:-1] + "x") is None


def test_default_questionnaire_is_loaded_once_in_four_languages(engine):
    with Session(engine) as s:
        first = ensure_default_questionnaire(s)
        second = ensure_default_questionnaire(s)
        assert first.id == second.id
        questions = questions_of(s, questionnaire_id=first.id)
        assert len(questions) == 12
        assert {q.dimension for q in questions} == {"clarity", "collaboration", "growth"}
        assert all(set(q.texts) == {"en", "de", "fr", "sv"} for q in questions)


def test_r_plus_7_queued_reminders_say_how_far_the_participant_got(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=True
        )
        iid = created.interaction_id
        reminders = _messages(s, iid, KIND_REMINDER)
        assert {(m.context["answered"], m.context["total"]) for m in reminders} == {(0, 12)}
        questions = questions_of(s, questionnaire_id=s.get(Interaction, iid).questionnaire_id)
        for q in questions[:3]:
            record_answer(
                s, organization_id=org.id, interaction_id=iid, question_id=q.id, value=3, now=T0
            )
        s.commit()
    with Session(engine) as s:
        # The worker reads the progress when each reminder goes out (the kind's context).
        reminders = _messages(s, iid, KIND_REMINDER)
        sent = [send_time_parts(s, m, T0)[0] for m in reminders]
        assert {(c["answered"], c["total"]) for c in sent} == {(3, 12)}
        assert all(c["link"].endswith(created.link.rsplit("/", 1)[-1]) for c in sent)


def test_r_int_2_list_interactions_newest_first_without_tokens(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        first = create_interaction(s, organization_id=org.id, participant_id=participant.id, now=T0)
        delete_interaction(s, organization_id=org.id, interaction_id=first.interaction_id, now=T0)
        second = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0 + DAY
        )
        rows = list_interactions(s, organization_id=org.id, participant_id=participant.id)
        assert [(r.id, r.state) for r in rows] == [
            (second.interaction_id, "invited"),
            (first.interaction_id, "deleted"),
        ]
        assert not hasattr(rows[0], "token_hash")
        intruder = make_organization(s)
        with pytest.raises(NotAllowed):
            list_interactions(s, organization_id=intruder.id, participant_id=participant.id)


def _sent_link(session, message):
    """The link the email will carry: what the render-time hook rebuilds for it."""
    from rxapp.models.participants import Interaction
    from rxapp.services.interactions import link_of

    return link_of(session.get(Interaction, message.entity_id))


def test_r_int_6_reminders_turned_on_later_reuse_the_invitation_link(engine, setup):
    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, reminders_on=False
        )
        iid = created.interaction_id
        assert _messages(s, iid, KIND_REMINDER) == []
        assert set_reminders(s, organization_id=org.id, interaction_id=iid, on=True, now=T0) == 7
        assert {_sent_link(s, m) for m in _messages(s, iid, KIND_REMINDER)} == {created.link}
        # Invited by hand, no email ever carried the link: it is rebuilt from the secret.
        other = make_participant(s, organization_id=org.id, now=T0)
        by_hand = create_interaction(
            s, organization_id=org.id, participant_id=other.id, now=T0, auto_invite=False
        )
        set_reminders(
            s, organization_id=org.id, interaction_id=by_hand.interaction_id, on=True, now=T0
        )
        links = {_sent_link(s, m) for m in _messages(s, by_hand.interaction_id, KIND_REMINDER)}
        assert links == {by_hand.link}


def test_r_int_7_link_rebuilt_from_secret_and_salt_not_from_database(engine, setup):
    from rxapp.models.participants import Interaction
    from rxapp.services.interactions import find_interaction_by_token, link_of

    org, participant = setup
    with Session(engine) as s:
        created = create_interaction(
            s, organization_id=org.id, participant_id=participant.id, now=T0, auto_invite=False
        )
        row = s.get(Interaction, created.interaction_id)
        assert link_of(row) == created.link
        assert created.token not in (row.token_hash, row.link_salt)
        assert find_interaction_by_token(s, token=created.token).id == row.id
