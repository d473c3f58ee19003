from datetime import timedelta
from email.message import EmailMessage

from sqlmodel import Session, select

from rxapp.mail.transport import MailboxTransport, SmtpTransport
from rxapp.models.outbox import MailboxMessage, OutboxMessage
from rxapp.scheduler import kinds
from rxapp.scheduler.retry import RetryPolicy
from rxapp.scheduler.worker import Worker
from rxapp.services.common.outbox import cancel_messages
from rxapp.services.common.status_log import get_status_log
from tests.conftest import T0
from tests.factories import make_message


def _worker(engine, settings, clock, transport=None, **kw):
    return Worker(
        engine=engine,
        transport=transport or SmtpTransport(settings),
        settings=settings,
        clock=clock,
        **kw,
    )


def _one(engine, org, **overrides):
    with Session(engine, expire_on_commit=False) as s:
        msg = make_message(s, organization_id=org.id, now=T0, **overrides)
        s.commit()
        return msg


def _state(engine, msg_id):
    with Session(engine) as s:
        return s.get(OutboxMessage, msg_id)


async def test_r_msg_2_delivered_with_headers_and_both_parts(
    engine, org, smtp, smtp_settings, clock
):
    msg = _one(
        engine,
        org,
        kind="password_reset",
        language="de",
        recipient="ann@example.com",
        recipient_name="Ann <script>",
        context={"link": "https://beckon.example/r/abc", "minutes": 60},
    )
    worker = _worker(engine, smtp_settings, clock)
    result = await worker.run_once()
    await worker.aclose()
    assert result.sent == 1
    (received,) = smtp.handler.received
    assert received["Message-ID"] == msg.message_id
    assert received["From"].addresses[0].display_name == "Acme & Co"
    assert received["From"].addresses[0].addr_spec == "no-reply@beckon.example"
    assert received["To"].addresses[0].addr_spec == "ann@example.com"
    assert received["Subject"] == "Neues Passwort für Acme & Co"
    assert received["Date"] is not None
    assert received.get_content_type() == "multipart/alternative"
    assert "https://beckon.example/r/abc" in received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Ann &lt;script&gt;" in html and "Acme &amp; Co" in html
    row = _state(engine, msg.id)
    assert row.state == "sent" and row.sent_at == T0 and row.claim_token is None
    with Session(engine) as s:
        log = get_status_log(
            s, organization_id=org.id, entity_type="interaction", entity_id=msg.entity_id
        )
    assert [r.event for r in log] == ["scheduled", "sent"]


async def test_r_msg_3_451_then_success_is_retried_and_delivered_once(
    engine, org, smtp, smtp_settings, clock
):
    msg = _one(engine, org)
    smtp.handler.answer_next("451")
    worker = _worker(engine, smtp_settings, clock)
    assert (await worker.run_once()).retried == 1
    row = _state(engine, msg.id)
    assert row.state == "scheduled" and row.last_error.startswith("451")
    assert row.due_at == T0 + timedelta(seconds=60) == row.next_attempt_at
    assert (await worker.run_once()).claimed == 0  # not due yet
    clock.advance(timedelta(seconds=60))
    assert (await worker.run_once()).sent == 1
    await worker.aclose()
    assert smtp.handler.message_ids()[msg.message_id] == 1
    row = _state(engine, msg.id)
    assert row.state == "sent" and row.attempts == 2


async def test_r_msg_3_550_leaves_message_failed_with_reason(
    engine, org, smtp, smtp_settings, clock
):
    msg = _one(engine, org)
    smtp.handler.answer_next("550")
    worker = _worker(engine, smtp_settings, clock)
    assert (await worker.run_once()).failed == 1
    await worker.aclose()
    row = _state(engine, msg.id)
    assert row.state == "failed" and row.last_error == "550 5.1.1 Mailbox unavailable"
    with Session(engine) as s:
        log = get_status_log(
            s, organization_id=org.id, entity_type="interaction", entity_id=msg.entity_id
        )
    assert log[-1].event == "failed" and "Mailbox unavailable" in log[-1].detail
    assert smtp.handler.received == []


