"""`python -m rxapp.seed`: demo data on an empty database, credentials printed."""

import sys

from sqlmodel import select

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Organization
from rxapp.services.accounts.demo import DEMO_LOGINS, seed_demo
from rxapp.services.meetings.demo import seed_meetings_demo


def seed_feature_demos(session) -> None:  # noqa: ANN001
    """Each feature's demo data for the demo organization."""
    org = session.exec(select(Organization).where(Organization.slug == "demo")).one()
    seed_meetings_demo(session, organization_id=org.id, now=clock.now())


def main() -> int:
    """Seed the demo organization if the database is empty and print the logins."""
    with session_scope() as session:
        created = seed_demo(session, now=clock.now())
        if created:
            seed_feature_demos(session)
    lines = ["", "Beckon demo logins" + (" (created now)" if created else "") + ":"]
    lines += [f"  {d.role:<10} {d.email:<30} {d.password}" for d in DEMO_LOGINS]
    sys.stdout.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
