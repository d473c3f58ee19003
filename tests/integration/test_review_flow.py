"""Review invitations end to end below the browser: purchases in, the real worker sends to a
real SMTP server, time moves (seed review-invitation-timing.sv, R-REV-1..6, R-PLUS-8)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from rxapp.mail.transport import SmtpTransport
from rxapp.models.outbox import OutboxMessage
from rxapp.models.reviews import Review, ReviewInvitation, ReviewSettings
from rxapp.scheduler import kinds
from rxapp.scheduler.worker import Worker
from rxapp.services.common.outbox import list_messages_for, schedule_message
from rxapp.services.common.status_log import get_status_log
from rxapp.services.common.unsubscribe import (
    check_contact_rules,
    read_unsubscribe_token,
    set_contact_policy,
    unsubscribe,
)
from rxapp.services.reviews import mail as review_mail
from rxapp.services.reviews.purchases import PurchaseInput, record_purchases
from rxapp.services.reviews.reviewing import open_review_page, submit_review
from rxapp.services.reviews.rules import save_rules
from tests.conftest import T0

# T0 is Mon 2 Mar 2026 09:00 UTC; with the defaults the invitation is due Mon 9 Mar 09:00.
DUE = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


@pytest.fixture
def env(app_db, engine, org, smtp, smtp_settings, clock):
    worker = Worker(
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )
    return worker


def _rules(engine, org, now=T0, **values):
    with Session(engine) as s:
        saved = save_rules(s, organization_id=org.id, values=values, now=now)
        s.commit()
        return saved.cancelled_reminders


def _buy(engine, org, ref, *, at=None, email="ann@example.com", products=(), now=None, **kw):
    with Session(engine, expire_on_commit=False) as s:
        (outcome,) = record_purchases(
            s,
            organization_id=org.id,
            items=[
                PurchaseInput(
                    email=email,
                    name="Ann Andersson",
                    order_reference=ref,
                    occurred_at=at or T0,
                    products=tuple(products),
                    **kw,
                )
            ],
            source="api",
            now=now or at or T0,
        )
        s.commit()
        return outcome


def _invitations(engine, org):
    with Session(engine) as s:
        return s.exec(
            select(ReviewInvitation)
            .where(ReviewInvitation.organization_id == org.id)
            .order_by(ReviewInvitation.id)
        ).all()


def _token_of(received) -> str:
    text = received.get_body(("plain",)).get_content()
    return text.split("/r/")[1].split()[0]


async def _run(worker, clock, when):
    clock.set(when)
    result = await worker.run_once()
    return result


async def test_r_rev_1_default_7_days_and_list_unsubscribe_headers(env, engine, org, smtp, clock):
    outcome = _buy(engine, org, "A-1")
    assert outcome.created and outcome.first_due_at == DUE
    assert (await _run(env, clock, DUE - timedelta(minutes=1))).sent == 0
    assert (await _run(env, clock, DUE)).sent == 1
    await env.aclose()
    (mail,) = smtp.handler.received
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert "/api/unsubscribe/" in url
    assert read_unsubscribe_token(url.rsplit("/", 1)[1]) == (org.id, "ann@example.com", "reviews")
    assert url in mail.get_body(("html",)).get_content()  # the visible link too
    assert "/r/" in mail.get_body(("plain",)).get_content()
    (inv,) = _invitations(engine, org)
    assert inv.state == "sent" and inv.sent_at == DUE


async def test_repeat_order_reference_changes_nothing(env, engine, org):
    first = _buy(engine, org, "A-1")
    again = _buy(engine, org, "A-1", email="other@example.com")
    assert first.created and not again.created and again.purchase_id == first.purchase_id
    assert len(_invitations(engine, org)) == 1


async def test_r_rev_2_product_together_is_one_email_listing_products(
    env, engine, org, smtp, clock
):
    _buy(engine, org, "A-1", products=[("SKU-1", "Red kettle"), ("SKU-2", "Blue mug")])
    assert (await _run(env, clock, DUE)).sent == 1
    await env.aclose()
    (mail,) = smtp.handler.received
    assert "Red kettle" in mail.get_body(("plain",)).get_content()
    (inv,) = _invitations(engine, org)
    assert inv.kind == "combined"


async def test_r_rev_2_product_separate_is_a_second_email_later(env, engine, org, smtp, clock):
    _rules(engine, org, product_mode="separate", product_delay=1, product_unit="weeks")
    _buy(engine, org, "A-1", products=[("SKU-1", "Red kettle")])
    assert (await _run(env, clock, DUE)).sent == 1
    assert (await _run(env, clock, DUE + timedelta(days=6))).sent == 0
    assert (await _run(env, clock, DUE + timedelta(days=7))).sent == 1
    await env.aclose()
    service, product = smtp.handler.received
    assert "Red kettle" not in service.get_body(("plain",)).get_content()
    assert "Red kettle" in product.get_body(("plain",)).get_content()
    assert [i.kind for i in _invitations(engine, org)] == ["service", "product"]


async def test_r_rev_3_fixed_utc_hour_decides_the_moment(env, engine, org, smtp, clock):
    _rules(engine, org, send_hour_utc=18)
    assert _buy(engine, org, "A-1").first_due_at == DUE.replace(hour=18)


async def test_r_rev_3_optimized_hour_uses_answers_of_this_organization(env, engine, org, clock):
    _rules(engine, org, time_mode="optimize", send_hour_utc=9)
    # Thin history: the fallback hour.
    assert _buy(engine, org, "A-0").first_due_at.hour == 9
    for n in range(25):
        _buy(engine, org, f"H-{n}", email=f"c{n}@example.com", at=T0 - timedelta(days=60))
    with Session(engine) as s:
        for inv in s.exec(select(ReviewInvitation)).all():
            inv.opened_at = (T0 - timedelta(days=40)).replace(hour=20)
            s.add(inv)
        s.commit()
    assert _buy(engine, org, "A-1", email="new@example.com").first_due_at == DUE.replace(hour=20)


async def test_r_rev_4_cap_at_day_n_minus_1_and_day_n(env, engine, org):
    _rules(engine, org, frequency_mode="every_n_days", frequency_days=30)
    assert not _buy(engine, org, "A-1").capped
    day29 = T0 + timedelta(days=29)
    assert _buy(engine, org, "A-2", at=day29).capped
    assert not _buy(engine, org, "A-3", at=T0 + timedelta(days=30)).capped
    # Another customer is not held back by Ann's invitations.
    assert not _buy(engine, org, "B-1", at=day29, email="bob@example.com").capped
    states = [i.state for i in _invitations(engine, org)]
    assert states == ["scheduled", "capped", "scheduled", "scheduled"]


async def test_r_rev_4_default_cap_is_3_years(env, engine, org):
    assert not _buy(engine, org, "A-1").capped
    assert _buy(engine, org, "A-2", at=datetime(2029, 3, 1, 9, tzinfo=UTC)).capped
    assert not _buy(engine, org, "A-3", at=datetime(2029, 3, 2, 9, tzinfo=UTC)).capped


async def test_r_rev_4_cap_checked_again_at_send_time(env, engine, org, smtp, clock):
    _rules(engine, org, frequency_mode="every_purchase")
    _buy(engine, org, "A-1")
    _buy(engine, org, "A-2", at=T0 + timedelta(days=1))
    _rules(engine, org, frequency_mode="every_n_days", frequency_days=30)
    assert (await _run(env, clock, DUE)).sent == 1
    result = await _run(env, clock, DUE + timedelta(days=1))
    await env.aclose()
    assert result.cancelled == 1 and len(smtp.handler.received) == 1
    assert [i.state for i in _invitations(engine, org)] == ["sent", "capped"]


def _reminder(engine, org):
    with Session(engine) as s:
        return s.exec(
            select(OutboxMessage).where(
                OutboxMessage.organization_id == org.id, OutboxMessage.kind == "review_reminder"
            )
        ).all()


REMINDER_DUE = DUE + timedelta(days=7)


async def test_r_rev_6_all_three_criteria_met_the_reminder_is_sent(env, engine, org, smtp, clock):
    _rules(engine, org, reminders_enabled=True, reminder_delay=1, reminder_unit="weeks")
    _buy(engine, org, "A-1")
    await _run(env, clock, DUE)
    assert (await _run(env, clock, REMINDER_DUE)).sent == 1
    await env.aclose()
    assert len(smtp.handler.received) == 2
    assert "reminder" in smtp.handler.received[1]["Subject"].lower()


async def test_r_rev_6_criterion_1_reminders_off_when_the_invitation_was_created(
    env, engine, org, smtp, clock
):
    _buy(engine, org, "A-1")  # reminders off (the default)
    _rules(engine, org, reminders_enabled=True, reminder_delay=1, reminder_unit="weeks")
    await _run(env, clock, DUE)
    await _run(env, clock, REMINDER_DUE + timedelta(days=30))
    await env.aclose()
    assert len(smtp.handler.received) == 1 and _reminder(engine, org) == []


async def test_r_rev_6_criterion_2_reminders_off_when_the_invitation_was_sent(
    env, engine, org, smtp, clock
):
    _rules(engine, org, reminders_enabled=True, reminder_delay=1, reminder_unit="weeks")
    _buy(engine, org, "A-1")
    # Reminders off at the moment the invitation goes out, without the cancelling UPDATE
    # (as if the reminder had escaped it): only criterion 2 fails.
    with Session(engine) as s:
        rules = s.exec(select(ReviewSettings)).one()
        rules.reminders_enabled = False
        s.add(rules)
        s.commit()
    await _run(env, clock, DUE)
    with Session(engine) as s:
        rules = s.exec(select(ReviewSettings)).one()
        rules.reminders_enabled = True
        s.add(rules)
        s.commit()
    result = await _run(env, clock, REMINDER_DUE)
    await env.aclose()
    assert result.cancelled == 1 and len(smtp.handler.received) == 1
    (reminder,) = _reminder(engine, org)
    assert reminder.last_error == "reminders were off when the invitation was sent"
    (inv,) = _invitations(engine, org)
    assert inv.reminders_on_at_creation is True and inv.reminders_on_at_send is False


async def test_r_rev_6_criterion_3_reviewed_through_the_link(env, engine, org, smtp, clock):
    _rules(engine, org, reminders_enabled=True, reminder_delay=1, reminder_unit="weeks")
    _buy(engine, org, "A-1")
    await _run(env, clock, DUE)
    token = _token_of(smtp.handler.received[0])
    with Session(engine) as s:
        assert open_review_page(s, token=token, now=DUE + timedelta(hours=2)) is not None
        submit_review(
            s, token=token, ratings={"service": (5, "Great")}, now=DUE + timedelta(hours=2)
        )
        s.commit()
    (reminder,) = _reminder(engine, org)
    assert reminder.state == "cancelled" and reminder.last_error == "already reviewed"
    # The send check refuses too, should a reminder still be queued.
    with Session(engine) as s:
        assert review_mail.check_reminder(s, reminder, REMINDER_DUE) == "already reviewed"
    assert (await _run(env, clock, REMINDER_DUE)).sent == 0
    await env.aclose()
    assert len(smtp.handler.received) == 1


async def test_r_rev_6_turning_reminders_off_cancels_queued_ones_and_none_is_sent(
    env, engine, org, smtp, clock
):
    _rules(engine, org, reminders_enabled=True, reminder_delay=3)
    for n in range(3):
        _buy(engine, org, f"A-{n}", email=f"c{n}@example.com")
    assert (await _run(env, clock, DUE)).sent == 3
    assert _rules(engine, org, now=DUE, reminders_enabled=False) == 3
    assert all(r.state == "cancelled" for r in _reminder(engine, org))
    assert (await _run(env, clock, DUE + timedelta(days=30))).sent == 0
    await env.aclose()
    assert len(smtp.handler.received) == 3
    with Session(engine) as s:
        inv = _invitations(engine, org)[0]
        rows = list_messages_for(
            s, organization_id=org.id, entity_type="review_invitation", entity_id=inv.id
        )
    # What the invitation's status log shows: the invitation sent, its reminder cancelled.
    assert [(r.kind, r.state, r.last_error) for r in rows] == [
        ("review_invitation", "sent", ""),
        ("review_reminder", "cancelled", "reminders turned off"),
    ]


@pytest.fixture
def meeting_kind(monkeypatch):
    """A kind of another feature whose table entry lists the shared contact check."""
    monkeypatch.setitem(kinds.KINDS, "meeting_request", kinds.KindHooks(check=check_contact_rules))


async def test_r_plus_8_unsubscribed_person_gets_nothing_more_of_any_kind(
    meeting_kind,
    env, engine, org, smtp, clock
):
    _buy(engine, org, "A-1")
    with Session(engine) as s:
        unsubscribe(s, organization_id=org.id, email="Ann@Example.com", scope="all", now=T0)
        schedule_message(
            s, organization_id=org.id, recipient="ann@example.com", kind="meeting_request",
            template="test_message",
            language="en", context={"link": "x"}, due_at=T0, idempotency_key="t1", now=T0,
        )
        schedule_message(
            s, organization_id=org.id, recipient="ann@example.com", kind="password_reset",
            language="en", context={"link": "https://x/r", "minutes": 60}, due_at=DUE,
            idempotency_key="p1", now=T0,
        )
        s.commit()
    result = await _run(env, clock, DUE)
    await env.aclose()
    # The review invitation and the meeting request are cancelled; the reset still goes.
    assert result.cancelled == 2 and result.sent == 1
    assert smtp.handler.received[0]["To"].addresses[0].addr_spec == "ann@example.com"
    (inv,) = _invitations(engine, org)
    assert inv.state == "cancelled" and inv.skip_reason == "unsubscribed"
    with Session(engine) as s:
        log = get_status_log(
            s, organization_id=org.id, entity_type="review_invitation", entity_id=inv.id
        )
    assert log[-1].event == "cancelled" and log[-1].detail == "unsubscribed"


async def test_r_plus_8_contact_cap_across_kinds_exempts_transactional(
    meeting_kind,
    env, engine, org, smtp, clock
):
    with Session(engine) as s:
        set_contact_policy(s, organization_id=org.id, max_emails=1, per_days=30)
        s.commit()
    _buy(engine, org, "A-1")
    assert (await _run(env, clock, DUE)).sent == 1
    with Session(engine) as s:
        schedule_message(
            s, organization_id=org.id, recipient="ann@example.com", kind="meeting_request",
            template="test_message",
            language="en", context={"link": "x"}, due_at=DUE, idempotency_key="t1", now=DUE,
        )
        schedule_message(
            s, organization_id=org.id, recipient="ann@example.com", kind="password_reset",
            language="en", context={"link": "https://x/r", "minutes": 60}, due_at=DUE,
            idempotency_key="p1", now=DUE,
        )
        s.commit()
    result = await _run(env, clock, DUE + timedelta(minutes=1))
    await env.aclose()
    assert result.sent == 1 and result.cancelled == 1
    with Session(engine) as s:
        team = s.exec(select(OutboxMessage).where(OutboxMessage.kind == "meeting_request")).one()
    assert team.last_error == "contact frequency cap"


async def test_r_plus_8_interaction_invitations_carry_the_link_and_honour_it(
    env, engine, org, smtp, clock
):
    from rxapp.services.interactions import create_interaction
    from rxapp.services.interactions.questionnaires import ensure_default_questionnaire
    from tests.factories import make_participant

    with Session(engine, expire_on_commit=False) as s:
        s.get(type(org), org.id).interactions_bought = 5
        ensure_default_questionnaire(s)
        eva = make_participant(s, organization_id=org.id, now=T0, email="eva@example.com")
        ulf = make_participant(s, organization_id=org.id, now=T0, email="ulf@example.com")
        s.commit()
        for person in (eva, ulf):
            create_interaction(s, organization_id=org.id, participant_id=person.id, now=T0)
        unsubscribe(s, organization_id=org.id, email="ulf@example.com", scope="interactions",
                    now=T0)
        s.commit()
    result = await _run(env, clock, T0)
    await env.aclose()
    assert result.sent == 1 and result.cancelled == 1
    (mail,) = smtp.handler.received
    assert mail["To"].addresses[0].addr_spec == "eva@example.com"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert read_unsubscribe_token(url.rsplit("/", 1)[1])[2] == "interactions"
    assert url in mail.get_body(("html",)).get_content()


async def test_r_rev_1_calendar_months_31_jan_plus_1_month_through_the_worker(
    env, engine, org, smtp, clock
):
    _rules(engine, org, service_delay=1, service_unit="months")
    jan31 = datetime(2027, 1, 31, 15, 0, tzinfo=UTC)
    assert _buy(engine, org, "M-1", at=jan31).first_due_at == datetime(2027, 2, 28, 9, tzinfo=UTC)
    assert (await _run(env, clock, datetime(2027, 2, 28, 8, 59, tzinfo=UTC))).sent == 0
    assert (await _run(env, clock, datetime(2027, 2, 28, 9, 0, tzinfo=UTC))).sent == 1
    await env.aclose()


async def test_r_rev_1_weeks_through_the_worker(env, engine, org, smtp, clock):
    _rules(engine, org, service_delay=2, service_unit="weeks")
    assert _buy(engine, org, "W-1").first_due_at == DUE + timedelta(weeks=1)
    assert (await _run(env, clock, DUE)).sent == 0
    assert (await _run(env, clock, DUE + timedelta(weeks=1))).sent == 1
    await env.aclose()


def test_r_rev_7_one_review_per_link_edit_window_and_product_only_links(engine, org, clock):
    from rxapp.services.common.errors import DomainError
    from rxapp.services.common.tokens import derive_token
    from rxapp.services.reviews.reviewing import EDIT_WINDOW
    from rxapp.services.reviews.rules import TOKEN_PURPOSE

    _rules(engine, org, product_mode="separate", product_delay=2)
    _buy(engine, org, "P-1", products=[("SKU-1", "Kettle")])
    service, product = _invitations(engine, org)
    with Session(engine) as s:
        token = derive_token(TOKEN_PURPOSE, product.link_salt)
        page = open_review_page(s, token=token, now=DUE)
        assert [x.key for x in page.subjects] == ["SKU-1"]  # products only
        with pytest.raises(DomainError) as empty:
            submit_review(s, token=token, ratings={}, now=DUE)
        assert empty.value.field == "SKU-1"
        with pytest.raises(DomainError):
            submit_review(s, token=token, ratings={"service": (5, "")}, now=DUE)
        with pytest.raises(DomainError):
            submit_review(s, token=token, ratings={"SKU-1": (6, "")}, now=DUE)
        submit_review(s, token=token, ratings={"SKU-1": (4, "ok")}, now=DUE)
        # Changed within the window: still one review, marked edited.
        submit_review(s, token=token, ratings={"SKU-1": (5, "great")}, now=DUE + EDIT_WINDOW / 2)
        with pytest.raises(DomainError) as closed:
            submit_review(s, token=token, ratings={"SKU-1": (1, "")}, now=DUE + EDIT_WINDOW)
        assert closed.value.code == "review.edit_closed"
        s.commit()
        reviews = s.exec(select(Review)).all()
        assert [(r.subject, r.stars, r.text, r.edited_at is not None) for r in reviews] == [
            ("SKU-1", 5, "great", True)
        ]
        # The service link asks about the service only.
        page = open_review_page(
            s, token=derive_token(TOKEN_PURPOSE, service.link_salt), now=DUE
        )
        assert [x.key for x in page.subjects] == ["service"]
