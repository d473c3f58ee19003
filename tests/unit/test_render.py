from datetime import UTC, datetime

import pytest

from rxapp.mail.render import (
    Attachment,
    UnknownKind,
    available_kinds,
    render_message,
)
from rxapp.models.outbox import OutboxMessage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENDER = "Beckon <no-reply@beckon.example>"


def message(**overrides):
    values = dict(
        organization_id=1,
        recipient="ann@example.com",
        recipient_name="Ann",
        kind="password_reset",
        template="password_reset",
        language="en",
        context={"link": "https://app.example/reset?t=a&b=c", "minutes": 60},
        due_at=NOW,
        idempotency_key="k",
        message_id="<stable@beckon.example>",
    )
    values.update(overrides)
    return OutboxMessage(**values)


def test_r_msg_2_multipart_alternative_with_headers():
    email = render_message(message(), organization_name="Acme AB", sender=SENDER, now=NOW)
    assert email.get_content_type() == "multipart/alternative"
    assert email["From"] == "Acme AB <no-reply@beckon.example>"
    assert email["To"] == "Ann <ann@example.com>"
    assert email["Message-ID"] == "<stable@beckon.example>"
    assert email["Date"] == "Mon, 02 Mar 2026 09:00:00 +0000"
    assert "Acme AB" in email["Subject"]
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert "https://app.example/reset?t=a&b=c" in text
    assert 'href="https://app.example/reset?t=a&amp;b=c"' in html
    assert "60" in text and "60" in html


def test_r_msg_2_autoescape_renders_script_name_as_text():
    email = render_message(
        message(recipient_name="<script>alert(1)</script>"),
        organization_name="<b>Evil</b> Org",
        sender=SENDER,
        now=NOW,
    )
    html = email.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Evil</b>" not in html and "&lt;b&gt;Evil&lt;/b&gt;" in html
    # Plain text is not HTML: the name shows as typed.
    assert "<script>alert(1)</script>" in email.get_body(("plain",)).get_content()


@pytest.mark.parametrize("lang", ["en", "de", "fr", "sv"])
def test_r_ui_1_every_language_renders_both_kinds(lang):
    for kind, ctx in [
        ("password_reset", {"link": "https://x", "minutes": 60}),
        ("test_message", {"note": ""}),
    ]:
        email = render_message(
            message(kind=kind, template=kind, language=lang, context=ctx),
            organization_name="Acme",
            sender=SENDER,
            now=NOW,
        )
        assert email["Subject"] and email["Content-Language"] == lang
        assert f'lang="{lang}"' in email.get_body(("html",)).get_content()


def test_r_ui_1_missing_language_falls_back_to_english(tmp_path, monkeypatch):
    email = render_message(message(language="xx"), organization_name="A", sender=SENDER, now=NOW)
    assert email["Subject"].startswith("Reset your password")


def test_unknown_kind_raises():
    assert {"password_reset", "test_message"} <= set(available_kinds())
    with pytest.raises(UnknownKind):
        render_message(message(kind="nope", template="nope"), organization_name="A", sender=SENDER)


def test_r_bm_8_attachments_from_context_and_send_time():
    email = render_message(
        message(
            kind="test_message",
            template="test_message",
            context={"attachments": [{"filename": "a.txt", "mime": "text/plain", "content": "hi"}]},
        ),
        organization_name="A",
        sender=SENDER,
        now=NOW,
        attachments=[
            Attachment("meeting.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR")
        ],
    )
    assert email.get_content_type() == "multipart/mixed"
    names = [p.get_filename() for p in email.iter_attachments()]
    assert names == ["a.txt", "meeting.ics"]
    assert email.get_body(("html",)) is not None


def test_header_injection_in_names_is_neutralised():
    email = render_message(
        message(recipient_name="Ann\r\nBcc: victim@example.com"),
        organization_name="Acme\nX-Evil: 1",
        sender=SENDER,
        now=NOW,
    )
    from email import message_from_string
    from email.policy import default

    parsed = message_from_string(email.as_string(), policy=default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert parsed["To"].addresses[0].addr_spec == "ann@example.com"
