from datetime import timedelta

from sqlmodel import Session

from rxapp.mail.transport import SendOutcome, SendResult
from rxapp.models.outbox import MessageState, OutboxMessage
from rxapp.scheduler.claims import claim_due, database_now, sweep_expired_leases
from rxapp.scheduler.worker import Worker
from tests.conftest import T0
from tests.factories import make_message


def _schedule(engine, org, n, due=T0):
    with Session(engine) as s:
        ids = [make_message(s, organization_id=org.id, now=T0, due_at=due).id for _ in range(n)]
        s.commit()
    return ids


def test_r_msg_2_claim_takes_only_due_messages_once(engine, org):
    due = _schedule(engine, org, 3)
    _schedule(engine, org, 2, due=T0 + timedelta(hours=1))
    first = claim_due(engine, now=T0, limit=2, lease_seconds=60, lease_from=T0)
    second = claim_due(engine, now=T0, limit=10, lease_seconds=60, lease_from=T0)
    assert len(first) == 2 and len(second) == 1
    assert {m.id for m in first + second} == set(due)
    assert all(m.state == "sending" and m.attempts == 1 for m in first + second)
    assert first[0].claim_token != second[0].claim_token
    assert claim_due(engine, now=T0, limit=10, lease_seconds=60, lease_from=T0) == []


def test_r_msg_3_expired_leases_are_swept_back(engine, org):
    _schedule(engine, org, 1)
    claim_due(engine, now=T0, limit=10, lease_seconds=60, lease_from=T0)
    assert sweep_expired_leases(engine, now=T0 + timedelta(seconds=59)) == 0
    assert sweep_expired_leases(engine, now=T0 + timedelta(seconds=61)) == 1
    again = claim_due(engine, now=T0 + timedelta(seconds=61), limit=10, lease_seconds=60)
    assert len(again) == 1 and again[0].attempts == 2


def test_r_msg_3_fencing_a_worker_that_lost_its_lease_cannot_mark(engine, org, smtp_settings):
    (msg_id,) = _schedule(engine, org, 1)
    worker = Worker(engine=engine, transport=None, settings=smtp_settings)  # type: ignore[arg-type]
    try:
        (slow,) = claim_due(engine, now=T0, limit=1, lease_seconds=60, lease_from=T0)
        later = T0 + timedelta(seconds=61)
        sweep_expired_leases(engine, now=later)
        (fast,) = claim_due(engine, now=later, limit=1, lease_seconds=60, lease_from=later)
        accepted = SendResult(SendOutcome.ACCEPTED, "250 ok", 250)
        lost = worker._mark(slow, accepted, later)
        assert lost.lost == 1 and lost.sent == 0
        with Session(engine) as s:
            row = s.get(OutboxMessage, msg_id)
            assert row.state == MessageState.SENDING and row.claim_token == fast.claim_token
        assert worker._mark(fast, accepted, later).sent == 1
        # The slow worker cannot fail or retry it either.
        failed = SendResult(SendOutcome.PERMANENT, "550", 550)
        assert worker._mark(slow, failed, later).lost == 1
        with Session(engine) as s:
            assert s.get(OutboxMessage, msg_id).state == MessageState.SENT
    finally:
        worker._db.shutdown()


def test_leases_are_stamped_and_swept_by_the_database_clock(engine, org):
    # The business clock says March; a host clock could say anything. The lease follows
    # the database, so every host sweeps it at the same moment.
    _schedule(engine, org, 1)
    with engine.connect() as conn:
        before = database_now(conn)
    (msg,) = claim_due(engine, now=T0, limit=1, lease_seconds=60)
    with Session(engine) as s:
        lease_until = s.get(OutboxMessage, msg.id).lease_until
    assert before + timedelta(seconds=59) < lease_until < before + timedelta(seconds=70)
    assert sweep_expired_leases(engine) == 0
    assert sweep_expired_leases(engine, now=lease_until + timedelta(seconds=1)) == 1
