"""`python -m rxapp.seed`: demo data on an empty database, credentials printed."""

import sys

from rxapp import clock
from rxapp.db import session_scope
from rxapp.services.accounts.demo import DEMO_LOGINS, seed_demo


def main() -> int:
    """Seed the demo organization if the database is empty and print the logins."""
    with session_scope() as session:
        created = seed_demo(session, now=clock.now())
    lines = ["", "Beckon demo logins" + (" (created now)" if created else "") + ":"]
    lines += [f"  {d.role:<10} {d.email:<30} {d.password}" for d in DEMO_LOGINS]
    sys.stdout.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
