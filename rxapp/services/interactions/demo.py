"""Demo participants and interactions that show the feature at once (R-ACC-4).

Sixty participants in four languages: a dozen with completed interactions and scores
(the dashboard, chart, report and export have real data), some invited, some half-way,
the rest never invited. Everything is made through the feature's own services, at
times before ``now``, so states, status logs and queued emails are what real use
leaves behind.
"""

import logging
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from rxapp.models.participants import Participant
from rxapp.services.interactions.answers import complete_interaction, record_answer
from rxapp.services.interactions.lifecycle import create_interaction
from rxapp.services.interactions.participants import add_participant
from rxapp.services.interactions.questionnaires import ensure_default_questionnaire, questions_of

logger = logging.getLogger(__name__)

EMAIL_DOMAIN = "demo-participants.example"

# Fifteen people per language; the list is interleaved so every state has all four.
_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("Oliver", "Bennett"), ("Amelia", "Clarke"), ("Harry", "Fletcher"), ("Isla", "Hughes"),
        ("Jack", "Morgan"), ("Grace", "Turner"), ("Noah", "Walsh"), ("Freya", "Collins"),
        ("Leo", "Harper"), ("Ruby", "Sutton"), ("Oscar", "Price"), ("Evie", "Marsh"),
        ("George", "Lawson"), ("Poppy", "Reid"), ("Alfie", "Dawson"),
    ),
    "de": (
        ("Lukas", "Becker"), ("Mia", "Hoffmann"), ("Jonas", "Wagner"), ("Lena", "Schulz"),
        ("Felix", "Krüger"), ("Hannah", "Wolf"), ("Paul", "Neumann"), ("Emma", "Schwarz"),
        ("Leon", "Zimmermann"), ("Sophie", "Braun"), ("Maximilian", "Hartmann"),
        ("Marie", "Lange"), ("Elias", "Vogel"), ("Johanna", "Fuchs"), ("Tim", "Weiß"),
    ),
    "fr": (
        ("Lucas", "Martin"), ("Chloé", "Bernard"), ("Hugo", "Petit"), ("Camille", "Laurent"),
        ("Louis", "Moreau"), ("Manon", "Girard"), ("Gabriel", "Fontaine"),
        ("Inès", "Rousseau"), ("Arthur", "Lefèvre"), ("Zoé", "Mercier"),
        ("Jules", "Chevalier"), ("Alice", "Gauthier"), ("Nathan", "Perrin"),
        ("Louise", "Bonnet"), ("Théo", "Lambert"),
    ),
    "sv": (
        ("Erik", "Lindberg"), ("Elsa", "Johansson"), ("William", "Nyström"), ("Maja", "Sjöberg"),
        ("Oskar", "Bergström"), ("Ebba", "Lundqvist"), ("Axel", "Holm"), ("Saga", "Engström"),
        ("Ludvig", "Åkesson"), ("Wilma", "Dahl"), ("Nils", "Forsberg"), ("Astrid", "Wikström"),
        ("Gustav", "Sandberg"), ("Ingrid", "Hedlund"), ("Viktor", "Ek"),
    ),
}
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "sv")

# How the sixty are spread (in list order): completed, half-way, invited, the rest new.
COMPLETED = 12
IN_PROGRESS = 8
INVITED = 12
# Of those, the few whose emails are due at once, so the mailbox has something to show.
REPORTS_EMAILED = 4  # completed ones with "send the report" on
REMINDED = 3  # half-way ones with weekly reminders on (the first is already due)
AUTO_INVITED = 3  # invited ones whose invitation email is due


@dataclass(frozen=True)
class InteractionsDemo:
    """What the interactions demo created (all zero when it was there already)."""

    participants: int = 0
    completed: int = 0
    in_progress: int = 0
    invited: int = 0


def _email_of(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace("ß", "ss").replace(" ", "")
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_local}@{EMAIL_DOMAIN}"


