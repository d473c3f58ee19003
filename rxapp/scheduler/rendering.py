"""Rendering claimed messages into emails ready for the wire, in a thread or a process.

Rendering (templates, MIME building, flattening, report PDFs) is most of a send's CPU.
In a thread it stays off the event loop but shares the interpreter lock with the SMTP
conversations; a dedicated scheduler process (``make worker``) can render in child
processes instead (``SCHEDULER_RENDER_PROCESSES``), so sending and rendering use two
cores. Either way the send-time values come from the kind table with the renderer's own
session and the worker's clock.
"""

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from rxapp.mail.render import render_message
from rxapp.mail.transport import PreparedEmail, prepare_email
from rxapp.models.outbox import OutboxMessage
from rxapp.scheduler import kinds
from rxapp.scheduler.claims import detached_messages

logger = logging.getLogger(__name__)


@dataclass
class RenderItem:
    """What rendering one message needs besides the database.

    Attributes:
        message: The claimed outbox row.
        organization_name: Shown as the From display name and in the layout.
        reply_to: The organization's contact address ("" for none).

    """

    message: OutboxMessage
    organization_name: str
    reply_to: str = ""


# (the email, or None with the reason it could not be rendered)
Rendered = tuple[PreparedEmail | None, str]


def render_items(
    engine: Engine, items: Sequence[RenderItem], now: datetime, sender: str
) -> list[Rendered]:
    """Render and flatten messages with one session of their own.

    Args:
        engine: Database engine (send-time values such as report PDFs read it).
        items: The messages with their sender details.
        now: The worker's clock.
        sender: The From address (``MAIL_FROM``).

    Returns:
        One ``(email, "")`` or ``(None, reason)`` per item, in order.

    """
    out: list[Rendered] = []
    with Session(engine, expire_on_commit=False) as session:
        for item in items:
            message = item.message
            try:
                context, attachments = kinds.send_time_parts(session, message, now)
                email = render_message(
                    message,
                    organization_name=item.organization_name,
                    sender=sender,
                    now=now,
                    extra_context=context,
                    attachments=attachments,
                    reply_to=item.reply_to,
                )
                out.append((prepare_email(email, [message.recipient]), ""))
            except Exception as exc:
                # A template bug or a missing kind never fixes itself by waiting.
                logger.exception("render failed", extra={"outbox_id": message.id})
                session.rollback()  # a database error must not spoil the next message
                out.append((None, f"render error: {type(exc).__name__}: {exc}"))
    return out


def render_in_child(
    database_url: str, rows: list[tuple[dict[str, Any], str, str]], now: datetime, sender: str
) -> list[Rendered]:
    """Entry point of a render process: rebuild the rows, render, keep only the wire form.

    Args:
        database_url: The worker's database (each process keeps one engine for it).
        rows: ``(outbox row values, organization name, reply-to)`` per message.
        now: The worker's clock.
        sender: The From address.

    Returns:
        As :func:`render_items`; an email that has its wire form travels without its
        parsed tree (pickling it back would cost the parent what the child saved).

    """
    from rxapp.db import get_engine

    messages = detached_messages([values for values, _name, _reply in rows])
    items = [
        RenderItem(message, name, reply)
        for message, (_values, name, reply) in zip(messages, rows, strict=True)
    ]
    rendered = render_items(get_engine(database_url), items, now, sender)
    return [
        (PreparedEmail(None, email.wire) if email is not None and email.wire else email, error)
        for email, error in rendered
    ]


def child_payload(items: Sequence[RenderItem]) -> list[tuple[dict[str, Any], str, str]]:
    """The picklable form of ``items`` for :func:`render_in_child`."""
    return [(item.message.model_dump(), item.organization_name, item.reply_to) for item in items]


def _watch_parent(parent_pid: int) -> None:
    """Render process start: exit as soon as the scheduler that started it is gone.

    A scheduler killed outright (SIGKILL, out of memory) cannot shut its pool down; the
    orphaned render process would otherwise live on, holding memory and a database engine.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def warm_up() -> bool:
    """Run in a new render process: import what rendering needs before the first batch."""
    import rxapp.mail.render  # noqa: F401
    import rxapp.scheduler.kinds  # noqa: F401

    return True


class Renderer:
    """Renders claimed messages off the event loop, in threads or child processes.

    Args:
        engine: Database engine.
        sender: The From address (``MAIL_FROM``).
        processes: Child processes that render; 0 renders in two threads of this process.

    """

    def __init__(self, engine: Engine, *, sender: str, processes: int = 0) -> None:
        self.engine = engine
        self.sender = sender
        self.processes = processes
        self._database_url = engine.url.render_as_string(hide_password=False)
        self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="outbox-render")
        self._pool = self._new_pool() if processes else None

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the app process runs threads, and a forked copy of their locks
        # could deadlock the child.
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_watch_parent,
            initargs=(os.getpid(),),
        )

    async def warm_up(self) -> None:
        """Start the render processes now rather than on the first batch."""
        if self._pool is not None:
            loop = asyncio.get_running_loop()
            await asyncio.gather(
                *(loop.run_in_executor(self._pool, warm_up) for _ in range(self.processes))
            )

    async def render(self, items: Sequence[RenderItem], now: datetime) -> list[Rendered]:
        """Render ``items`` (see :func:`render_items`), in a child process when there is one."""
        loop = asyncio.get_running_loop()
        if self._pool is not None:
            try:
                return await loop.run_in_executor(
                    self._pool,
                    render_in_child,
                    self._database_url,
                    child_payload(items),
                    now,
                    self.sender,
                )
            except BrokenProcessPool:
                # A render process died (killed, out of memory): start a new pool and
                # render these here, so the claimed messages still go out.
                logger.exception("render process died; restarting it")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
        return await loop.run_in_executor(
            self._threads, render_items, self.engine, items, now, self.sender
        )

    def close(self) -> None:
        """Stop the render threads and processes."""
        self._threads.shutdown(wait=True)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
