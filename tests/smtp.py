"""A real SMTP server on loopback (aiosmtpd) that records what it receives."""

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One delivered message as the server saw it."""

    envelope_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The decoded Subject header."""
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        """The text/plain part (or the whole body when not multipart)."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        """The text/html part, if any."""
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


@dataclass
class RecordingHandler:
    """Collects messages; can be told to answer with an error code for the next ones."""

    received: list[Received] = field(default_factory=list)
    fail_next: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201
        with self.lock:
            if self.fail_next:
                return self.fail_next.pop(0)
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), msg)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd in a thread on a free loopback port."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def start(self) -> "SmtpServer":
        """Start listening."""
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self.controller.stop()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return self.controller.port

    def messages_to(self, address: str) -> list[Received]:
        """Every message received for ``address``."""
        with self.handler.lock:
            return [r for r in self.handler.received if address in r.recipients]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 20.0) -> list[Received]:
        """Wait until ``count`` messages for ``address`` have arrived, and return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.messages_to(address)
            if len(got) >= count:
                return got
            time.sleep(0.1)
        raise AssertionError(f"expected {count} message(s) to {address}, got "
                             f"{len(self.messages_to(address))}")
