"""The send engine's failure modes (issue 14): bad messages, stalling servers, cancels."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from rxapp.mail.transport import SmtpTransport
from rxapp.models.outbox import OutboxMessage, StatusEvent
from rxapp.scheduler import worker as worker_module
from rxapp.scheduler.worker import Worker, sweep_expired_leases
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
    real_check = worker_module.check_still_wanted

    def failing_check(session, message, now):
        if message.recipient == "bad@example.com":
            # A database error: on PostgreSQL it aborts the transaction it runs in.
            session.execute(text("SELECT * FROM no_such_table"))
        return real_check(session, message, now)

    monkeypatch.setattr(worker_module, "check_still_wanted", failing_check)
    worker = Worker(engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings)
    result = await worker.run_once()
    await worker.aclose()
    assert (result.sent, result.retried) == (4, 1)
    rows = _rows(engine)
    assert {r for r, m in rows.items() if m.state == "sent"} == set(recipients[:4])
    bad = rows["bad@example.com"]
    assert bad.state == "scheduled" and "send check error" in bad.last_error
    assert sorted(smtp.handler.message_ids()) == sorted(
        rows[r].message_id for r in recipients[:4]
    )
