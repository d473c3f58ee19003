"""Run-time files live in one data folder, outside the code hot reload watches (issue 8)."""

import os
import subprocess
import sys
from pathlib import Path

from rxapp import settings as settings_module
from rxapp.settings import PROJECT_ROOT, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_database_defaults_to_the_data_folder(monkeypatch):
    monkeypatch.delenv("DATA_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    s = Settings(_env_file=None)
    assert s.data_dir == PROJECT_ROOT / ".beckon"
    assert s.database_url == f"sqlite:///{PROJECT_ROOT / '.beckon' / 'beckon.db'}"


def test_data_dir_from_the_environment_moves_database_and_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings_module.get_settings.cache_clear()
    settings_module.get_secret_key.cache_clear()
    try:
        s = settings_module.get_settings()
        assert s.database_url == f"sqlite:///{tmp_path / 'data' / 'beckon.db'}"
        key = settings_module.get_secret_key()
        assert (tmp_path / "data" / "secret").read_text().encode() == key
    finally:
        settings_module.get_settings.cache_clear()
        settings_module.get_secret_key.cache_clear()


def test_an_explicit_database_url_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings(_env_file=None).database_url == "postgresql+psycopg://u@h/db"


def test_hot_reload_watches_the_code_only(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REFLEX_") and k != "DATA_DIR"}
    env["DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", "import os, rxconfig; print(os.environ["
         "'REFLEX_HOT_RELOAD_OVERRIDE_PATHS']); print(os.environ['REFLEX_STATES_WORKDIR']);"
         "print(os.environ['REFLEX_UPLOADED_FILES_DIR'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    watched = out[0].split(os.pathsep)
    assert watched == [str(ROOT / "rxapp"), str(ROOT / "rxconfig.py")]
    assert out[1:] == [str(tmp_path / "states"), str(tmp_path / "uploads")]


def test_12_7_hsts_only_when_cookies_are_secure(monkeypatch):
    from rxapp.api.headers import security_headers
    from rxapp.settings import get_settings

    monkeypatch.setenv("SECURE_COOKIES", "false")
    get_settings.cache_clear()
    assert "Strict-Transport-Security" not in security_headers()
    monkeypatch.setenv("SECURE_COOKIES", "true")
    get_settings.cache_clear()
    try:
        assert security_headers()["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        get_settings.cache_clear()
