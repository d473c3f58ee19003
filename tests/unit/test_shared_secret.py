"""One secret for every worker: refuse to scale out without SECRET_KEY; write the file whole."""

import os
import threading

import pytest

from rxapp import settings as settings_module
from rxapp.settings import require_shared_secret


@pytest.fixture
def no_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings_module.get_settings.cache_clear()
    settings_module.get_secret_key.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()
    settings_module.get_secret_key.cache_clear()


def test_redis_or_several_workers_without_secret_key_refuse_to_start(no_secret):
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        require_shared_secret({"REFLEX_REDIS_URL": "redis://127.0.0.1:6379"})
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        require_shared_secret({"GRANIAN_WORKERS": "3"})
    require_shared_secret({})  # one worker, no Redis: the secret file is enough
    require_shared_secret({"GRANIAN_WORKERS": "3", "SECRET_KEY": "s" * 40})


def test_concurrent_workers_never_read_an_empty_secret_file(no_secret, monkeypatch):
    # Slow the write down, so a reader that finds the file mid-write would see it empty.
    real_fdopen = os.fdopen

    class SlowFile:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

        def write(self, text):
            threading.Event().wait(0.2)
            return self.fh.write(text)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: SlowFile(real_fdopen(*a, **k)))
    keys: list[bytes] = []

    def worker():
        keys.append(settings_module.get_secret_key.__wrapped__())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 4 and all(keys) and len(set(keys)) == 1
    assert (no_secret / "secret").read_text().encode() == keys[0]
    assert [p.name for p in no_secret.iterdir()] == ["secret"]  # no temporary left behind
