"""QR code, CSV cell guard, score rounding and fonts of the report (R-INT-7, R-INT-9)."""

import re

import segno

from rxapp.services.common.qr import qr_svg


def test_r_int_7_qr_svg_is_standalone_and_about_240_px_with_whole_pixel_modules():
    link = "https://beckon.example/i/" + "A" * 43
    svg = qr_svg(link)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert 200 <= width <= 280
    modules = segno.make(link, error="m").symbol_size(scale=1)[0]
    assert width % modules == 0  # whole pixels per module: crisp edges
    assert qr_svg(link) == svg and qr_svg(link + "x") != svg


def test_r_int_9_csv_cells_cannot_become_formulas():
    from rxapp.services.interactions.reports import _csv_cell

    for risky in ("=1+1", "+1", "-1", "@SUM(A1)"):
        assert _csv_cell(risky) == "'" + risky
    # A piece after any separator is guarded too (issue 13.7): tab, ; , and |.
    assert _csv_cell("\t=1") == "'\t'=1"
    assert _csv_cell("Bob;=1+1") == "Bob;'=1+1" and _csv_cell("a, -2") == "a, '-2"
    assert _csv_cell("Émilie") == "Émilie" and _csv_cell(None) == "" and _csv_cell(4.5) == "4.50"


def test_r_int_9_report_scores_round_halves_up():
    from rxapp.services.interactions.reports import format_score

    assert [format_score(v) for v in (4.25, 2.5, 3.75, 1.0)] == ["4.3", "2.5", "3.8", "1.0"]
    assert [format_score(4.25, lang) for lang in ("de", "fr", "sv")] == ["4,3"] * 3


def test_r_int_9_report_embeds_a_unicode_font_when_the_system_has_one():
    from datetime import datetime

    import pytest

    from rxapp.services.interactions.reports import ReportData, render_report_pdf, report_fonts

    if report_fonts()[0] == "Helvetica":
        pytest.skip("no DejaVu Sans on this system")
    pdf = render_report_pdf(
        ReportData("Acme", "Łukasz Nguyễn", datetime(2026, 3, 3), "en", {"clarity": 4.0})
    )
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf
