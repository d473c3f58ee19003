"""Issue 13, at the level the hostile test found each hole: a raw socket.io client and an
HTTP client against the running backend (its real middleware stack, its own database)."""

import statistics
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import socketio
from sqlmodel import Session, func, select

from rxapp import db, routes
from rxapp.models import Participant
from rxapp.models.accounts import Role
from rxapp.states.accounts.auth import LoginState
from rxapp.states.interactions.overview import ParticipantsState
from rxapp.states.interactions.participant_import import ParticipantImportState
from tests.factories import PASSWORD, make_org, make_user
from tests.live import LiveBackend, Tab, handler_name, start_backend
from tests.states import TEST_BROWSER_ID, signed_in_token

CSV = b"first_name,last_name,email,language\nEve,Intruder,eve@example.com,en\n"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    yield from start_backend(tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="module")
def world(backend: LiveBackend) -> dict:
    """Two organizations, each with an admin, and a session cookie for each admin."""
    with Session(db.get_engine(backend.database_url), expire_on_commit=False) as s:
        alpha, beta = make_org(s, name="Alpha"), make_org(s, name="Beta")
        alpha_admin = make_user(s, alpha, role=Role.ADMIN.value)
        beta_admin = make_user(s, beta, role=Role.ADMIN.value)
        now = alpha.created_at
        return {
            "alpha": alpha.id,
            "beta": beta.id,
            "alpha_admin": alpha_admin,
            "alpha_cookie": signed_in_token(s, alpha_admin.id, now),
            "beta_cookie": signed_in_token(s, beta_admin.id, now),
        }


def _participants(backend: LiveBackend, org_id: int) -> int:
    with Session(db.get_engine(backend.database_url)) as s:
        return s.exec(
            select(func.count()).select_from(Participant)
            .where(Participant.organization_id == org_id)
        ).one()


def _cookie(session_token: str | None = None, browser: str | None = TEST_BROWSER_ID) -> str:
    parts = []
    if session_token:
        parts.append(f"{routes.SESSION_COOKIE}={session_token}")
    if browser:
        parts.append(f"{routes.BROWSER_COOKIE}={browser}")
    return "; ".join(parts)


def _other_port(backend: LiveBackend) -> str:
    port = int(backend.url.rsplit(":", 1)[1])
    return f"http://localhost:{port + 1}"


# --- 13.2: the event socket and state-changing requests check Origin ------------------


def test_13_2_event_socket_refuses_other_origins(backend, world):
    for origin in (_other_port(backend), backend.url.replace("localhost", "127.0.0.1"), ""):
        with pytest.raises(socketio.exceptions.ConnectionError):
            Tab(backend, cookie=_cookie(world["alpha_cookie"]), origin=origin)
    # The long-polling transport is refused the same way.
    polled = httpx.get(
        f"{backend.url}/_event/?EIO=4&transport=polling",
        headers={"Origin": _other_port(backend)},
    )
    assert polled.status_code == 403
    # The app's own origin still works: the organizer's tab reads its participants.
    tab = Tab(backend, cookie=_cookie(world["alpha_cookie"]))
    try:
        updates = tab.call(handler_name(ParticipantsState, "load"), path="/participants")
        assert Tab.delta_value(updates, "total") == 0
    finally:
        tab.close()


def test_13_2_other_origins_cannot_read_api_answers(backend, world):
    headers = {"Cookie": _cookie(world["alpha_cookie"]), "Origin": _other_port(backend)}
    answer = httpx.get(backend.url + "/api/export/results.csv", headers=headers)
    allowed = answer.headers.get("access-control-allow-origin")
    assert allowed not in (_other_port(backend), "*")
    headers["Origin"] = backend.url
    answer = httpx.get(backend.url + "/api/export/results.csv", headers=headers)
    assert answer.headers.get("access-control-allow-origin") == backend.url


def test_13_2_state_changing_http_needs_our_origin(backend, world):
    for origin in (_other_port(backend), None):
        headers = {"Cookie": _cookie(world["alpha_cookie"])}
        if origin:
            headers["Origin"] = origin
        answer = httpx.post(f"{backend.url}{routes.UPLOAD}", headers=headers)
        assert answer.status_code == 403
        assert answer.text == "Forbidden origin"


# --- 13.1: an upload is authorized by its own cookie, not the tab's socket ---------------


def _upload(backend: LiveBackend, *, client_token: str, cookie: str | None) -> httpx.Response:
    headers = {
        "Origin": backend.url,
        "reflex-client-token": client_token,
        "reflex-event-handler": handler_name(ParticipantImportState, "receive_csv"),
    }
    if cookie:
        headers["Cookie"] = cookie
    return httpx.post(
        f"{backend.url}{routes.UPLOAD}", headers=headers,
        files={"files": ("p.csv", CSV, "text/csv")}, timeout=30,
    )


