"""SMTP in steps: the envelope, the message, then the final dot only when the caller says.

``aiosmtplib.SMTP.sendmail`` does everything in one call; the worker needs to hold the
final dot until the previous message's result is committed (the duplicate bound).
"""

import contextlib
import functools
from collections.abc import Awaitable, Callable

import aiosmtplib
from aiosmtplib.email import quote_address
from aiosmtplib.protocol import PERIOD_REGEX, normalize_message_line_endings
from aiosmtplib.typing import SMTPStatus


class NotSent(Exception):
    """The caller's ``before_data`` step failed: the envelope was reset, nothing was sent."""


def data_form(message: bytes) -> bytes:
    """A flattened message as the DATA command sends it: CRLF line ends, leading dots doubled.

    Done where the message is rendered (a worker thread or a render process), so the
    event loop that holds the SMTP conversations only writes bytes.
    """
    return PERIOD_REGEX.sub(b"..", normalize_message_line_endings(message))


async def data_held_before_final_dot(
    client: aiosmtplib.SMTP, body: bytes, before_data: Callable[[], Awaitable[None]] | None
) -> aiosmtplib.SMTPResponse:
    """DATA, the message (in :func:`data_form`), then ``before_data``, then the final dot.

    A server accepts a message at the final dot, so everything before it can overlap
    the caller's wait (the previous message's commit) without a second message being
    delivered-but-unrecorded. If the wait fails, the connection is dropped before the
    dot and the server discards the unfinished message.

    Uses aiosmtplib's protocol object (the version is pinned), as ``data()`` does.
    """
    protocol = client.protocol
    if protocol is None:
        raise aiosmtplib.SMTPServerDisconnected("Connection lost")
    async with protocol._command_lock:  # noqa: SLF001
        protocol._response_pending = True  # noqa: SLF001
        protocol.write(b"DATA\r\n")
        start = await protocol.read_response(timeout=client.timeout)
        if start.code != SMTPStatus.start_input:
            raise aiosmtplib.SMTPDataError(start.code, start.message)
        protocol._response_pending = True  # noqa: SLF001
        protocol.write(body)
        if before_data is not None:
            try:
                await before_data()
            except Exception as exc:
                client.close()
                raise NotSent(f"{type(exc).__name__}: {exc}") from exc
        protocol.write(b".\r\n")
        response = await protocol.read_response(timeout=client.timeout)
    if response.code != SMTPStatus.completed:
        raise aiosmtplib.SMTPDataError(response.code, response.message)
    return response


async def send_in_steps(
    client: aiosmtplib.SMTP,
    sender: str,
    recipients: list[str],
    body: bytes,
    before_data: Callable[[], Awaitable[None]] | None,
) -> tuple[dict[str, aiosmtplib.SMTPResponse], str]:
    """``sendmail`` that holds the final dot until ``before_data`` is done (see ``send``).

    ``body`` is already in :func:`data_form`.
    """
    if client.is_ehlo_or_helo_needed:
        await client.ehlo()
    try:
        # As ``client.mail(sender)``, with the sender quoted once per process instead of
        # parsed again for every message (it is the same address every time).
        reply = await client.execute_command(b"MAIL", _mail_from(sender))
        if reply.code != SMTPStatus.completed:
            raise aiosmtplib.SMTPSenderRefused(reply.code, reply.message, sender)
        refused: list[aiosmtplib.SMTPRecipientRefused] = []
        for address in recipients:
            try:
                await client.rcpt(address)
            except aiosmtplib.SMTPRecipientRefused as exc:
                refused.append(exc)
        if len(refused) == len(recipients):
            raise aiosmtplib.SMTPRecipientsRefused(refused)
        response = await data_held_before_final_dot(client, body, before_data)
    except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused):
        # Reset the envelope, as sendmail does, so the connection can be reused.
        with contextlib.suppress(ConnectionError, aiosmtplib.SMTPResponseException):
            await client.rset()
        raise
    errors = {e.recipient: aiosmtplib.SMTPResponse(e.code, e.message) for e in refused}
    return errors, response.message


@functools.lru_cache(maxsize=64)
def _mail_from(sender: str) -> bytes:
    """The MAIL command's argument for ``sender``, as ``aiosmtplib.SMTP.mail`` writes it."""
    return b"FROM:" + quote_address(sender).encode("ascii")
