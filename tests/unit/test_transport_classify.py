import aiosmtplib
from aiosmtplib import SMTPResponse

from rxapp.mail.transport import (
    SendOutcome,
    classify_code,
    classify_exception,
    classify_partial,
)


def test_r_msg_3_reply_codes_classify_temporary_and_permanent():
    assert classify_code(451, "later").outcome is SendOutcome.TEMPORARY
    assert classify_code(550, "no such user").outcome is SendOutcome.PERMANENT
    assert classify_code(550, "no such user").detail == "550 no such user"


def test_r_msg_3_exceptions_classify():
    assert classify_exception(aiosmtplib.SMTPServerDisconnected("x")).outcome == "temporary"
    assert classify_exception(ConnectionRefusedError()).outcome == "temporary"
    assert classify_exception(TimeoutError()).outcome == "temporary"
    assert classify_exception(aiosmtplib.SMTPDataError(451, "busy")).outcome == "temporary"
    assert classify_exception(aiosmtplib.SMTPDataError(554, "spam")).outcome == "permanent"
    # A wrong password is our setup's fault, not the message's: keep retrying.
    assert classify_exception(aiosmtplib.SMTPAuthenticationError(535, "bad")).outcome == "temporary"
    refused = aiosmtplib.SMTPRecipientsRefused(
        [aiosmtplib.SMTPRecipientRefused(550, "unknown", "a@x")]
    )
    result = classify_exception(refused)
    assert result.outcome == "permanent" and "a@x: 550 unknown" in result.detail


def test_r_msg_3_partial_refusal_is_delivered_with_refusals_kept():
    result = classify_partial(
        ["a@x", "b@x"], {"b@x": SMTPResponse(550, "unknown user")}, "250 queued"
    )
    assert result.accepted and result.refused == {"b@x": (550, "unknown user")}
    assert "b@x: 550 unknown user" in result.detail
    assert classify_partial(["a@x"], {}, "250 ok").detail == "250 ok"
