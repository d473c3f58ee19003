"""What Reflex stores of a tab's state leaves the UI catalogue out (bench-load, Redis).

Reflex pickles ``vars(self)`` of every state on every event (Redis, or the state files),
and the computed ``t``/``t_one`` cache the whole catalogue of the tab's language there.
"""

import pickle

from rxapp.i18n import catalog
from rxapp.states.base import AppState
from tests.states import make_state


def test_the_stored_state_is_small_and_the_catalogue_comes_back(app_db):
    state = make_state(AppState, path="/")
    state.lang = "de"
    assert state.t == catalog("de") and state.t_one  # both cached on the instance now
    stored = pickle.dumps(state)
    assert len(stored) < 8_000, len(stored)  # it was ~54 KB with the catalogue inside
    loaded = pickle.loads(stored)  # noqa: S301 - our own bytes
    assert loaded.lang == "de"
    assert loaded.t == catalog("de")
    assert loaded.t_one == state.t_one


def test_a_loaded_state_does_not_resend_the_catalogue(app_db):
    state = make_state(AppState, path="/")
    _ = state.t, state.t_one
    loaded = pickle.loads(pickle.dumps(state))  # noqa: S301 - our own bytes
    loaded.user_name = "Ada"
    delta = next(iter(loaded.get_delta().values()))
    names = {key.removesuffix("_rx_state_") for key in delta}
    assert "user_name" in names
    assert not names & {"t", "t_one"}, names