def test_13_1_upload_with_only_a_tab_token_is_refused(backend, world):
    victim = Tab(backend, cookie=_cookie(world["alpha_cookie"]))
    try:
        victim.call(handler_name(ParticipantsState, "load"), path="/participants")
        before = _participants(backend, world["alpha"])
        # No cookie at all, only the victim tab's token (as leaked from a proxy log).
        answer = _upload(backend, client_token=victim.token, cookie=None)
        assert answer.status_code == 403
        # Another organization's admin, with the victim's token: acts as themself at most.
        _upload(backend, client_token=victim.token, cookie=_cookie(world["beta_cookie"]))
        time.sleep(2)
        assert _participants(backend, world["alpha"]) == before
        # The victim's own upload, with the victim's cookie, works: the route is real.
        answer = _upload(backend, client_token=victim.token, cookie=_cookie(world["alpha_cookie"]))
        assert answer.status_code == 200, answer.text
        deadline = time.monotonic() + 20
        while _participants(backend, world["alpha"]) == before and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _participants(backend, world["alpha"]) == before + 1
    finally:
        victim.close()


def test_13_1_a_leaked_tab_token_is_useless_in_another_browser(backend, world):
    mine = _cookie(world["alpha_cookie"], browser="victim-browser-0123456789")
    victim = Tab(backend, cookie=mine)
    try:
        victim.call(handler_name(ParticipantsState, "load"), path="/participants")
        # The token, read from a proxy log, in another browser or in none: no socket...
        for cookie in (_cookie(world["beta_cookie"], browser="thief-browser-0123456789"),
                       _cookie(browser=None), ""):
            with pytest.raises(socketio.exceptions.ConnectionError):
                Tab(backend, cookie=cookie, token=victim.token)
        # ...and no upload, even with a valid session of the thief's own.
        thief = _cookie(world["beta_cookie"], browser="thief-browser-0123456789")
        assert _upload(backend, client_token=victim.token, cookie=thief).status_code == 403
    finally:
        victim.close()
    # The victim's own browser reconnects with its token (a reload) as before.
    again = Tab(backend, cookie=mine, token=victim.token)
    again.close()


# --- 13.13: the sign-in ticket works only in the browser that signed in ----------------


def _sign_in(backend: LiveBackend, email: str, browser: str) -> str:
    tab = Tab(backend, cookie=_cookie(browser=browser))
    try:
        updates = tab.call(
            handler_name(LoginState, "submit"),
            {"form": {"email": email, "password": PASSWORD}},
            path=routes.LOGIN,
        )
    finally:
        tab.close()
    (script,) = Tab.scripts(updates)
    return script.split('"')[1]


def _claim(url: str, browser: str | None) -> httpx.Response:
    cookie = f"{routes.BROWSER_COOKIE}={browser}" if browser else ""
    return httpx.get(url, headers={"Cookie": cookie} if cookie else {}, follow_redirects=False)


def test_13_13_sign_in_ticket_is_bound_to_the_browser(backend, world):
    email = world["alpha_admin"].email
    mine, theirs = "mine-" + uuid.uuid4().hex, "theirs-" + uuid.uuid4().hex
    # The attacker signs in, then sends the claim link to the victim's browser.
    url = _sign_in(backend, email, theirs)
    for browser in (mine, None):
        answer = _claim(url, browser)
        assert answer.status_code == 303
        assert routes.SESSION_COOKIE not in answer.headers.get("set-cookie", "")
        assert answer.headers["location"].endswith(routes.LOGIN)
    # In the browser that signed in, the (next) ticket works.
    answer = _claim(_sign_in(backend, email, mine), mine)
    assert f"{routes.SESSION_COOKIE}=" in answer.headers["set-cookie"]


# --- 13.12: redirects stay on the configured origin, port included -------------------


def test_13_12_redirects_compare_scheme_host_and_port(backend):
    bad = (
        "http://127.0.0.1:3000/x",
        _other_port(backend) + "/x",
        backend.url.replace("http:", "https:") + "/x",
        "//evil.example/x",
        "javascript:alert(1)",
    )
    for path in (routes.API_SESSION_END, routes.API_SESSION_CLAIM, routes.API_SESSION_BROWSER):
        for target in bad:
            answer = httpx.get(f"{backend.url}{path}", params={"next": target})
            assert answer.status_code == 303
            assert answer.headers["location"] in (backend.url + "/", backend.url + routes.LOGIN)
        good = f"{backend.url}{routes.LOGIN}?out=1"
        answer = httpx.get(f"{backend.url}{routes.API_SESSION_END}", params={"next": good})
        assert answer.headers["location"] == good


# --- 13.14: CSP and frame protection on every response ---------------------------------


def test_13_14_every_route_answers_with_security_headers(backend, world):
    from rxapp.api import build_api

    paths = {r.path.replace("{interaction_id:int}", "1") for r in build_api().routes}
    paths |= {"/ping", "/_health", "/no-such-page", routes.EVENT_SOCKET + "/"}
    assert len(paths) >= 9
    answers = [httpx.get(backend.url + p, headers={"Origin": backend.url}) for p in paths]
    answers.append(httpx.post(backend.url + routes.UPLOAD, headers={"Origin": backend.url}))
    for answer in answers:
        csp = answer.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, (answer.url, answer.headers)
        assert answer.headers.get("x-frame-options") == "DENY", answer.url
        assert answer.headers.get("x-content-type-options") == "nosniff", answer.url


