"""Render an outbox message into a MIME email: text + HTML, per kind and language.

Templates live in ``templates/<kind>/<lang>/{subject.txt,body.txt,body.html}``; adding a
folder adds a kind. HTML is autoescaped (a participant named ``<script>`` stays text);
plain-text parts are not, since they are never interpreted as markup.
"""

import base64
import functools
import uuid
from datetime import datetime
from email.contentmanager import raw_data_manager
from email.header import Header
from email.message import EmailMessage
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rxapp.clock import now as clock_now
from rxapp.models.outbox import OutboxMessage
from rxapp.services.common.attachments import Attachment

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FALLBACK_LANGUAGE = "en"
PARTS = ("subject.txt", "body.txt", "body.html")
# Headers a kind's context may not override.
_RESERVED_HEADERS = frozenset(
    {"from", "to", "subject", "date", "message-id", "content-type", "mime-version"}
)


class _PreEncodedPolicy(Compat32):
    """Store headers exactly as given (already RFC 2047-encoded), keep the EmailMessage API.

    The default policy parses every header on assignment and refolds it when sending,
    about 1 ms per email, more than the rest of the engine together. Our headers are
    encoded and folded once here (ASCII, lines under 78 characters), so writing them out
    is a string join.
    """

    content_manager = raw_data_manager

    def fold(self, name: str, value: str) -> str:
        """Write a pre-encoded header as is, with the policy's line ending."""
        if not value.isascii():
            return super().fold(name, value)
        return f"{name}: " + self.linesep.join(value.splitlines()) + self.linesep

    def fold_binary(self, name: str, value: str) -> bytes:
        """Write a pre-encoded header as ASCII bytes."""
        return self.fold(name, value).encode("ascii", "surrogateescape")


_POLICY = _PreEncodedPolicy()
# Base64 of 45 UTF-8 bytes is 60 characters: one encoded word stays under RFC 2047's 75.
_WORD_BYTES = 45


def _encoded_words(text: str) -> str:
    """Encode non-ASCII text as RFC 2047 base64 words, one per folded line."""
    words, chunk = [], b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    if chunk:
        words.append(chunk)
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _encode_header(value: str) -> str:
    value = _one_line(value)
    if value.isascii() and len(value) <= 70:
        return value
    if value.isascii():
        return Header(value, "us-ascii").encode()
    return _encoded_words(value)


def _address(name: str, address: str) -> str:
    name = _one_line(name)
    if name.isascii():
        return formataddr((name, address))
    return f"{_encoded_words(name)} <{address}>"


def _cte(text: str) -> str:
    # base64 is C-fast; the default choice computes both encodings in Python.
    return "7bit" if text.isascii() and max(map(len, text.splitlines() or [""])) < 990 else "base64"


class RenderedEmail(EmailMessage):
    """An EmailMessage whose headers are stored pre-encoded (see ``_PreEncodedPolicy``)."""

    def is_attachment(self) -> bool:
        """Whether this part is an attachment (works on unparsed headers)."""
        return self.get_content_disposition() == "attachment"


class UnknownKind(LookupError):
    """No template folder exists for a message's kind; sending it can never succeed."""


@lru_cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        # A missing variable is a template bug; fail loudly rather than send "Hello ,".
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def available_kinds() -> list[str]:
    """Return every kind that has templates (the registry is the template folders)."""
    return sorted(
        p.name for p in TEMPLATES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")
    )


@functools.lru_cache(maxsize=512)
def template_language(kind: str, language: str) -> str:
    """Return the language whose templates render ``kind``: ``language`` or English.

    Raises:
        UnknownKind: Neither the language nor English has templates for the kind.

    """
    for lang in (language, FALLBACK_LANGUAGE):
        folder = TEMPLATES_DIR / kind / lang
        if all((folder / part).is_file() for part in PARTS):
            return lang
    raise UnknownKind(kind)


def _context_attachments(context: dict[str, Any]) -> list[Attachment]:
    # Context is JSON, so binary content travels base64-encoded; text may travel as is.
    found = []
    for item in context.get("attachments") or []:
        if "content_b64" in item:
            content = base64.b64decode(item["content_b64"])
        else:
            content = str(item.get("content", "")).encode("utf-8")
        found.append(
            Attachment(
                filename=item["filename"],
                mime=item.get("mime", "application/octet-stream"),
                content=content,
            )
        )
    return found


