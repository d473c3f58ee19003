"""`python -m rxapp.seed`: migrate, put the demo on an empty database, print the logins."""

import sys
import time

from rxapp import clock, db
from rxapp.db import session_scope
from rxapp.services.accounts.demo import DEMO_LOGINS, seed_demo
from rxapp.settings import get_settings


def main() -> int:
    """Bring the schema to head, seed the demo organization once, print the logins."""
    db.upgrade()
    started = time.monotonic()
    with session_scope() as session:
        created = seed_demo(session, now=clock.now()) if get_settings().seed_demo else False
    took = f" in {time.monotonic() - started:.1f} s" if created else ""
    lines = ["", f"Beckon demo logins{' (demo created' + took + ')' if created else ''}:"]
    lines += [f"  {d.role:<10} {d.email:<30} {d.password}" for d in DEMO_LOGINS]
    sys.stdout.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
