"""One settings object for the whole app, read from the environment.

It imports nothing of ``rxapp`` so that every layer (and the standalone
scheduler process) can use it.
"""

import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Everything the app writes while it runs (database, secret, uploads, Reflex's state files)
# goes here, outside the code that development mode watches for changes.
DEFAULT_DATA_DIR = PROJECT_ROOT / ".beckon"


class Settings(BaseSettings):
    """Runtime configuration; every field maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # The one folder for run-time files; ignored by git and by hot reload.
    data_dir: Path = DEFAULT_DATA_DIR

    # Database: SQLite in the data folder by default, PostgreSQL through DATABASE_URL.
    database_url: str = ""

    # Where the app is reached by people opening links from emails.
    base_url: str = "http://localhost:3000"
    # Further origins (comma-separated) whose pages may open the event socket, post to the
    # backend and be redirected to; BASE_URL's origin is always allowed.
    allowed_origins: str = ""

    # SMTP relay; with no host, mail goes to the built-in mailbox.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_timeout_seconds: float = 30.0
    smtp_max_connections: int = 4
    mail_from: str = "Beckon <no-reply@beckon.example>"

    # Sessions and tokens.
    session_idle_minutes: int = 12 * 60
    session_max_days: int = 30
    password_reset_minutes: int = 60
    login_ticket_seconds: int = 60
    secure_cookies: bool = False

    # Scheduler.
    scheduler_enabled: bool = True
    scheduler_poll_seconds: float = 1.0
    scheduler_batch_size: int = 100
    scheduler_lease_seconds: int = 120
    # Child processes that render emails (0: threads of the sending process). Unset, the
    # in-app scheduler renders in threads and `python -m rxapp.scheduler` in one process.
    scheduler_render_processes: int | None = None

    # Demo data on an empty database.
    seed_demo: bool = True

    # Keys links that must be rebuilt later (copy link, remind now); empty: a file beside the app.
    secret_key: str = ""

    @model_validator(mode="after")
    def _database_in_data_dir(self) -> "Settings":
        # Default SQLite file (and its -wal/-shm companions) inside the data folder.
        self.data_dir = Path(self.data_dir).expanduser().absolute()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'beckon.db'}"
        return self

    @property
    def mailbox_mode(self) -> bool:
        """Whether mail goes to the built-in mailbox instead of an SMTP server."""
        return not self.smtp_host


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests clear the cache).

    The data folder is created here, before anything (SQLite, the secret file) needs it.
    """
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


SECRET_FILE_NAME = "secret"  # noqa: S105 - a file name, not a secret


def require_shared_secret(environ: dict[str, str] | None = None) -> None:
    """Refuse to start several app workers or hosts without one shared ``SECRET_KEY``.

    Without it each process would make (or race to make) its own secret file, and a link
    signed by one worker would be refused by the next.

    Args:
        environ: The environment (default: ``os.environ``).

    Raises:
        SystemExit: Redis (``REFLEX_REDIS_URL``) or ``GRANIAN_WORKERS`` > 1 is configured
            and ``SECRET_KEY`` is not.

    """
    env = os.environ if environ is None else environ
    if env.get("SECRET_KEY") or get_settings().secret_key:
        return
    try:
        workers = int(env.get("GRANIAN_WORKERS") or "1")
    except ValueError:
        workers = 1
    if env.get("REFLEX_REDIS_URL") or workers > 1:
        raise SystemExit(
            "SECRET_KEY must be set when Beckon runs on Redis or with several workers: "
            "every process must sign links with the same secret."
        )


@lru_cache
def get_secret_key() -> bytes:
    """Return the server secret: SECRET_KEY, else a random one kept in the data folder.

    The file is created once (exclusively, so concurrent processes agree) and never
    committed; a stolen database alone then cannot rebuild any link.
    """
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    secret_file = settings.data_dir / SECRET_FILE_NAME
    if secret_file.exists():
        return secret_file.read_text(encoding="utf-8").strip().encode("utf-8")
    # Written whole under a temporary name, then linked into place: the link fails if
    # another process won the race, and nobody ever reads a created-but-empty file.
    value = secrets.token_urlsafe(48)
    fd, tmp = tempfile.mkstemp(prefix=".secret-", dir=secret_file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(value)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, secret_file)
        except FileExistsError:
            return secret_file.read_text(encoding="utf-8").strip().encode("utf-8")
    finally:
        os.unlink(tmp)
    return value.encode("utf-8")
