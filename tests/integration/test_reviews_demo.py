"""The demo's review program: every invitation state, reviews, a working API key."""

from sqlmodel import Session, select

from rxapp.models.reviews import Review, ReviewInvitation
from rxapp.services.accounts.demo import seed_demo
from rxapp.services.reviews.api_keys import authenticate
from rxapp.services.reviews.demo import demo_api_key, seed_reviews_demo
from tests.conftest import T0


def test_r_acc_4_demo_has_purchases_in_every_state_and_an_api_key(sqlite_url):
    from rxapp import db

    with Session(db.get_engine(sqlite_url)) as s:
        assert seed_demo(s, now=T0)
        s.flush()
        from rxapp.models import Organization

        org = s.exec(select(Organization)).one()
        seed_reviews_demo(s, organization_id=org.id, now=T0)
        s.commit()
        states = {i.state for i in s.exec(select(ReviewInvitation)).all()}
        assert states == {"scheduled", "sent", "opened", "reviewed", "capped", "cancelled"}
        assert len(s.exec(select(Review)).all()) > 50
        assert authenticate(s, plaintext=demo_api_key(), scope="purchases", now=T0) == org.id
