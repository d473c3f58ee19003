"""Matching rules: which partners see which attendees (R-BM-5).

Rules are ordered; a partner sees the attendees of the first rule whose partner
conditions it meets, and nobody when no rule matches. Partner conditions are checked in
Python on one partner; attendee conditions become a SQL filter, so a list of 20,000
attendees is never loaded to be filtered.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, func, or_, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from rxapp.models.meetings import Attendee, Event, MatchingRule, Partner
from rxapp.services.common.errors import DomainError
from rxapp.services.common.tenancy import owned_row
from rxapp.services.meetings.events import get_event

OPS: tuple[str, ...] = ("equals", "in", "not_in", "is_set", "is_not_set")
ATTENDEE_RULE_FIELDS: tuple[str, ...] = ("registration_status", "has_account", "company",
                                         "job_title", "country", "language")
PARTNER_BUILTIN_FIELDS: tuple[str, ...] = ("type", "name")


@dataclass(frozen=True)
class RuleRow:
    """A rule with its preview counts (R-BM-5)."""

    id: int
    position: int
    name: str
    partner_conditions: tuple[dict[str, Any], ...]
    attendee_conditions: tuple[dict[str, Any], ...]
    partners: int  # partners for whom this rule is the first match
    attendees: int  # attendees the rule selects


def _clean(conditions: object, allowed: tuple[str, ...] | None) -> list[dict[str, Any]]:
    if not isinstance(conditions, list):
        raise DomainError("meetings.bad_condition", "conditions")
    out = []
    for cond in conditions:
        if not isinstance(cond, dict):
            raise DomainError("meetings.bad_condition", "conditions")
        field, op = str(cond.get("field", "")).strip(), str(cond.get("op", ""))
        values = cond.get("values") or []
        if isinstance(values, str):
            values = [v.strip() for v in values.split(",") if v.strip()]
        if not field or op not in OPS or (allowed is not None and field not in allowed):
            raise DomainError("meetings.bad_condition", "conditions")
        if not isinstance(values, list) or (op in ("equals", "in", "not_in") and not values):
            raise DomainError("meetings.condition_needs_values", "conditions")
        out.append({"field": field, "op": op, "values": [str(v)[:200] for v in values][:100]})
    return out


def _partner_value(partner: Partner, field: str) -> str:
    if field in PARTNER_BUILTIN_FIELDS:
        return str(getattr(partner, field) or "")
    return str((partner.fields or {}).get(field, "") or "")


def _holds(value: str, cond: dict[str, Any]) -> bool:
    op, values = cond["op"], [v.casefold() for v in cond["values"]]
    v = value.casefold()
    if op == "equals":
        return v == values[0]
    if op == "in":
        return v in values
    if op == "not_in":
        return v not in values
    if op == "is_set":
        return v != ""
    return v == ""


def partner_matches(partner: Partner, rule: MatchingRule) -> bool:
    """Whether the partner meets every partner condition of the rule."""
    return all(_holds(_partner_value(partner, c["field"]), c) for c in rule.partner_conditions)


def _bool_values(values: list[str]) -> list[bool]:
    return [v.strip().lower() in ("true", "1", "yes") for v in values]


def _attendee_clause(cond: dict[str, Any]) -> ColumnElement[bool]:
    field, op, values = cond["field"], cond["op"], cond["values"]
    column = getattr(Attendee, field)
    if field == "has_account":
        if op == "is_set":
            return true()
        if op == "is_not_set":
            return false()
        wanted = _bool_values(values)
        if op == "equals":
            return col(column).is_(wanted[0])
        if op == "in":
            return or_(*[col(column).is_(w) for w in set(wanted)])
        return and_(*[col(column).is_not(w) for w in set(wanted)])
    # Text fields: the stored case is compared as written; rules name values as imported.
    if op == "equals":
        return col(column) == values[0]
    if op == "in":
        return col(column).in_(values)
    if op == "not_in":
        return col(column).not_in(values)
    if op == "is_set":
        return col(column) != ""
    return col(column) == ""


def attendee_filter(rule: MatchingRule) -> ColumnElement[bool]:
    """The SQL condition selecting the rule's attendees."""
    clauses = [_attendee_clause(c) for c in rule.attendee_conditions]
    return and_(true(), *clauses)