async def test_r_msg_3_dropped_connection_is_retried(engine, org, smtp, smtp_settings, clock):
    msg = _one(engine, org)
    smtp.handler.answer_next("drop")
    worker = _worker(engine, smtp_settings, clock)
    assert (await worker.run_once()).retried == 1
    assert "Disconnected" in _state(engine, msg.id).last_error
    clock.advance(timedelta(minutes=5))
    assert (await worker.run_once()).sent == 1
    await worker.aclose()
    assert smtp.handler.message_ids()[msg.message_id] == 1


async def test_r_msg_3_unreachable_server_is_temporary(engine, org, smtp_settings, clock):
    msg = _one(engine, org)
    settings = smtp_settings.model_copy(update={"smtp_port": 1})  # nothing listens there
    worker = _worker(engine, settings, clock)
    assert (await worker.run_once()).retried == 1
    await worker.aclose()
    assert _state(engine, msg.id).state == "scheduled"


async def test_r_msg_3_gives_up_after_max_attempts(engine, org, smtp, smtp_settings, clock):
    msg = _one(engine, org)
    smtp.handler.always = "451"
    worker = _worker(
        engine, smtp_settings, clock, retry_policy=RetryPolicy(max_attempts=3, base_seconds=1)
    )
    for _ in range(3):
        await worker.run_once()
        clock.advance(timedelta(hours=1))
    await worker.aclose()
    row = _state(engine, msg.id)
    assert row.state == "failed" and row.last_error.startswith("gave up after 3 attempts: 451")


async def test_r_msg_2_cancelled_message_is_never_sent(engine, org, smtp, smtp_settings, clock):
    msg = _one(engine, org, entity_id=99)
    with Session(engine) as s:
        assert cancel_messages(s, entity_type="interaction", entity_id=99, now=T0) == 1
        s.commit()
    worker = _worker(engine, smtp_settings, clock)
    assert (await worker.run_once()).claimed == 0
    await worker.aclose()
    assert smtp.handler.received == [] and _state(engine, msg.id).state == "cancelled"


async def test_r_msg_2_send_check_stops_message_whose_condition_became_false(
    engine, org, smtp, smtp_settings, clock, monkeypatch
):
    completed = {41}

    def reminder_still_wanted(session, message, now):
        return "interaction completed" if message.entity_id in completed else None

    monkeypatch.setitem(kinds.KINDS, "reminder", kinds.KindHooks(check=reminder_still_wanted))
    stopped = _one(engine, org, kind="reminder", template="test_message", entity_id=41)
    wanted = _one(engine, org, kind="reminder", template="test_message", entity_id=42)
    worker = _worker(engine, smtp_settings, clock)
    result = await worker.run_once()
    await worker.aclose()
    assert (result.cancelled, result.sent) == (1, 1)
    assert list(smtp.handler.message_ids()) == [wanted.message_id]
    row = _state(engine, stopped.id)
    assert row.state == "cancelled" and row.last_error == "interaction completed"


async def test_r_msg_3_partial_recipient_refusal_is_handled_per_code(smtp, smtp_settings):
    smtp.handler.refuse_rcpt = {"gone@example.com": "550 5.1.1 No such user"}
    email = EmailMessage()
    email["From"] = "a@beckon.example"
    email["To"] = "ok@example.com, gone@example.com"
    email["Subject"] = "x"
    email.set_content("hi")
    transport = SmtpTransport(smtp_settings)
    result = await transport.send(email)
    assert result.accepted and result.refused == {"gone@example.com": (550, "5.1.1 No such user")}
    smtp.handler.refuse_rcpt["ok@example.com"] = "450 4.2.1 Mailbox busy"
    result = await transport.send(email)
    await transport.aclose()
    assert result.outcome == "temporary"  # a 4xx among the refusals: worth retrying
    assert len(smtp.handler.received) == 1


async def test_r_msg_3_connections_are_reused(smtp, smtp_settings):
    transport = SmtpTransport(smtp_settings.model_copy(update={"smtp_max_connections": 1}))
    sessions = []
    orig = smtp.handler.handle_DATA

    async def spy(server, session, envelope):
        sessions.append(id(session))
        return await orig(server, session, envelope)

    smtp.handler.handle_DATA = spy
    for i in range(3):
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = "a@b.example", "c@d.example", str(i)
        email.set_content("x")
        assert (await transport.send(email)).accepted
    await transport.aclose()
    assert len(set(sessions)) == 1


