"""Purchases from a CSV file: every row checked, errors by line, repeats change nothing."""

from sqlmodel import select

from rxapp.models.reviews import Purchase
from rxapp.services.reviews.csv_import import import_csv, parse_csv
from tests.conftest import T0

GOOD = """email;name;language;order_reference;purchased_at;products
ann@example.com;Ann;sv;C-1;2026-03-01T10:00:00+01:00;KET-1:Kettle|MUG-2:Mug
bob@example.com;Bob;en;C-2;2026-03-01;
not-an-email;X;en;C-3;2026-03-01;
cem@example.com;Cem;xx;C-4;2026-03-01;
dan@example.com;Dan;en;C-5;yesterday;
"""


def test_csv_rows_checked_one_by_one_with_line_numbers():
    items, outcome = parse_csv(GOOD)
    assert [i.order_reference for i in items] == ["C-1", "C-2"]
    assert items[0].products == (("KET-1", "Kettle"), ("MUG-2", "Mug"))
    assert outcome.errors == [
        (4, "email", "reviews.email_invalid"),
        (5, "language", "reviews.language_invalid"),
        (6, "purchased_at", "reviews.time_invalid"),
    ]
    _, bad = parse_csv("name,order_reference\nx,y\n")
    assert bad.errors == [(1, "email", "reviews.csv_header")]


def test_csv_import_records_good_rows_and_repeats_change_nothing(session, org):
    first = import_csv(session, organization_id=org.id, text=GOOD, now=T0)
    session.commit()
    assert (first.created, first.duplicates, first.rows - first.valid) == (2, 0, 3)
    again = import_csv(session, organization_id=org.id, text=GOOD, now=T0)
    session.commit()
    assert (again.created, again.duplicates) == (0, 2)
    refs = session.exec(select(Purchase.order_reference).where(Purchase.organization_id == org.id))
    assert sorted(refs.all()) == ["C-1", "C-2"]


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
