"""The stylesheet carries only the Radix color scales the code uses (rxconfig.THEME_COLORS)."""

import re
from pathlib import Path

import rxconfig

RADIX_COLORS = {
    "tomato", "red", "ruby", "crimson", "pink", "plum", "purple", "violet", "iris", "indigo",
    "blue", "cyan", "teal", "jade", "green", "grass", "brown", "orange", "sky", "mint", "lime",
    "yellow", "amber", "gold", "bronze", "gray", "mauve", "slate", "sage", "olive", "sand",
}
QUOTED = re.compile(r"[\"']([a-z]+)[\"']")
ROOT = Path(__file__).resolve().parents[2]


def test_every_color_used_in_the_code_has_its_tokens():
    used = set()
    for path in (ROOT / "rxapp").rglob("*.py"):
        used |= {m for m in QUOTED.findall(path.read_text()) if m in RADIX_COLORS}
    missing = used - set(rxconfig.THEME_COLORS)
    assert not missing, f"add {sorted(missing)} to THEME_COLORS in rxconfig.py"
