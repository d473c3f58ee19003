"""Every visible string comes from the catalogues, in all four languages (R-UI-1)."""

import re
from pathlib import Path

from rxapp.i18n import catalog, negotiate, pick_language, plural_tags, raw_catalog, translate
from rxapp.models import LANGUAGES

ROOT = Path(__file__).resolve().parents[2] / "rxapp"
FILE_SUFFIXES = (".id", ".pdf", ".csv", ".xlsx", ".svg", ".ics", ".json", ".txt", ".html")
KEY = re.compile(r"""["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def test_r_ui_1_all_languages_have_the_same_keys_and_no_blanks():
    english = catalog("en")
    for lang in LANGUAGES:
        raw = {}
        for path in (ROOT / "i18n" / lang).glob("*.json"):
            import json

            raw.update(json.loads(path.read_text(encoding="utf-8")))
        assert set(raw) == set(english), f"{lang}: missing {set(english) - set(raw)}"
        for key, value in raw.items():
            forms = value.values() if isinstance(value, dict) else [value]
            assert all(isinstance(f, str) and f.strip() for f in forms), (lang, key)


def test_r_ui_1_every_key_used_in_code_exists():
    prefixes = {k.split(".", 1)[0] for k in catalog("en")}
    missing = set()
    for path in ROOT.rglob("*.py"):
        for key in KEY.findall(path.read_text(encoding="utf-8")):
            if key.split(".", 1)[0] in prefixes and key not in catalog("en"):
                if key.startswith(("rxapp.", "reflex.")) or key.endswith(FILE_SUFFIXES):
                    continue
                missing.add(f"{path.name}: {key}")
    assert not missing, sorted(missing)


def test_r_ui_1_german_is_german_and_placeholders_fill():
    assert translate("de", "login.title") == "Anmelden"
    assert translate("sv", "home.title", name="Åsa") == "Välkommen, Åsa"
    assert translate("xx", "login.title") == "Sign in"
    assert pick_language("fr-CH,fr;q=0.9") == "fr"
    assert pick_language(None, "pt-BR") == "en"


# A count given as n= to a catalogue text, in states/services (translate, _tr) or pages
# (tr_n, _fill): that text must be a plural entry.
COUNTED = re.compile(
    r"""(?:tr_n|_fill|_tr|translate)\((?:[^()"']*,\s*)?["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
    r"""[^()]*?\bn=|tr_n\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
)


def _own_entries(lang):
    raw = {}
    for path in (ROOT / "i18n" / lang).glob("*.json"):
        import json

        raw.update(json.loads(path.read_text(encoding="utf-8")))
    return raw


def test_r_ui_1_every_counted_text_has_every_plural_form_in_every_language():
    used = set()
    for path in ROOT.rglob("*.py"):
        for pair in COUNTED.findall(path.read_text(encoding="utf-8")):
            used |= {k for k in pair if k}
    assert "participants.total" in used and "team.step.done" in used  # the scan works
    used -= {"team.step.of"}  # "Step {n} of 3": an ordinal, not a count
    plural_keys = used | {k for k, v in raw_catalog("en").items() if isinstance(v, dict)}
    problems = []
    for lang in LANGUAGES:
        raw = _own_entries(lang)
        for key in sorted(plural_keys):
            value = raw.get(key)
            if not isinstance(value, dict):
                problems.append(f"{lang}: {key} is not a plural entry")
            elif missing := plural_tags(lang) - set(value):
                problems.append(f"{lang}: {key} lacks {sorted(missing)}")
    assert not problems, problems


def test_r_ui_1_plural_forms_follow_each_language():
    assert translate("en", "participants.total", n=1) == "1 participant"
    assert translate("en", "participants.total", n=0) == "0 participants"
    assert translate("de", "team.step.done", n=1) == "1 Einladung ist unterwegs."
    assert translate("de", "team.step.done", n=7) == "7 Einladungen sind unterwegs."
    assert translate("fr", "participants.total", n=0) == "0 participant"  # French: 0 is one
    assert translate("sv", "participants.remaining", n=1) == "1 interaktion kvar"


def test_r_ui_1_accept_language_is_negotiated_by_quality():
    assert negotiate("sv;q=0.5, de-AT;q=0.9, en;q=0.1") == "de"
    assert negotiate("fr-CH,fr;q=0.9,en;q=0.8") == "fr"
    assert negotiate("pt-BR, sv;q=0.2") == "sv"
    assert negotiate("pt-BR") == "en" and negotiate(None) == "en" and negotiate("*") == "en"


def test_r_ui_1_anonymous_visitor_gets_the_negotiated_language():
    from reflex.istate.data import RouterData

    from rxapp.states.accounts.auth import LoginState

    def visitor(accept: str, stored: str = ""):
        state = LoginState(_reflex_internal_init=True)
        state.router = RouterData.from_router_data({
            "headers": {"origin": "http://localhost:3000", "accept-language": accept},
            "pathname": "/login", "asPath": "/login"})
        state.lang = stored
        state.enter_public()
        return state.language

    assert visitor("sv-SE,sv;q=0.9,en;q=0.5") == "sv"
    assert visitor("en;q=0.3, fr-CA;q=0.8") == "fr"
    assert visitor("pt-BR") == "en"
    assert visitor("sv-SE", stored="de") == "de"  # a choice made before wins