async def test_r_msg_4_mailbox_transport_stores_each_message_once(
    engine, org, smtp_settings, clock
):
    msg = _one(engine, org, recipient_name="<b>Bo</b>")
    worker = _worker(engine, smtp_settings, clock, transport=MailboxTransport(engine))
    assert (await worker.run_once()).sent == 1
    # A retry after a crash (message delivered, not marked) must not store it twice.
    row = _state(engine, msg.id)
    from rxapp.mail.render import render_message

    again = await MailboxTransport(engine).send(
        render_message(row, organization_name="Acme", sender="x@y.example"), outbox=row
    )
    await worker.aclose()
    assert again.accepted
    with Session(engine) as s:
        (stored,) = s.exec(select(MailboxMessage)).all()
    assert stored.outbox_id == msg.id and stored.organization_id == org.id
    assert "&lt;b&gt;Bo&lt;/b&gt;" in stored.html_body and "<b>Bo</b>" in stored.text_body
    assert "Message-ID: " + msg.message_id in stored.raw_headers


async def test_r_msg_3_no_send_starts_when_the_lease_could_expire_mid_send(
    engine, org, smtp, smtp_settings, clock
):
    msg = _one(engine, org)
    ticks = [1000.0]  # the worker times leases with a monotonic clock; this one is ours
    worker = _worker(engine, smtp_settings, clock, monotonic=lambda: ticks[0])
    jobs, _ = await worker.claim_batch()
    ticks[0] += 58  # lease 60 s, SMTP conversation deadline 5 s: too close
    result, record = await worker._process(jobs[0])
    await worker.aclose()
    assert record is None
    assert result.released == 1 and smtp.handler.received == []
    row = _state(engine, msg.id)
    assert (row.state, row.attempts, row.claim_token) == ("scheduled", 0, None)


async def test_r_msg_2_rendered_in_a_child_process_arrives_the_same(
    engine, org, smtp, smtp_settings, clock
):
    """A dedicated scheduler renders in a child process (issue 14.6): same email, marked."""
    msg = _one(
        engine,
        org,
        kind="password_reset",
        language="fr",
        recipient="zoe@example.com",
        context={"link": "https://beckon.example/r/xyz", "minutes": 60},
    )
    worker = _worker(engine, smtp_settings, clock, render_processes=1)
    try:
        await worker.warm_up()
        result = await worker.run_once()
    finally:
        await worker.aclose()
    assert result.sent == 1
    (received,) = smtp.handler.received
    assert received["Message-ID"] == msg.message_id
    assert received["From"].addresses[0].display_name == "Acme & Co"
    assert received.get_content_type() == "multipart/alternative"
    assert "https://beckon.example/r/xyz" in received.get_body(("plain",)).get_content()
    row = _state(engine, msg.id)
    assert row.state == "sent" and row.sent_at == T0
    with Session(engine) as s:
        log = get_status_log(
            s, organization_id=org.id, entity_type="interaction", entity_id=msg.entity_id
        )
    assert [r.event for r in log] == ["scheduled", "sent"]


async def test_r_msg_2_leading_dots_and_bare_line_ends_arrive_as_written(smtp, smtp_settings):
    # The wire form is made ready for DATA where it is rendered (dots doubled, CRLF);
    # the server must get back exactly the text, with and without a held final dot.
    from email import policy
    from email.message import Message

    from rxapp.mail.transport import prepare_email

    text = ".starts with a dot\n..two dots\nplain\n.\nlast line"
    transport = SmtpTransport(smtp_settings)

    async def nothing_to_wait_for() -> None:
        return None

    for before_data in (None, nothing_to_wait_for):
        email = Message(policy=policy.compat32)
        email["From"], email["To"], email["Subject"] = "a@b.example", "c@d.example", "dots"
        email.set_payload(text)
        prepared = prepare_email(email, ["c@d.example"])  # type: ignore[arg-type]
        assert prepared.wire is not None
        result = await transport.send(prepared, before_data=before_data)
        assert result.accepted
    await transport.aclose()
    assert len(smtp.handler.received) == 2
    for received in smtp.handler.received:
        assert received.get_payload().replace("\r\n", "\n").rstrip("\n") == text
