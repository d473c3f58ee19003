"""Deliver rendered emails: SMTP through aiosmtplib, or the built-in mailbox (R-MSG-3/4).

Only the scheduler calls these. ``send`` never raises for delivery problems: it returns
a :class:`SendResult` saying whether the server accepted the message, refused it for now
(retry) or refused it for good.
"""

import asyncio
import contextlib
import functools
import io
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import Compat32
from email.utils import getaddresses, parseaddr
from typing import Protocol

import aiosmtplib
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from rxapp.clock import now as clock_now
from rxapp.mail.outcomes import (
    SendOutcome,
    SendResult,
    classify_code,
    classify_exception,
    classify_partial,
)
from rxapp.mail.smtp_steps import NotSent, data_form, send_in_steps
from rxapp.models.mailbox_files import MailboxAttachment
from rxapp.models.outbox import MailboxMessage, OutboxMessage
from rxapp.settings import Settings

__all__ = [
    "MailboxTransport",
    "SendOutcome",
    "SendResult",
    "SmtpTransport",
    "Transport",
    "classify_code",
    "classify_exception",
    "classify_partial",
    "get_transport",
]

logger = logging.getLogger(__name__)

# A pooled connection idle longer than this is probed with NOOP before use: servers drop
# idle clients, and a send on a dead socket would cost the message a retry delay.
IDLE_PROBE_SECONDS = 10.0


class Transport(Protocol):
    """Anything that can deliver an email."""

    max_connections: int

    async def send(
        self,
        email: "EmailMessage | PreparedEmail",
        *,
        outbox: OutboxMessage | None = None,
        timeout: float | None = None,
        before_data: Callable[[], Awaitable[None]] | None = None,
    ) -> SendResult:
        """Deliver one email within ``timeout`` seconds; never raises for delivery problems.

        ``before_data`` is awaited once the envelope is accepted, before the message
        itself goes out; if it raises, nothing is sent.
        """
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


@dataclass(frozen=True)
class PreparedEmail:
    """An email flattened ahead of its conversation (in a worker thread, off the loop).

    Attributes:
        email: The email itself (the mailbox transport stores its parts); None when it
            was rendered in another process, which sends back only the wire form.
        wire: ``(sender, recipients, bytes)`` as SMTP sends it (the bytes in the DATA
            command's form: CRLF line ends, leading dots doubled), or None for emails
            that only aiosmtplib's own flattening handles.

    """

    email: EmailMessage | None
    wire: tuple[str, list[str], bytes] | None


def prepare_email(email: EmailMessage, recipients: list[str] | None = None) -> PreparedEmail:
    """Flatten an email for SMTP now, so the send itself only writes bytes.

    Args:
        email: The rendered email.
        recipients: Envelope recipients (default: from the To/Cc headers).

    """
    return PreparedEmail(email, _wire_form(email, recipients))


def _recipients_of(email: EmailMessage) -> list[str]:
    fields = email.get_all("To", []) + email.get_all("Cc", []) + email.get_all("Bcc", [])
    return [addr for _name, addr in getaddresses([str(f) for f in fields]) if addr]


@functools.lru_cache(maxsize=16)
def _address_of(header_value: str) -> str:
    return parseaddr(header_value)[1]


def _wire_form(
    email: EmailMessage, recipients: list[str] | None = None
) -> tuple[str, list[str], bytes] | None:
    """Flatten an email whose headers are stored pre-encoded, without re-parsing them.

    aiosmtplib flattens every EmailMessage with the SMTP policy, which parses and refolds
    each header again; for our rendered emails (compat32 storage, ASCII headers, base64 or
    7bit bodies) a compat32 generator gives the same bytes for a fraction of the cost.
    Other emails return None and go through ``send_message``.
    """
    if not isinstance(email.policy, Compat32) or email["Bcc"] is not None:
        return None
    buffer = io.BytesIO()
    BytesGenerator(buffer, policy=email.policy).flatten(email)
    # The From header is the same for every email of a sender: parse it once.
    sender = _address_of(str(email["From"]))
    return sender, recipients or _recipients_of(email), data_form(buffer.getvalue())


def header_text(value: object) -> str:
    """Decode a header value that may hold RFC 2047 encoded words."""
    if value is None:
        return ""
    return str(make_header(decode_header(str(value))))


def _flatten(email: EmailMessage, recipients: list[str]) -> tuple[str, list[str], bytes]:
    sender = parseaddr(str(email["Sender"] or email["From"]))[1]
    return sender, recipients, data_form(email.as_bytes(policy=email.policy.clone(linesep="\r\n")))


