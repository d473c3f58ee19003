"""Purchases from a CSV file through the shared pipeline (issue 11 point 1): encoding and
delimiter detected, headers in en/de/fr/sv, a mapping step for unknown headers, the whole
file checked before anything is written, errors by line, repeats change nothing."""

from datetime import UTC, datetime

from sqlmodel import func, select

from rxapp.models import Customer, OutboxMessage, Purchase, ReviewInvitation
from rxapp.services.common import csv_import
from rxapp.services.reviews.csv_import import FIELDS, import_purchases_csv
from tests.conftest import T0

GERMAN = (
    "E-Mail;Name;Sprache;Zeitzone;Bestellnummer;Kaufdatum;Produkte\r\n"
    "jörg@example.de;Jörg Schäfer;;;B-1;01.03.2026 14:30;KET-1:Wasserkocher|MUG-2:Tasse\r\n"
    "anna@example.de;Anna Groß;Deutsch;Europe/Berlin;B-2;2026-03-01T10:00:00+01:00;\r\n"
    "eve@example.se;Eve;sv;America/New_York;B-3;02.03.2026;\r\n"
).encode("utf-8-sig")

BROKEN = (
    b"email,name,language,order reference,purchased at\n"
    b"ann@example.com,Ann,en,C-1,2026-03-01\n"
    b"not-an-email,X,en,C-2,2026-03-01\n"
    b"cem@example.com,Cem,xx,C-3,2026-03-01\n"
    b"dan@example.com,Dan,en,C-4,yesterday\n"
    b"eva@example.com,Eva,en,C-5,2026-03-01\n"
    b"fay@example.com,Fay,en,,2026-03-01\n"
    b"gus@example.com,Gus,en,C-7,2026-03-01\n"
)


def _count(session, model, org_id):
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)
                        .where(model.organization_id == org_id)).one()


def test_headers_in_each_language_map_to_the_purchase_fields():
    cases = {
        "en": ["Email", "Name", "Language", "Time zone", "Order reference", "Purchased at",
               "Used at", "Products"],
        "de": ["E-Mail", "Name", "Sprache", "Zeitzone", "Bestellnummer", "Kaufdatum",
               "Nutzungsdatum", "Produkte"],
        "fr": ["Courriel", "Nom", "Langue", "Fuseau horaire", "Numéro de commande",
               "Date d'achat", "Date d'utilisation", "Produits"],
        "sv": ["E-post", "Namn", "Språk", "Tidszon", "Ordernummer", "Köpdatum",
               "Användningsdatum", "Produkter"],
    }
    for columns in cases.values():
        assert csv_import.auto_mapping(columns, FIELDS) == [f.key for f in FIELDS], columns
    # Elsewhere "Name" still means the last name: the alias is the purchases import's own.
    assert csv_import.auto_mapping(["Name"], [csv_import.FieldSpec("last_name")]) == [
        "last_name"]


def test_german_semicolon_bom_file_is_recorded_and_scheduled(session, org):
    org.default_language = "de"
    session.add(org)
    session.commit()
    report = import_purchases_csv(session, organization_id=org.id, data=GERMAN, now=T0)
    session.commit()
    assert report.ok, report.errors
    assert (report.encoding, report.delimiter) == ("utf-8-sig", ";")
    assert (report.imported, report.duplicates, report.total_rows) == (3, 0, 3)
    purchases = {p.order_reference: p for p in session.exec(
        select(Purchase).where(Purchase.organization_id == org.id)).all()}
    # A moment without a zone is the organization's local time (Stockholm, UTC+1 in March).
    assert purchases["B-1"].occurred_at.replace(tzinfo=UTC) == datetime(2026, 3, 1, 13, 30,
                                                                         tzinfo=UTC)
    assert purchases["B-3"].occurred_at.replace(tzinfo=UTC) == datetime(2026, 3, 2, tzinfo=UTC)
    assert [p["sku"] for p in purchases["B-1"].products] == ["KET-1", "MUG-2"]
    customers = {c.email: c for c in session.exec(
        select(Customer).where(Customer.organization_id == org.id)).all()}
    # Empty language and zone take the organization's; "Deutsch" is read as de.
    assert customers["jörg@example.de"].language == "de"
    assert customers["jörg@example.de"].timezone == ""
    assert customers["jörg@example.de"].name == "Jörg Schäfer"
    assert customers["anna@example.de"].language == "de"
    assert customers["eve@example.se"].timezone == "America/New_York"
    # Each purchase scheduled its invitation in the import's transaction.
    assert _count(session, ReviewInvitation, org.id) >= 3
    outbox = _count(session, OutboxMessage, org.id)
    assert outbox >= 3

    again = import_purchases_csv(session, organization_id=org.id, data=GERMAN, now=T0)
    session.commit()
    assert again.ok and (again.imported, again.duplicates) == (0, 3)
    assert _count(session, Purchase, org.id) == 3
    assert _count(session, OutboxMessage, org.id) == outbox