def _one_line(text: str) -> str:
    # Headers must not contain line breaks (header injection); collapse all whitespace.
    return " ".join(text.split())


PREHEADER_LENGTH = 110


def preheader_of(text: str) -> str:
    """The inbox preview line: the first paragraph after the greeting, shortened.

    The greeting ("Hello Anna,") says nothing the subject has not; the paragraph after
    it is what the email is about.
    """
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    body = [p for p in paragraphs if not p.endswith(",")] or paragraphs or [""]
    line = body[0]
    if len(line) > PREHEADER_LENGTH:
        line = line[:PREHEADER_LENGTH].rsplit(" ", 1)[0] + "…"
    return line


def render_parts(*, kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render subject, text and HTML of a kind in a language (English if missing).

    Args:
        kind: Template folder.
        language: Wanted language.
        context: Template variables.

    Returns:
        ``(subject, text, html)``.

    """
    lang = template_language(kind, language)
    env = _environment()
    values = {"language": lang, **context}
    subject = _one_line(env.get_template(f"{kind}/{lang}/subject.txt").render(values))
    values["subject"] = subject
    text = env.get_template(f"{kind}/{lang}/body.txt").render(values).strip() + "\n"
    values.setdefault("preheader", preheader_of(text))
    html = env.get_template(f"{kind}/{lang}/body.html").render(values)
    return subject, text, html


def render_message(
    message: OutboxMessage,
    *,
    organization_name: str,
    sender: str,
    now: datetime | None = None,
    extra_context: dict[str, Any] | None = None,
    attachments: list[Attachment] | None = None,
    headers: dict[str, str] | None = None,
    reply_to: str = "",
) -> EmailMessage:
    """Build the email for an outbox message: multipart/alternative text + HTML.

    Args:
        message: The outbox row (kind, language, context, recipient, message_id).
        organization_name: Shown as the From display name and in the layout.
        sender: The configured sender, e.g. ``"Beckon <no-reply@beckon.example>"``;
            its address is used with the organization's name.
        now: Date header value (default: the app clock).
        extra_context: Values computed at send time (e.g. a link rebuilt from a secret),
            so the outbox row never stores them; from the scheduler's kind table.
        attachments: Files computed at send time (e.g. a report PDF).
        headers: Extra ASCII headers of the kind (e.g. ``List-Unsubscribe``).
        reply_to: The organization's contact address; replies go there, not to the
            no-reply sender.

    Returns:
        The email, with attachments when the context or a kind hook gives some.

    Raises:
        UnknownKind: The kind has no templates.

    """
    context = dict(message.context or {})
    context.setdefault("name", message.recipient_name)
    context.setdefault("recipient_name", message.recipient_name)
    context.setdefault("organization_name", organization_name)
    context.update(extra_context or {})
    attachments = [*_context_attachments(context), *(attachments or [])]
    context.pop("attachments", None)
    # A kind's send-time context may carry headers too (e.g. List-Unsubscribe, RFC 8058).
    headers = {**{str(k): str(v) for k, v in (context.pop("headers", None) or {}).items()},
               **(headers or {})}
    subject, text, html = render_parts(
        kind=message.template or message.kind, language=message.language, context=context
    )

    sender_name, sender_address = parseaddr(sender)
    email = RenderedEmail(policy=_POLICY)
    email["From"] = _address(organization_name or sender_name, sender_address)
    email["To"] = _address(message.recipient_name, message.recipient)
    if reply_to:
        email["Reply-To"] = _address(organization_name or sender_name, reply_to)
    email["Subject"] = _encode_header(subject)
    email["Date"] = format_datetime(now or clock_now())
    # Stable across retries: a receiving server or client can spot a repeat.
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        if name.lower() not in _RESERVED_HEADERS:
            email[_one_line(name)] = _encode_header(value)
    email.set_content(text, cte=_cte(text))
    email.add_alternative(html, subtype="html", cte=_cte(html))
    # A random boundary of our own: the generator's default re-compiles a regex per email.
    email.set_boundary(f"=_{uuid.uuid4().hex}")

    for item in attachments:
        maintype, _, subtype = item.mime.partition("/")
        email.add_attachment(
            item.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=item.filename,
            # Some clients (and spam filters) only read the Content-Type's name.
            params={"name": item.filename},
        )
    # Set last: adding attachments moves Content-* headers into the inner part.
    email["Content-Language"] = message.language
    return email
