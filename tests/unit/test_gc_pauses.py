"""The backend worker's collector tuning (rxapp.gc_pauses; the figures are bench-load's)."""

import gc

import pytest

from rxapp import gc_pauses


@pytest.fixture
def restore_collector():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_tuning_freezes_the_startup_heap_and_raises_the_young_threshold(restore_collector):
    gc.unfreeze()
    startup_object = ["made before the worker started"]  # a list: always tracked
    frozen = gc_pauses.tune_collector()
    assert frozen == gc.get_freeze_count() > 1000
    assert gc.get_threshold() == gc_pauses.THRESHOLDS
    assert gc.get_threshold()[0] > 700  # CPython's default made every event's garbage old
    # Frozen objects are out of every generation the collector walks.
    assert not any(o is startup_object for o in gc.get_objects())
    # Objects made afterwards are still collected, cycles included.
    cycle: list = []
    cycle.append(cycle)
    assert any(o is cycle for o in gc.get_objects())
    del cycle
    assert gc.collect() >= 1


async def test_every_backend_worker_tunes_its_collector_at_start(restore_collector):
    import rxapp.rxapp

    assert gc_pauses.calm_collector in rxapp.rxapp.app.get_lifespan_tasks()
    await gc_pauses.calm_collector()
    assert gc.get_threshold() == gc_pauses.THRESHOLDS
