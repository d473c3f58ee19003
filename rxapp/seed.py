"""`python -m rxapp.seed`: demo data on an empty database, credentials printed."""

import sys

from sqlmodel import select

from rxapp import clock
from rxapp.db import session_scope
from rxapp.models import Organization
from rxapp.services.accounts.demo import DEMO_LOGINS, seed_demo
from rxapp.services.reviews.demo import demo_api_key, demo_api_key_active, seed_reviews_demo


def main() -> int:
    """Seed the demo organization if the database is empty and print the logins."""
    with session_scope() as session:
        created = seed_demo(session, now=clock.now())
        if created:
            org_id = session.exec(select(Organization.id).where(Organization.slug == "demo")).one()
            seed_reviews_demo(session, organization_id=org_id, now=clock.now())
    with session_scope() as session:
        key_active = demo_api_key_active(session)
    lines = ["", "Beckon demo logins" + (" (created now)" if created else "") + ":"]
    lines += [f"  {d.role:<10} {d.email:<30} {d.password}" for d in DEMO_LOGINS]
    if key_active:
        lines.append(f"  {'API key':<10} {demo_api_key()}  (POST /api/v1/purchases)")
    sys.stdout.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
