"""Readable status log lines as view rows: words and local times (R-PLUS-4, R-MSG-5).

Shared by every page that shows a status log (interactions, team invitations, and
next meetings and reviews): the service says what happened, this turns it into text in
the viewer's language and the organization's zone, with the recipient's zone named
where it differs (a time that could be misread).
"""

from rxapp.i18n import translate
from rxapp.i18n.formats import format_day, format_short, zone_of
from rxapp.services.common.status_log import LogLine


def _title(line: LogLine, language: str, when: str, last: str) -> str:
    if not line.message:
        return translate(language, f"status.{line.state}")
    if line.message == "reminders":
        return translate(language, "log.msg.reminders", n=line.number, next=when, last=last)
    return translate(language, f"log.msg.{line.message}", number=line.number, of=line.of)


def _detail(line: LogLine, language: str) -> str:
    if line.state == "failed":
        return translate(language, f"log.fail.{line.reason or 'other'}",
                         detail=(line.detail or "")[:200])
    if line.state == "cancelled":
        return translate(language, f"log.cancel.{line.reason or 'other'}")
    if line.state == "retrying":
        return translate(language, "log.retrying")
    return ""


def log_rows(lines: list[LogLine], *, language: str, org_zone: str,
             recipient_zone: str | None = None) -> list[dict[str, str]]:
    """View rows of a readable log: ``kind`` (line, group, child), texts, times.

    Args:
        lines: From :func:`rxapp.services.common.status_log.readable_log`.
        language: The viewer's language.
        org_zone: Staff see times in the organization's zone.
        recipient_zone: The recipient's zone; when it differs, emails still to come show
            the time in that zone too (they go out in the recipient's send window).

    """
    staff = zone_of(org_zone)
    other = zone_of(recipient_zone, org_zone) if recipient_zone else staff
    differs = other.key != staff.key
    rows: list[dict[str, str]] = []

    def add(line: LogLine, kind: str) -> None:
        when = format_short(line.at, language, staff)
        if differs and line.state in ("scheduled", "retrying"):
            when += " · " + format_short(line.at, language, other, with_zone=True)
        last = format_day(line.last_at, language, staff) if line.last_at else ""
        rows.append({
            "kind": kind,
            "title": _title(line, language, when, last),
            "state": line.state,
            "state_label": translate(language, f"log.state.{line.state}"),
            "at": "" if kind == "group" else when,
            "detail": _detail(line, language),
        })

    for line in lines:
        if line.group:
            add(line, "group")
            for child in line.group:
                add(child, "child")
        else:
            add(line, "line")
    return rows
