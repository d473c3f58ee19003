"""What a mail server said about one message, in the engine's terms (R-MSG-3).

4xx and lost connections are temporary (retry), 5xx permanent (failed), a 5xx to MAIL
FROM means our sender is refused (sending pauses).
"""

from dataclasses import dataclass, field
from enum import StrEnum

import aiosmtplib


class SendOutcome(StrEnum):
    """What the mail server said about one message."""

    ACCEPTED = "accepted"  # taken for delivery (by at least one recipient)
    TEMPORARY = "temporary"  # 4xx, lost connection, timeout: try again later
    PERMANENT = "permanent"  # 5xx: will never be accepted as is
    # 5xx to MAIL FROM: the server refuses our sender (wrong MAIL_FROM, relay not allowed).
    # A configuration problem, not this message's: sending pauses, the message is kept.
    SENDER_REFUSED = "sender_refused"


@dataclass(frozen=True)
class SendResult:
    """The outcome of one send, with the server's words for the log and the UI."""

    outcome: SendOutcome
    detail: str = ""
    code: int | None = None
    # Recipients the server refused while accepting others: {address: (code, text)}.
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        """Whether the message was taken for delivery."""
        return self.outcome is SendOutcome.ACCEPTED


def classify_code(code: int, text: str) -> SendResult:
    """Map an SMTP reply code to an outcome: 4xx temporary, 5xx (and others) permanent."""
    detail = f"{code} {text}".strip()
    if 400 <= code < 500:
        return SendResult(SendOutcome.TEMPORARY, detail, code)
    return SendResult(SendOutcome.PERMANENT, detail, code)


def classify_partial(
    recipients: list[str], errors: dict[str, aiosmtplib.SMTPResponse], reply: str
) -> SendResult:
    """Classify a send that returned without raising but may hold per-recipient refusals.

    aiosmtplib returns normally when at least one recipient was accepted. The message is
    then delivered (retrying would duplicate it for the accepted ones); the refusals are
    kept in ``refused`` and the detail so the UI can show them.
    """
    refused = {addr: (resp.code, resp.message) for addr, resp in errors.items()}
    if refused and len(refused) >= len(recipients):
        # Defensive: every recipient refused without an exception. Temporary if any 4xx.
        codes = [code for code, _ in refused.values()]
        worst = min(codes, key=lambda c: 0 if 400 <= c < 500 else 1)
        return SendResult(
            SendOutcome.TEMPORARY if 400 <= worst < 500 else SendOutcome.PERMANENT,
            "; ".join(f"{a}: {c} {t}" for a, (c, t) in refused.items()),
            worst,
            refused,
        )
    detail = reply
    if refused:
        detail = "accepted, but refused for " + "; ".join(
            f"{a}: {c} {t}" for a, (c, t) in refused.items()
        )
    return SendResult(SendOutcome.ACCEPTED, detail, 250, refused)


def classify_exception(exc: BaseException) -> SendResult:
    """Map an aiosmtplib/network exception to an outcome.

    Connection, authentication and TLS problems are temporary whatever their code: they
    are about our server setup, not about this message, and must not fail every email.
    A 5xx to MAIL FROM is about our sender address: ``SENDER_REFUSED`` (sending pauses).
    """
    if isinstance(exc, aiosmtplib.SMTPSenderRefused) and exc.code >= 500:
        return SendResult(SendOutcome.SENDER_REFUSED, f"{exc.code} {exc.message}", exc.code)
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refused = {r.recipient: (r.code, r.message) for r in exc.recipients}
        temporary = any(400 <= code < 500 for code, _ in refused.values())
        detail = "; ".join(f"{a}: {c} {t}" for a, (c, t) in refused.items())
        code = next(iter(refused.values()))[0] if refused else None
        return SendResult(
            SendOutcome.TEMPORARY if temporary else SendOutcome.PERMANENT, detail, code, refused
        )
    if isinstance(
        exc,
        aiosmtplib.SMTPAuthenticationError
        | aiosmtplib.SMTPConnectError
        | aiosmtplib.SMTPConnectResponseError
        | aiosmtplib.SMTPHeloError
        | aiosmtplib.SMTPNotSupported,
    ):
        return SendResult(SendOutcome.TEMPORARY, f"{type(exc).__name__}: {exc}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return classify_code(exc.code, exc.message)
    if isinstance(
        exc,
        aiosmtplib.SMTPServerDisconnected
        | aiosmtplib.SMTPTimeoutError
        | TimeoutError
        | ConnectionError
        | OSError,
    ):
        return SendResult(SendOutcome.TEMPORARY, f"{type(exc).__name__}: {exc}")
    if isinstance(exc, ValueError):
        # aiosmtplib validates addresses before sending: a malformed address never passes.
        return SendResult(SendOutcome.PERMANENT, f"invalid message: {exc}")
    return SendResult(SendOutcome.TEMPORARY, f"{type(exc).__name__}: {exc}")