def test_unknown_headers_ask_for_a_mapping_then_import_with_it(session, org):
    data = ("Kontakt,Ref,Wann,Egal\n"
            "ann@example.com,M-1,2026-03-01T09:00:00Z,x\n"
            "bob@example.com,M-2,2026-03-01,y\n").encode("windows-1252")
    report = import_purchases_csv(session, organization_id=org.id, data=data, now=T0)
    assert report.needs_mapping and not report.ok
    assert report.errors[0].line == 1
    assert set(report.errors[0].field.split(",")) == {"email", "order_reference",
                                                      "purchased_at"}
    assert report.columns == ["Kontakt", "Ref", "Wann", "Egal"]
    assert report.preview[0][0] == "ann@example.com"
    assert _count(session, Purchase, org.id) == 0
    # Email and reference but no moment: still the mapping step.
    half = import_purchases_csv(session, organization_id=org.id, data=data, now=T0,
                                mapping=["email", "order_reference", "", ""])
    assert half.needs_mapping and half.errors[0].field == "purchased_at"
    done = import_purchases_csv(session, organization_id=org.id, data=data, now=T0,
                                mapping=["email", "order_reference", "used_at", ""])
    session.commit()
    assert done.ok and done.imported == 2
    assert _count(session, Purchase, org.id) == 2


def test_a_broken_file_writes_nothing_and_names_every_bad_line(session, org):
    report = import_purchases_csv(session, organization_id=org.id, data=BROKEN, now=T0)
    session.commit()
    assert not report.ok and report.imported == 0
    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (3, "email", "reviews.email_invalid"),
        (4, "language", "reviews.language_invalid"),
        (5, "purchased_at", "reviews.time_invalid"),
        (7, "order_reference", "reviews.reference_invalid"),
    ]
    for model in (Purchase, Customer, ReviewInvitation, OutboxMessage):
        assert _count(session, model, org.id) == 0, model


def test_unreadable_files_are_refused_as_a_whole(session, org):
    for data, code in ((b"", "import.empty"), (b"\x00\x01" * 100, "import.encoding_binary"),
                       (b'email,order_reference,purchased_at\n"a@x.com,1,2026-03-01\n',
                        "import.malformed")):
        report = import_purchases_csv(session, organization_id=org.id, data=data, now=T0)
        assert [e.code for e in report.errors] == [code]
    assert _count(session, Purchase, org.id) == 0


def test_render_takes_list_unsubscribe_headers_from_the_kind_context(session, org):
    from rxapp.mail.render import render_message
    from tests.factories import make_message

    msg = make_message(session, organization_id=org.id, now=T0, kind="password_reset",
                       context={"link": "https://x", "minutes": 5})
    email = render_message(
        msg, organization_name="Acme", sender="B <b@x.example>",
        extra_context={"headers": {"List-Unsubscribe": "<https://x/u/1>",
                                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                   "From": "evil@x.example"}},
    )
    assert email["List-Unsubscribe"] == "<https://x/u/1>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "evil" not in email["From"]