def test_12_7_token_paths_send_no_referrer_and_ask_not_to_be_indexed(backend, world):
    for prefix in routes.TOKEN_PATH_PREFIXES:
        answer = httpx.get(backend.url + prefix + "some-token", headers={"Origin": backend.url})
        assert answer.headers.get("referrer-policy") == "no-referrer", (prefix, answer.headers)
        assert "noindex" in answer.headers.get("x-robots-tag", ""), prefix
        assert "frame-ancestors 'none'" in answer.headers.get("content-security-policy", "")
    plain = httpx.get(backend.url + routes.API_HEALTH)
    assert plain.headers.get("referrer-policy") == "same-origin"
    assert "x-robots-tag" not in plain.headers


# --- 13.10: out-of-range ids are "not found", not a server error ----------------------


def test_13_10_huge_ids_are_not_found(backend, world):
    cookie = _cookie(world["alpha_cookie"])
    for path in ("/api/interactions/99999999999999999999/qr.svg",
                 "/api/interactions/99999999999999999999/report.pdf",
                 "/api/interactions/9223372036854775808/qr.svg"):
        answer = httpx.get(backend.url + path, headers={"Cookie": cookie})
        assert answer.status_code == 404, (path, answer.status_code)


# --- 13.4: a sign-in flood neither stalls the server nor goes on unthrottled ------------


def _health_latencies(backend: LiveBackend, stop: threading.Event) -> list[float]:
    seen: list[float] = []
    with httpx.Client() as client:
        while not stop.is_set():
            start = time.perf_counter()
            client.get(backend.url + routes.API_HEALTH, timeout=10)
            seen.append(time.perf_counter() - start)
            time.sleep(0.05)
    return seen


def test_13_4_sign_in_flood_keeps_the_server_responsive(backend, world):
    baseline_stop = threading.Event()
    timer = threading.Timer(1.5, baseline_stop.set)
    timer.start()
    baseline = statistics.median(_health_latencies(backend, baseline_stop))

    answers: list[str] = []

    def flood() -> None:
        tab = Tab(backend, cookie=_cookie(browser="flood-" + uuid.uuid4().hex))
        try:
            for i in range(20):
                password = ("x" * 1000) if i % 2 else ("y" * 200)
                updates = tab.call(
                    handler_name(LoginState, "submit"),
                    {"form": {"email": f"nobody-{uuid.uuid4().hex}@example.com",
                              "password": password}},
                    path=routes.LOGIN, idle=0.05,
                )
                answers.append(str(Tab.delta_value(updates, "form_error")))
        finally:
            tab.close()

    stop = threading.Event()
    result: list[list[float]] = []
    watcher = threading.Thread(target=lambda: result.append(_health_latencies(backend, stop)))
    watcher.start()
    floods = [threading.Thread(target=flood) for _ in range(4)]
    for t in floods:
        t.start()
    for t in floods:
        t.join(timeout=120)
    stop.set()
    watcher.join()
    latencies = sorted(result[0])
    p90 = latencies[int(len(latencies) * 0.9)]
    print(f"[13.4] health: baseline median {baseline * 1000:.1f} ms, during the flood "
          f"median {statistics.median(latencies) * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms")
    assert statistics.median(latencies) < baseline + 0.1
    assert p90 < baseline + 0.3
    # From one network address, 80 failures in a row end in the throttle's pause.
    assert "login.paused" in answers


# --- 13.7: a CSV export cannot become a formula, whatever the separator ----------------


def test_13_7_results_csv_is_safe_for_any_separator(backend, world):
    import csv
    import io

    from rxapp.models import Organization
    from tests.integration.test_reports import _completed

    with Session(db.get_engine(backend.database_url), expire_on_commit=False) as s:
        org = s.get(Organization, world["alpha"])
        _completed(s, org, values=(4,), first_name="Bob;=1+1", last_name="Lee,@SUM(A1)",
                   email="bob@example.com")
        _completed(s, org, values=(3,), first_name=" -2+3", last_name="Pipe|=cmd|x",
                   email="tab@example.com")
        s.commit()
    answer = httpx.get(backend.url + "/api/export/results.csv",
                       headers={"Cookie": _cookie(world["alpha_cookie"])})
    assert answer.status_code == 200
    text = answer.content.decode("utf-8-sig")
    assert "Bob" in text and "Pipe" in text
    starts = ("=", "+", "-", "@")
    for line in text.splitlines():
        # Every cell is quoted...
        assert line.startswith('"') and line.endswith('"'), line
        # ...and a spreadsheet splitting on any separator, quotes or not, finds no formula.
        for separator in (",", ";", "\t", "|"):
            for piece in line.split(separator):
                assert not piece.strip(' "').startswith(starts), (separator, piece)
            for row in csv.reader(io.StringIO(line), delimiter=separator):
                for cell in row:
                    assert not cell.strip(' "').startswith(starts), (separator, cell)
