"""Questionnaires shipped as data and loaded into the database (R-INT-8, R-INT-9)."""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from rxapp.models.participants import Question, Questionnaire

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_KEY = "default"


@lru_cache
def load_questionnaire_data(name: str = "questionnaire_default.json") -> dict[str, Any]:
    """Return a shipped questionnaire definition from rxapp/data."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def ensure_default_questionnaire(session: Session) -> Questionnaire:
    """Return the default questionnaire, loading it from its JSON file the first time.

    Idempotent: a second call finds the row by its key and adds nothing.

    Args:
        session: The caller's session; rows are flushed, not committed.

    Returns:
        The default questionnaire.

    """
    existing = session.exec(select(Questionnaire).where(Questionnaire.key == DEFAULT_KEY)).first()
    if existing is not None:
        return existing
    data = load_questionnaire_data()
    questionnaire = Questionnaire(
        key=data["key"],
        titles=data["titles"],
        dimensions={"labels": data["dimensions"], "scale": data["scale"]},
    )
    session.add(questionnaire)
    session.flush()
    for position, item in enumerate(data["questions"], start=1):
        session.add(
            Question(
                questionnaire_id=questionnaire.id,
                dimension=item["dimension"],
                position=position,
                texts=item["texts"],
            )
        )
    session.flush()
    return questionnaire


def questions_of(session: Session, *, questionnaire_id: int) -> list[Question]:
    """Return a questionnaire's questions in order."""
    return list(
        session.exec(
            select(Question)
            .where(Question.questionnaire_id == questionnaire_id)
            .order_by(col(Question.position))
        ).all()
    )
