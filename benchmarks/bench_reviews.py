"""`make bench-reviews`: purchases through the API, and turning reminders off (issue 11).

1. 100,000 purchases posted to ``POST /api/v1/purchases`` in batches of 1,000 over real
   HTTP (uvicorn on a free loopback port, httpx client, API key), on SQLite, with
   reminders on, so each purchase writes a customer, a purchase, an invitation, two
   outbox rows and their status lines. Goal: >= 2,000 purchases/s.
2. Turning reminders off with 100,000 invitations' reminders queued: the single UPDATE
   (plus its status-log INSERT ... SELECT). Goal: < 1 s.

Prints ``purchases/s: <n>`` and ``cancel reminders: <seconds> s``.
"""

import os
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import uvicorn
from sqlalchemy import func
from sqlmodel import Session, select

from rxapp import db, routes
from rxapp.models import Organization
from rxapp.models.outbox import OutboxMessage
from rxapp.settings import get_settings

TOTAL = 100_000
BATCH = 1_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    """Run both measurements and print them."""
    folder = tempfile.mkdtemp(prefix="bench-reviews-")
    url = f"sqlite:///{folder}/bench.db"
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.upgrade(url)
    engine = db.get_engine(url)

    from rxapp.api import build_api
    from rxapp.services.reviews.api_keys import create_api_key
    from rxapp.services.reviews.rules import save_rules

    now = datetime.now(UTC)
    with Session(engine) as s:
        org = Organization(name="Bench shop", slug="bench-shop", modules=["reviews"])
        s.add(org)
        s.commit()
        org_id = org.id
        key = create_api_key(s, organization_id=org_id, name="bench", created_by=None, now=now)
        save_rules(s, organization_id=org_id, values={"reminders_enabled": True}, now=now)
        s.commit()

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_api(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    base = now - timedelta(days=1)
    headers = {"Authorization": f"Bearer {key.plaintext}"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as c:
        started = time.perf_counter()
        for first in range(0, TOTAL, BATCH):
            batch = [
                {
                    "order_reference": f"ORD-{n}",
                    "email": f"customer{n}@example.com",
                    "name": f"Customer {n}",
                    "language": "sv",
                    "purchased_at": (base + timedelta(seconds=n)).isoformat(),
                    "products": [{"sku": f"SKU-{n % 40}", "name": f"Product {n % 40}"}],
                }
                for n in range(first, first + BATCH)
            ]
            response = c.post(routes.API_PURCHASES, json={"purchases": batch})
            response.raise_for_status()
            assert response.json()["created"] == BATCH, response.text[:200]
        elapsed = time.perf_counter() - started
    server.should_exit = True
    thread.join(timeout=10)
    print(f"purchases/s: {TOTAL / elapsed:.0f}")

    with Session(engine) as s:
        queued = s.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "review_reminder", OutboxMessage.state == "scheduled")
        ).one()
        started = time.perf_counter()
        saved = save_rules(
            s, organization_id=org_id, values={"reminders_enabled": False}, now=now
        )
        s.commit()
        elapsed = time.perf_counter() - started
    assert saved.cancelled_reminders == queued == TOTAL, (saved.cancelled_reminders, queued)
    print(f"cancel reminders: {elapsed:.3f} s  ({saved.cancelled_reminders} reminders)")
    # Shared machines: the figures above mean little without the load they ran under.
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