def demo_people() -> list[tuple[str, str, str]]:
    """The sixty demo people as (first name, last name, language), languages interleaved."""
    people = []
    for i in range(len(_NAMES["en"])):
        for lang in LANGUAGES:
            first, last = _NAMES[lang][i]
            people.append((first, last, lang))
    return people


def _answer_all(
    session: Session, *, organization_id: int, interaction_id: int, question_ids: list[int],
    count: int, rng: random.Random, start: datetime,
) -> None:
    # Each person leans one way, so the chart differs from one dashboard to the next.
    lean = rng.choice((2, 3, 3, 4, 4, 5))
    for n, question_id in enumerate(question_ids[:count]):
        value = max(1, min(5, lean + rng.choice((-1, 0, 0, 1))))
        record_answer(session, organization_id=organization_id, interaction_id=interaction_id,
                      question_id=question_id, value=value, now=start + timedelta(minutes=n))


def seed_interactions_demo(
    session: Session, *, organization_id: int, now: datetime
) -> InteractionsDemo:
    """Add the demo participants and their interactions, unless the organization has any.

    Args:
        session: The caller's session; nothing is committed here.
        organization_id: The demo organization.
        now: Current time (aware); everything made happened before it.

    Returns:
        Counts of what was created (zeros when participants already existed).

    """
    existing = session.exec(
        select(func.count()).select_from(Participant)
        .where(Participant.organization_id == organization_id)
    ).one()
    if existing:
        return InteractionsDemo()
    rng = random.Random(8)  # the same demo on every machine
    question_ids = [
        q.id or 0 for q in questions_of(session, questionnaire_id=ensure_default_questionnaire(
            session).id or 0)
    ]
    counts = {"completed": 0, "in_progress": 0, "invited": 0}
    people = demo_people()
    for i, (first, last, lang) in enumerate(people):
        joined = now - timedelta(days=60 - i // 2, hours=i % 7)
        participant = add_participant(
            session, organization_id=organization_id, first_name=first, last_name=last,
            email=_email_of(first, last), language=lang, now=joined,
        )
        pid = participant.id or 0
        if i < COMPLETED:
            created = now - timedelta(days=40 - 2 * i, hours=3)
            made = create_interaction(
                session, organization_id=organization_id, participant_id=pid, now=created,
                auto_invite=False, reminders_on=False, send_report=i < REPORTS_EMAILED,
            )
            answered_at = created + timedelta(days=1 + i % 3)
            _answer_all(session, organization_id=organization_id,
                        interaction_id=made.interaction_id, question_ids=question_ids,
                        count=len(question_ids), rng=rng, start=answered_at)
            complete_interaction(session, organization_id=organization_id,
                                 interaction_id=made.interaction_id,
                                 now=answered_at + timedelta(minutes=len(question_ids) + 2))
            counts["completed"] += 1
        elif i < COMPLETED + IN_PROGRESS:
            k = i - COMPLETED
            created = now - timedelta(days=12 - k, hours=2)
            made = create_interaction(
                session, organization_id=organization_id, participant_id=pid, now=created,
                auto_invite=False, reminders_on=k < REMINDED, send_report=True,
            )
            _answer_all(session, organization_id=organization_id,
                        interaction_id=made.interaction_id, question_ids=question_ids,
                        count=2 + k, rng=rng, start=created + timedelta(hours=5))
            counts["in_progress"] += 1
        elif i < COMPLETED + IN_PROGRESS + INVITED:
            k = i - COMPLETED - IN_PROGRESS
            create_interaction(
                session, organization_id=organization_id, participant_id=pid,
                now=now - timedelta(days=6 - k // 2, hours=1), auto_invite=k < AUTO_INVITED,
                reminders_on=False, send_report=True,
            )
            counts["invited"] += 1
    session.flush()
    logger.info("interactions demo", extra={"organization_id": organization_id, **counts})
    return InteractionsDemo(participants=len(people), **counts)
