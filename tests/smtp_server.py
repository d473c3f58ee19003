"""A real SMTP server on loopback (aiosmtpd) whose answers tests can script."""

import asyncio
import email
import socket
import threading
import time
from collections import Counter, deque
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScriptedHandler:
    """Collects accepted messages; answers DATA from a script ("451", "550", "drop")."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.script: deque[str] = deque()
        self.always: str | None = None
        self.refuse_rcpt: dict[str, str] = {}
        self.delay = 0.0
        # Seconds to wait before answering EHLO, MAIL, RCPT and the end of DATA: a server
        # that stalls between commands, each answer just inside the per-command timeout.
        self.stall = 0.0
        # When set, MAIL FROM is answered with this reply (e.g. "550 5.7.1 Relaying denied").
        self.refuse_mail_from: str | None = None
        self.data_commands = 0
        self._lock = threading.Lock()

    def answer_next(self, *actions: str) -> None:
        self.script.extend(actions)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        if self.stall:
            await asyncio.sleep(self.stall)
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if self.stall:
            await asyncio.sleep(self.stall)
        if self.refuse_mail_from:
            return self.refuse_mail_from
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.stall:
            await asyncio.sleep(self.stall)
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay or self.stall:
            await asyncio.sleep(self.delay or self.stall)
        with self._lock:
            self.data_commands += 1
            action = self.script.popleft() if self.script else self.always
        if action == "drop":
            server.transport.abort()
            return "421 gone"
        if action == "451":
            return "451 4.3.0 Try again later"
        if action == "550":
            return "550 5.1.1 Mailbox unavailable"
        msg = email.message_from_bytes(envelope.original_content, policy=default_policy)
        with self._lock:
            self.received.append(msg)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        with self._lock:
            return Counter(str(m["Message-ID"]) for m in self.received)


class SmtpServer:
    def __init__(self) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Every message accepted for ``address``, oldest first."""
        with self.handler._lock:
            return [
                msg
                for msg, (_sender, rcpts) in zip(
                    self.handler.received, self.handler.envelopes, strict=True
                )
                if address in rcpts
            ]

    def wait_for(
        self, address: str, *, count: int = 1, timeout: float = 20.0
    ) -> list[EmailMessage]:
        """Wait until ``count`` messages for ``address`` have arrived, and return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.messages_to(address)
            if len(got) >= count:
                return got
            time.sleep(0.1)
        raise AssertionError(
            f"expected {count} message(s) to {address}, got {len(self.messages_to(address))}"
        )


def text_part(msg: EmailMessage) -> str:
    """The text/plain body of a message."""
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def html_part(msg: EmailMessage) -> str:
    """The text/html body of a message."""
    part = msg.get_body(preferencelist=("html",))
    return part.get_content() if part else ""