def rules_of(session: Session, event_id: int) -> list[MatchingRule]:
    """An event's rules in order."""
    return list(session.exec(
        select(MatchingRule).where(MatchingRule.event_id == event_id)
        .order_by(col(MatchingRule.position), col(MatchingRule.id))
    ).all())


def rule_for_partner(session: Session, partner: Partner) -> MatchingRule | None:
    """The first rule whose partner side the partner meets, or None (nobody visible)."""
    for rule in rules_of(session, partner.event_id):
        if partner_matches(partner, rule):
            return rule
    return None


def visible_filter(session: Session, partner: Partner) -> ColumnElement[bool]:
    """SQL condition for the attendees a partner may see (false when no rule matches)."""
    rule = rule_for_partner(session, partner)
    if rule is None:
        return false()
    return and_(Attendee.event_id == partner.event_id, attendee_filter(rule))


def can_meet(session: Session, partner: Partner, attendee: Attendee) -> bool:
    """Whether the rules let this partner and this attendee meet."""
    if attendee.event_id != partner.event_id:
        return False
    found = session.exec(
        select(Attendee.id).where(Attendee.id == attendee.id, visible_filter(session, partner))
    ).first()
    return found is not None


def save_rule(
    session: Session,
    *,
    organization_id: int,
    event_id: object,
    name: str,
    partner_conditions: object,
    attendee_conditions: object,
    rule_id: object = None,
    position: int | None = None,
) -> MatchingRule:
    """Create a rule (at the end) or change one.

    Raises:
        DomainError: A condition with an unknown field or operator, or without values.
    """
    event = get_event(session, organization_id=organization_id, event_id=event_id)
    partner_side = _clean(partner_conditions, None)
    attendee_side = _clean(attendee_conditions, ATTENDEE_RULE_FIELDS)
    if rule_id is None:
        last = session.exec(select(func.max(MatchingRule.position))
                            .where(MatchingRule.event_id == event.id)).first()
        rule = MatchingRule(organization_id=organization_id, event_id=event.id or 0,
                            position=(last or 0) + 1 if position is None else position)
    else:
        rule = owned_row(session, MatchingRule, rule_id, organization_id=organization_id)
        if rule.event_id != event.id:
            raise DomainError("error.not_allowed")
        if position is not None:
            rule.position = position
    rule.name = (name or "").strip()[:200]
    rule.partner_conditions = partner_side
    rule.attendee_conditions = attendee_side
    session.add(rule)
    session.flush()
    return rule


def delete_rule(session: Session, *, organization_id: int, rule_id: object) -> None:
    """Delete a rule."""
    rule = owned_row(session, MatchingRule, rule_id, organization_id=organization_id)
    session.delete(rule)
    session.flush()


def move_rule(session: Session, *, organization_id: int, rule_id: object, up: bool) -> None:
    """Swap a rule with its neighbour above (``up``) or below."""
    rule = owned_row(session, MatchingRule, rule_id, organization_id=organization_id)
    rules = rules_of(session, rule.event_id)
    for i, r in enumerate(rules):
        r.position = i + 1
    idx = next(i for i, r in enumerate(rules) if r.id == rule.id)
    other = idx - 1 if up else idx + 1
    if 0 <= other < len(rules):
        rules[idx].position, rules[other].position = rules[other].position, rules[idx].position
    for r in rules:
        session.add(r)
    session.flush()


def preview_rules(session: Session, *, organization_id: int, event_id: object) -> list[RuleRow]:
    """Each rule with how many partners it governs and how many attendees it selects."""
    event: Event = get_event(session, organization_id=organization_id, event_id=event_id)
    rules = rules_of(session, event.id or 0)
    partners = session.exec(select(Partner).where(Partner.event_id == event.id)).all()
    governed = dict.fromkeys((r.id for r in rules), 0)
    for partner in partners:
        for rule in rules:
            if partner_matches(partner, rule):
                governed[rule.id] += 1
                break
    rows = []
    for rule in rules:
        count = session.exec(select(func.count()).select_from(Attendee).where(
            Attendee.event_id == event.id, attendee_filter(rule))).one()
        rows.append(RuleRow(id=rule.id or 0, position=rule.position, name=rule.name,
                            partner_conditions=tuple(rule.partner_conditions),
                            attendee_conditions=tuple(rule.attendee_conditions),
                            partners=governed[rule.id], attendees=int(count)))
    return rows
