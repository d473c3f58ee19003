"""The send engine's failure modes (issue 14): bad messages, stalling servers, cancels."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from rxapp.mail.transport import SmtpTransport
from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler import marks as worker_module
from rxapp.scheduler import recorder as recorder_module
from rxapp.scheduler.worker import Worker, sweep_expired_leases
from rxapp.services.common import sending_pause
from tests.conftest import T0
from tests.factories import make_message


def _messages(engine, org, recipients, **overrides):
    with Session(engine, expire_on_commit=False) as s:
        msgs = [
            make_message(s, organization_id=org.id, now=T0, recipient=r, **overrides)
            for r in recipients
        ]
        s.commit()
        return msgs


def _rows(engine):
    with Session(engine) as s:
        return {m.recipient: m for m in s.exec(select(OutboxMessage)).all()}


async def test_a_bad_message_in_a_batch_leaves_the_others_sent(
    engine, org, smtp, smtp_settings, clock, monkeypatch
):
    recipients = [f"ok{i}@example.com" for i in range(4)] + ["bad@example.com"]
    _messages(engine, org, recipients)

    def failing_check(session, message, now):
        if message.recipient == "bad@example.com":
            # A database error: on PostgreSQL it aborts the transaction it runs in.
            session.execute(text("SELECT * FROM no_such_table"))
        return None

    # The test kind gets a send-time check (kinds without one skip the checks).
    monkeypatch.setitem(
        worker_module.kinds.KINDS,
        "test_message",
        worker_module.kinds.KindHooks(check=failing_check),
    )
    worker = Worker(engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings)
    result = await worker.run_once()
    await worker.aclose()
    assert (result.sent, result.retried) == (4, 1)
    rows = _rows(engine)
    assert {r for r, m in rows.items() if m.state == "sent"} == set(recipients[:4])
    bad = rows["bad@example.com"]
    assert bad.state == "scheduled" and "send check error" in bad.last_error
    assert sorted(smtp.handler.message_ids()) == sorted(rows[r].message_id for r in recipients[:4])


async def test_a_server_stalling_between_commands_cannot_cause_a_second_send(
    engine, org, smtp, smtp_settings
):
    # Each answer comes just inside the 4 s per-command timeout; four of them outlast the
    # 13 s lease. Without one deadline on the whole conversation the first worker would
    # still deliver after a second worker took the expired lease over and sent it too.
    (msg,) = _messages(engine, org, ["slow@example.com"], due_at=datetime.now(UTC))
    settings = smtp_settings.model_copy(
        update={"smtp_timeout_seconds": 4, "scheduler_lease_seconds": 13}
    )
    smtp.handler.stall = 3.6
    first = Worker(engine=engine, transport=SmtpTransport(settings), settings=settings)
    second = Worker(
        engine=engine,
        transport=SmtpTransport(settings),
        settings=settings,
        clock=lambda: datetime.now(UTC) + timedelta(hours=1),  # past any retry backoff
    )
    sending = asyncio.create_task(first.run_once())

    async def take_over_when_the_lease_expires() -> None:
        while not sending.done():
            if sweep_expired_leases(engine):  # database clock, as a real worker
                smtp.handler.stall = 0
                await second.run_until_idle()
                return
            await asyncio.sleep(0.2)

    await asyncio.gather(sending, take_over_when_the_lease_expires())
    smtp.handler.stall = 0
    await second.run_until_idle()  # the retry, if the first worker gave up in time
    await asyncio.gather(first.aclose(), second.aclose())
    assert smtp.handler.message_ids() == {msg.message_id: 1}
    assert _rows(engine)["slow@example.com"].state == "sent"


async def test_a_message_cancelled_while_being_sent_is_logged_as_sent(
    engine, org, smtp, smtp_settings, clock
):
    from rxapp.services.common.outbox import cancel_messages
    from rxapp.services.common.status_log import get_status_log

    (msg,) = _messages(engine, org, ["late@example.com"])
    worker = Worker(
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )
    jobs, _ = await worker.claim_batch()

    async def cancel_during_the_envelope() -> None:
        # The organizer cancels while the server is taking the message.
        with Session(engine) as s:
            cancel_messages(s, entity_type="interaction", entity_id=msg.entity_id, now=clock())
            s.commit()

    result, record = await worker._process(jobs[0], before_data=cancel_during_the_envelope)
    outcome = await record
    await worker.aclose()
    assert outcome.sent == 1 and len(smtp.handler.received) == 1
    row = _rows(engine)["late@example.com"]
    assert row.state == "sent" and "cancellation came while it was being sent" in row.last_error
    with Session(engine) as s:
        log = get_status_log(
            s, organization_id=org.id, entity_type="interaction", entity_id=msg.entity_id
        )
    assert [e.event for e in log] == ["scheduled", "cancelled", "sent"]


async def test_a_refused_sender_pauses_sending_and_it_resumes_with_nothing_lost(
    engine, org, smtp, smtp_settings, clock
):
    msgs = _messages(engine, org, [f"p{i}@example.com" for i in range(6)])
    smtp.handler.refuse_mail_from = "550 5.7.1 Relaying denied for no-reply@beckon.example"
    worker = Worker(
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )
    other = Worker(  # another process: it must see the pause too
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )
    first = await worker.run_once()
    assert first.paused >= 1 and first.sent == first.failed == 0
    with Session(engine) as s:
        pause = sending_pause.get_pause(s)
    assert pause is not None and "550 5.7.1 Relaying denied" in pause.reply
    rows = _rows(engine)
    assert {(m.state, m.attempts) for m in rows.values()} == {("scheduled", 0)}

    # Still refused: nobody sends, nothing is claimed, the alert stays.
    assert (await other.run_once()).claimed == 0 and other.paused
    assert smtp.handler.received == []

    smtp.handler.refuse_mail_from = None  # the admin fixed MAIL_FROM / the relay
    resumed = await other.run_until_idle()
    await asyncio.gather(worker.aclose(), other.aclose())
    assert resumed.sent == 6 and not other.paused
    with Session(engine) as s:
        assert sending_pause.get_pause(s) is None
    assert smtp.handler.message_ids() == {m.message_id: 1 for m in msgs}


async def test_a_slow_send_time_hook_does_not_delay_a_concurrent_page_event(
    engine, org, smtp, smtp_settings, clock, monkeypatch
):
    import time

    from rxapp.scheduler import kinds

    def slow_pdf(session, message, now):
        time.sleep(1.0)  # a big report PDF, a slow query: blocking work
        return []

    monkeypatch.setitem(kinds.KINDS, "test_message", kinds.KindHooks(attachments=slow_pdf))
    _messages(engine, org, ["pdf@example.com"])
    worker = Worker(
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )
    # Page events on the same loop (the in-app scheduler shares the app's loop), for as
    # long as the worker is busy with the message.
    sending = asyncio.create_task(worker.run_once())
    lags = []
    while not sending.done():
        t0 = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - t0 - 0.01)
    result = await sending
    await worker.aclose()
    assert result.sent == 1
    assert max(lags) < 0.3, f"the event loop stalled {max(lags):.2f} s behind a send hook"


async def test_a_failed_result_write_is_retried_and_the_message_sent_once(
    engine, org, smtp, smtp_settings, clock, monkeypatch
):
    """Recording a result fails once (the database connection dropped): written again."""
    first, second = _messages(engine, org, ["one@example.com", "two@example.com"])
    worker = Worker(
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )

    async def send_one() -> None:
        jobs, _claimed = await worker.claim_batch(limit=1)
        await worker._render_into(jobs, asyncio.Queue())
        _result, record = await worker._process(jobs[0])
        assert (await record).sent == 1

    try:
        await send_one()  # opens the connection the marks use
        if engine.dialect.name == "postgresql":
            # Drop that connection, as a database restart or a proxy would.
            with engine.connect() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        " AND query LIKE '%WITH done AS%'"
                    )
                ).scalar()
            assert killed == 1
        else:
            real, calls = recorder_module.mark_many, []

            def failing_once(*args, **kwargs):
                calls.append(1)
                if len(calls) == 1:
                    raise OperationalError("UPDATE", {}, Exception("disk I/O error"))
                return real(*args, **kwargs)

            monkeypatch.setattr(recorder_module, "mark_many", failing_once)
        await send_one()
    finally:
        await worker.aclose()
    rows = _rows(engine)
    assert rows["one@example.com"].state == rows["two@example.com"].state == "sent"
    assert sorted(smtp.handler.message_ids()) == sorted([first.message_id, second.message_id])
