"""Uploaded files kept on disk between the steps of an import (check, mapping, write).

The state keeps only the random id; the bytes never travel through the state (a
100,000-row file would be megabytes in every state sync). Files older than a day are
swept on the next save.
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from rxapp.settings import get_settings

_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_S = 24 * 3600


def _dir() -> Path:
    # In the app's data folder (not watched by hot reload, kept out of the code).
    try:
        base = get_settings().data_dir
    except Exception:  # noqa: BLE001 - settings unreadable: still import into a temp folder
        base = Path(tempfile.gettempdir())
    path = Path(base) / "uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(upload_id: str) -> Path | None:
    return _dir() / f"{upload_id}.bin" if _ID.match(upload_id or "") else None


def save(data: bytes) -> str:
    """Store ``data`` and return its id (32 hex characters)."""
    _sweep()
    upload_id = secrets.token_hex(16)
    path = _path(upload_id)
    assert path is not None
    path.write_bytes(data)
    return upload_id


def load(upload_id: str) -> bytes:
    """Return the stored bytes; empty when the id is unknown, malformed or swept."""
    path = _path(upload_id)
    try:
        return path.read_bytes() if path else b""
    except FileNotFoundError:
        return b""


def discard(upload_id: str) -> None:
    """Remove a stored file (nothing happens for an unknown id)."""
    path = _path(upload_id)
    if path:
        path.unlink(missing_ok=True)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_S
    for path in _dir().glob("*.bin"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