class _PooledConnection:
    def __init__(self, client: aiosmtplib.SMTP) -> None:
        self.client = client
        self.last_used = 0.0


class SmtpTransport:
    """SMTP delivery with a small pool of reused connections.

    At most ``settings.smtp_max_connections`` connections are open and busy at a time;
    callers beyond that wait for a free one.

    Args:
        settings: SMTP host, port, TLS mode, credentials, timeout and pool size.

    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.max_connections = max(1, settings.smtp_max_connections)
        self._idle: list[_PooledConnection] = []
        self._slots = asyncio.Semaphore(self.max_connections)
        self._closed = False

    def _new_client(self) -> aiosmtplib.SMTP:
        s = self._settings
        return aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_user or None,
            password=s.smtp_password or None,
            use_tls=s.smtp_tls,
            # Explicit: STARTTLS when asked, never an opportunistic upgrade we did not ask for.
            start_tls=bool(s.smtp_starttls) and not s.smtp_tls,
            timeout=s.smtp_timeout_seconds,
        )

    async def _checkout(self) -> _PooledConnection:
        while self._idle:
            conn = self._idle.pop()
            if not conn.client.is_connected:
                continue
            if time.monotonic() - conn.last_used > IDLE_PROBE_SECONDS:
                try:
                    await conn.client.noop()
                except (aiosmtplib.SMTPException, OSError, TimeoutError):
                    await self._discard(conn)
                    continue
            return conn
        conn = _PooledConnection(self._new_client())
        await conn.client.connect()
        return conn

    async def _discard(self, conn: _PooledConnection) -> None:
        with contextlib.suppress(Exception):
            conn.client.close()

    def _release(self, conn: _PooledConnection) -> None:
        if self._closed or not conn.client.is_connected:
            with contextlib.suppress(Exception):
                conn.client.close()
            return
        conn.last_used = time.monotonic()
        self._idle.append(conn)

    async def send(
        self,
        email: "EmailMessage | PreparedEmail",
        *,
        outbox: OutboxMessage | None = None,
        timeout: float | None = None,
        before_data: Callable[[], Awaitable[None]] | None = None,
    ) -> SendResult:
        """Send one email over a pooled connection and classify the answer.

        Args:
            email: The rendered email.
            outbox: The outbox row (its recipient is the envelope's).
            timeout: Deadline in seconds for the whole conversation: waiting for a
                connection, connect, TLS, AUTH, MAIL, RCPT and DATA together. aiosmtplib's
                own timeout is per command; a server that stalls just under it between
                commands could otherwise outlast the worker's lease.
            before_data: Awaited after MAIL and RCPT were accepted and before DATA, so
                the envelope overlaps the caller's work (the worker commits the previous
                message's result there). If it raises, the envelope is reset unsent.

        Returns:
            Accepted, temporary (retry), permanent (failed, with the server's reply) or
            sender refused (pause sending).

        """
        conn: _PooledConnection | None = None
        slot = False
        try:
            async with asyncio.timeout(timeout):
                await self._slots.acquire()
                slot = True
                conn = await self._checkout()
                # The outbox row names its one recipient: no need to parse headers again.
                if isinstance(email, PreparedEmail):
                    wire, email = email.wire, email.email
                    recipients = wire[1] if wire else _recipients_of(email)
                else:
                    # The outbox row names its one recipient: no need to parse headers.
                    recipients = [outbox.recipient] if outbox is not None else _recipients_of(email)
                    wire = _wire_form(email, recipients)
                if wire is None and before_data is None:
                    errors, reply = await conn.client.send_message(email)
                else:
                    if wire is None:
                        wire = _flatten(email, recipients)
                    errors, reply = await send_in_steps(conn.client, *wire, before_data)
        except Exception as exc:
            if isinstance(exc, NotSent):
                result = SendResult(SendOutcome.TEMPORARY, f"not sent: {exc}")
            elif isinstance(exc, TimeoutError) and not isinstance(exc, aiosmtplib.SMTPException):
                result = SendResult(
                    SendOutcome.TEMPORARY,
                    f"SMTP conversation took longer than {timeout:g} s; abandoned",
                )
            else:
                result = classify_exception(exc)
            if conn is not None:
                # After a reply error the envelope was reset: the connection is fine.
                if isinstance(exc, aiosmtplib.SMTPResponseException | NotSent) and not isinstance(
                    exc, aiosmtplib.SMTPServerDisconnected
                ):
                    self._release(conn)
                else:
                    await self._discard(conn)
            logger.info(
                "smtp send not accepted",
                extra={"outcome": result.outcome.value, "detail": result.detail},
            )
            return result
        finally:
            if slot:
                self._slots.release()
        self._release(conn)
        return classify_partial(recipients, errors, reply)

    async def probe_sender(self, sender: str, *, timeout: float | None = None) -> SendResult:
        """Ask the server whether it takes ``sender`` (MAIL FROM, then RSET): nothing is sent.

        Used while sending is paused because the sender was refused.

        Args:
            sender: The envelope sender address.
            timeout: Deadline for the whole probe.

        Returns:
            Accepted when MAIL FROM got 2xx, else the classified refusal or failure.

        """
        client = self._new_client()
        try:
            async with asyncio.timeout(timeout):
                await client.connect()
                reply = await client.mail(sender)
                await client.rset()
                with contextlib.suppress(Exception):
                    await client.quit()
        except Exception as exc:
            return classify_exception(exc)
        finally:
            with contextlib.suppress(Exception):
                client.close()
        return SendResult(SendOutcome.ACCEPTED, f"{reply.code} {reply.message}", reply.code)

    async def aclose(self) -> None:
        """Say goodbye to the server on every idle connection."""
        self._closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(Exception):
                await conn.client.quit()
            with contextlib.suppress(Exception):
                conn.client.close()


class MailboxTransport:
    """The built-in mailbox: each email becomes a row shown on an admin page (R-MSG-4).

    Args:
        engine: Database engine; each email is stored in its own short transaction.

    """

    max_connections = 4

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _store(self, email: EmailMessage, outbox: OutboxMessage | None) -> SendResult:
        text_part = email.get_body(preferencelist=("plain",))
        html_part = email.get_body(preferencelist=("html",))
        headers = "\n".join(f"{k}: {header_text(v)}" for k, v in email.items())
        row = MailboxMessage(
            outbox_id=outbox.id if outbox else None,
            organization_id=outbox.organization_id if outbox else None,
            recipient=", ".join(_recipients_of(email)),
            subject=header_text(email.get("Subject")),
            text_body=text_part.get_content() if text_part is not None else "",
            html_body=html_part.get_content() if html_part is not None else "",
            raw_headers=headers,
            received_at=clock_now(),
        )
        files = [
            (part.get_filename() or f"attachment-{n + 1}", part.get_content_type(),
             part.get_payload(decode=True) or b"")
            for n, part in enumerate(email.iter_attachments())
        ]
        try:
            with Session(self._engine) as session:
                session.add(row)
                session.flush()
                for position, (filename, mime, content) in enumerate(files):
                    session.add(MailboxAttachment(
                        mailbox_id=row.id, position=position, filename=filename[:255],
                        mime=mime[:127], size=len(content), content=content))
                session.commit()
        except IntegrityError:
            # Already delivered by an earlier attempt whose worker died before marking.
            return SendResult(SendOutcome.ACCEPTED, "already in mailbox", 250)
        return SendResult(SendOutcome.ACCEPTED, "stored in mailbox", 250)

    async def send(
        self,
        email: "EmailMessage | PreparedEmail",
        *,
        outbox: OutboxMessage | None = None,
        timeout: float | None = None,
        before_data: Callable[[], Awaitable[None]] | None = None,
    ) -> SendResult:
        """Store the email in the mailbox table.

        Args:
            email: The rendered email.
            outbox: The outbox row, linked so a retry does not store it twice.
            timeout: Unused: a local insert has no conversation to bound.
            before_data: Awaited before storing; if it raises, nothing is stored.

        Returns:
            Accepted (or temporary if the database is unavailable).

        """
        if isinstance(email, PreparedEmail):
            email = email.email
        if before_data is not None:
            try:
                await before_data()
            except Exception as exc:
                return SendResult(SendOutcome.TEMPORARY, f"not sent: {type(exc).__name__}: {exc}")
        try:
            return await asyncio.to_thread(self._store, email, outbox)
        except Exception as exc:  # the database hiccuped: try again later
            return SendResult(SendOutcome.TEMPORARY, f"mailbox: {type(exc).__name__}: {exc}")

    async def aclose(self) -> None:
        """Nothing to release."""


def get_transport(settings: Settings, *, engine: Engine | None = None) -> Transport:
    """Pick the transport: SMTP when ``settings.smtp_host`` is set, else the mailbox.

    Args:
        settings: App settings.
        engine: Engine for the mailbox (default: the configured database).

    """
    if settings.smtp_host:
        return SmtpTransport(settings)
    if engine is None:
        from rxapp.db import get_engine

        engine = get_engine(settings.database_url)
    return MailboxTransport(engine)
