"""Every visible string comes from the catalogues, in all four languages (R-UI-1)."""

import re
from pathlib import Path

from rxapp.i18n import catalog, pick_language, translate
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
        assert all(v.strip() for v in raw.values()), lang


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
