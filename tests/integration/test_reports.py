"""Participant emails, the PDF report and the results exports (R-INT-5, R-INT-9, R-PLUS-7)."""

import base64
import csv
import io
import re
import zlib
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from rxapp.mail.render import render_parts
from rxapp.mail.transport import SmtpTransport
from rxapp.models.common import LANGUAGES
from rxapp.models.outbox import OutboxMessage
from rxapp.models.participants import Interaction
from rxapp.scheduler.kinds import send_time_parts
from rxapp.scheduler.worker import Worker
from rxapp.services.common.errors import NotAllowed, NotFound
from rxapp.services.interactions import (
    KIND_INVITATION,
    KIND_REMINDER,
    KIND_REPORT,
    complete_interaction,
    create_interaction,
    record_answer,
)
from rxapp.services.interactions.questionnaires import questions_of
from rxapp.services.interactions.reports import (
    build_report_pdf,
    export_results_rows,
    results_csv,
    results_xlsx,
)
from tests.conftest import T0
from tests.factories import make_organization, make_participant

KINDS = (KIND_INVITATION, KIND_REMINDER, KIND_REPORT)


def pdf_text(pdf: bytes) -> bytes:
    """Every content stream of a PDF, inflated, joined: enough to find drawn strings."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\s*endstream", pdf, re.S):
        chunk = match.group(1).strip()
        if chunk.endswith(b"~>"):  # reportlab writes ASCII85 over Flate
            chunk = base64.a85decode(chunk[:-2])
        try:
            out.append(zlib.decompress(chunk))
        except zlib.error:
            out.append(chunk)
    return b"\n".join(out)


@pytest.fixture
def reporting_org(engine):
    with Session(engine, expire_on_commit=False) as s:
        org = make_organization(
            s, name="Acme & Co", timezone="UTC", interactions_bought=20, reports_included=True
        )
        s.commit()
        return org


def _answer(s, org_id, interaction_id, values, upto=None):
    interaction = s.get(Interaction, interaction_id)
    questions = questions_of(s, questionnaire_id=interaction.questionnaire_id)
    for q, value in list(zip(questions, values * 20, strict=False))[:upto]:
        record_answer(
            s,
            organization_id=org_id,
            interaction_id=interaction_id,
            question_id=q.id,
            value=value,
            now=T0,
        )
    return len(questions)


def _completed(s, org, values=(4,), **participant):
    person = make_participant(s, organization_id=org.id, now=T0, **participant)
    created = create_interaction(
        s, organization_id=org.id, participant_id=person.id, now=T0, reminders_on=True
    )
    _answer(s, org.id, created.interaction_id, list(values))
    complete_interaction(
        s, organization_id=org.id, interaction_id=created.interaction_id, now=T0 + timedelta(days=1)
    )
    return person, created.interaction_id


def test_r_plus_7_every_kind_renders_in_every_language_with_the_service_contexts(
    engine, reporting_org
):
    org = reporting_org
    with Session(engine, expire_on_commit=False) as s:
        person = make_participant(s, organization_id=org.id, now=T0, first_name="Zoë <b>")
        created = create_interaction(
            s, organization_id=org.id, participant_id=person.id, now=T0, reminders_on=True
        )
        total = _answer(s, org.id, created.interaction_id, [3], upto=3)
        messages = {
            m.kind: m
            for m in s.exec(
                select(OutboxMessage)
                .where(OutboxMessage.entity_id == created.interaction_id)
                .order_by(col(OutboxMessage.due_at))
            ).all()
        }
        # The link and progress are added at send time by the kind's hook, as the worker does.
        reminder_context = {**messages[KIND_REMINDER].context,
                            **send_time_parts(s, messages[KIND_REMINDER], T0)[0]}
        invitation_context = {**messages[KIND_INVITATION].context, "link": created.link}
        assert "link" not in messages[KIND_REMINDER].context
        _answer(s, org.id, created.interaction_id, [3])
        complete_interaction(
            s, organization_id=org.id, interaction_id=created.interaction_id, now=T0
        )
        report = s.exec(
            select(OutboxMessage).where(
                OutboxMessage.entity_id == created.interaction_id, OutboxMessage.kind == KIND_REPORT
            )
        ).one()
        s.commit()
    assert reminder_context["answered"] == 3 and reminder_context["total"] == total
    contexts = {
        KIND_INVITATION: invitation_context,
        KIND_REMINDER: reminder_context,
        KIND_REPORT: dict(report.context),
    }
    progress = {"en": "3 of 12", "de": "3 von 12", "fr": "3 questions sur 12", "sv": "3 av 12"}
    subjects = set()
    for kind in KINDS:
        for lang in LANGUAGES:
            context = {"organization_name": org.name, **contexts[kind]}
            subject, text, html = render_parts(kind=kind, language=lang, context=context)
            subjects.add(subject)
            assert "Acme & Co" in subject
            assert "Zoë <b>" in text and "Zoë &lt;b&gt;" in html and "<b>" not in html
            assert f'lang="{lang}"' in html
            if kind != KIND_REPORT:
                link = contexts[kind]["link"]
                assert link in text and f'href="{link}"' in html
            if kind == KIND_REMINDER:
                assert progress[lang] in text and progress[lang] in html
    assert len(subjects) == len(KINDS) * len(LANGUAGES)  # every language is its own wording


def test_r_plus_7_reminder_without_progress_says_not_started(engine, reporting_org):
    context = {
        "organization_name": "Acme",
        "first_name": "Ann",
        "last_name": "B",
        "link": "https://beckon.example/i/x",
        "reminder_number": 1,
        "interaction_id": 1,
        "answered": 0,
        "total": 12,
    }
    _, text, _ = render_parts(kind=KIND_REMINDER, language="en", context=context)
    assert "not started" in text and "0 of" not in text


def test_r_int_9_report_pdf_has_name_org_and_chart(engine, reporting_org):
    org = reporting_org
    with Session(engine, expire_on_commit=False) as s:
        _, interaction_id = _completed(
            s, org, values=(5, 3), first_name="Ada", last_name="Lovelace", language="de"
        )
        s.commit()
        pdf = build_report_pdf(
            s, organization_id=org.id, interaction_id=interaction_id, language="de"
        )
        english = build_report_pdf(
            s, organization_id=org.id, interaction_id=interaction_id, language="en"
        )
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert b"Ada Lovelace" in text and b"Acme &amp; Co" not in text and b"Acme & Co" in text
    assert b"Zusammenarbeit" in text and b"Ihre Ergebnisse" in text
    assert b"Your results" in pdf_text(english) and b"Collaboration" in pdf_text(english)


def test_r_int_9_report_only_for_completed_interactions_of_the_organization(engine, reporting_org):
    org = reporting_org
    with Session(engine, expire_on_commit=False) as s:
        other = make_organization(s, name="Other", reports_included=True)
        person = make_participant(s, organization_id=org.id, now=T0)
        open_one = create_interaction(s, organization_id=org.id, participant_id=person.id, now=T0)
        s.commit()
        with pytest.raises(NotFound):
            build_report_pdf(
                s, organization_id=org.id, interaction_id=open_one.interaction_id, language="en"
            )
        with pytest.raises(NotAllowed):
            build_report_pdf(
                s, organization_id=other.id, interaction_id=open_one.interaction_id, language="en"
            )


def test_r_int_9_exports_rows_accents_and_formula_injection(engine, reporting_org):
    org = reporting_org
    with Session(engine, expire_on_commit=False) as s:
        other = make_organization(s, name="Other", interactions_bought=5, reports_included=True)
        _completed(s, org, values=(5, 1), first_name="Émilie", last_name="Åström", language="fr")
        _completed(
            s, org, values=(2,), first_name='=HYPERLINK("http://evil.example","x")', last_name="-1"
        )
        _completed(s, other, first_name="Hidden", last_name="Elsewhere")
        # Unfinished interactions are not results.
        person = make_participant(s, organization_id=org.id, now=T0, first_name="Open")
        create_interaction(s, organization_id=org.id, participant_id=person.id, now=T0)
        s.commit()

        header, rows = export_results_rows(s, organization_id=org.id, language="en")
        assert header[:5] == ["First name", "Last name", "Email", "Language", "Completed at (UTC)"]
        assert header[5:] == ["Clarity", "Collaboration", "Growth"]
        assert [r[0] for r in rows] == ["Émilie", '=HYPERLINK("http://evil.example","x")']
        assert rows[0][3] == "fr" and rows[0][4] == T0 + timedelta(days=1)
        assert all(isinstance(v, float) for v in rows[1][5:])

        data = results_csv(s, organization_id=org.id, language="de")
        workbook = load_workbook(io.BytesIO(results_xlsx(s, organization_id=org.id)))

    assert data.startswith(b"\xef\xbb\xbf")
    # German: semicolons, every cell quoted, decimal comma.
    assert data.decode("utf-8-sig").startswith('"Vorname";"Nachname"')
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert parsed[1][5] == "3,00"
    assert parsed[0][:2] == ["Vorname", "Nachname"] and parsed[0][5] == "Klarheit"
    assert parsed[1][:2] == ["Émilie", "Åström"]
    assert parsed[1][4] == "2026-03-03 09:00"
    assert parsed[2][0] == '\'=HYPERLINK("http://evil.example","x")' and parsed[2][1] == "'-1"
    assert len(parsed) == 3 and "Hidden" not in data.decode("utf-8")

    sheet = workbook.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][:2] == ["Émilie", "Åström"]
    cell = sheet.cell(row=3, column=1)
    assert cell.value == '=HYPERLINK("http://evil.example","x")' and cell.data_type == "s"
    assert len(values) == 3


async def test_r_int_9_report_email_arrives_with_pdf_attachment(
    app_db, engine, reporting_org, smtp, smtp_settings, clock
):
    org = reporting_org
    with Session(engine, expire_on_commit=False) as s:
        person, interaction_id = _completed(
            s, org, first_name="Björn", last_name="Ek", language="sv", email="bjorn@example.com"
        )
        s.commit()
    clock.advance(timedelta(days=2))
    worker = Worker(
        engine=engine, transport=SmtpTransport(smtp_settings), settings=smtp_settings, clock=clock
    )
    result = await worker.run_once()
    await worker.aclose()
    # The invitation was cancelled by completion; the report is the one email.
    assert result.sent == 1, result
    (received,) = smtp.handler.received
    assert received["To"].addresses[0].addr_spec == "bjorn@example.com"
    assert received["Subject"] == "Dina resultat från Acme & Co"
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "report.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF") and b"Ek" in pdf_text(pdf)
    assert b"Dina resultat" in pdf_text(pdf)
    with Session(engine) as s:
        stored = s.exec(
            select(OutboxMessage).where(
                OutboxMessage.entity_id == interaction_id, OutboxMessage.kind == KIND_REPORT
            )
        ).one()
    assert stored.state == "sent" and "attachments" not in stored.context
