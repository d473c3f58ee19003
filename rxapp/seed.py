"""`python -m rxapp.seed`: migrate, put the demo on an empty database, print the logins.

Each feature seeds its own demo data (``services/<feature>/demo.py``) through its own
services; this module only orders them and owns the session.
"""

import sys
import time
from datetime import datetime

from sqlmodel import Session

from rxapp import clock, db
from rxapp.db import session_scope
from rxapp.services.accounts.demo import DEMO_LOGINS, demo_organization_id, seed_demo
from rxapp.services.interactions.demo import seed_interactions_demo
from rxapp.services.meetings.demo import seed_meetings_demo
from rxapp.services.reviews.demo import demo_api_key, demo_api_key_active, seed_reviews_demo
from rxapp.services.team.demo import seed_team_demo
from rxapp.settings import get_settings


def seed(session: Session, *, now: datetime) -> bool:
    """Create the demo organization on an empty database, then each feature's demo data.

    Every step is idempotent: a feature whose data is already there adds nothing, so
    running this again (or after a new feature arrives) never duplicates anything.

    Returns:
        True when the demo organization was created now.

    """
    created = seed_demo(session, now=now)
    organization_id = demo_organization_id(session)
    if organization_id is not None:
        seed_interactions_demo(session, organization_id=organization_id, now=now)
        seed_team_demo(session, organization_id=organization_id, now=now)
        seed_reviews_demo(session, organization_id=organization_id, now=now)
        seed_meetings_demo(session, organization_id=organization_id, now=now)
    session.flush()
    return created


def main() -> int:
    """Bring the schema to head, seed the demo once, print the logins."""
    db.upgrade()
    if not get_settings().seed_demo:
        return 0
    started = time.monotonic()
    with session_scope() as session:
        created = seed(session, now=clock.now())
        key_active = demo_api_key_active(session)
    note = f" (demo created in {time.monotonic() - started:.1f} s)" if created else ""
    lines = ["", f"Beckon demo logins{note}:"]
    lines += [f"  {d.role:<10} {d.email:<30} {d.password}" for d in DEMO_LOGINS]
    if key_active:
        # Derived from the server secret, so it can be printed on every start.
        lines.append(f"  {'API key':<10} {demo_api_key()}  (POST /api/v1/purchases)")
    sys.stdout.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
