"""The participant's PDF report and the results exports (R-INT-9).

The report is built from the stored scores whenever it is needed (download, or the
report email at send time), so no PDF is ever stored in the database or the outbox.
Exports hold one row per completed interaction of one organization.
"""

import csv
import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from sqlmodel import Session, col, select

from rxapp.i18n import pick_language, translate
from rxapp.i18n.formats import format_number
from rxapp.models.accounts import Organization
from rxapp.models.outbox import OutboxMessage
from rxapp.models.participants import Interaction, InteractionState, Participant, Score
from rxapp.services.common.attachments import Attachment
from rxapp.services.common.errors import NotFound
from rxapp.services.interactions import get_interaction
from rxapp.services.interactions.questionnaires import load_questionnaire_data

logger = logging.getLogger(__name__)

REPORT_FILENAME = "report.pdf"
PDF_MIME = "application/pdf"
SCALE_MAX = 5.0
_BRAND = colors.HexColor("#3e63dd")
_MUTED = colors.HexColor("#6b7080")
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A separator some spreadsheet may split on, then (after spaces) a formula character.
_AFTER_SEPARATOR = re.compile(r"([,;\t|\r\n])([ ]*)([=+\-@])")


# --- dimensions -------------------------------------------------------------------------


def _dimension_labels() -> dict[str, dict[str, str]]:
    return load_questionnaire_data()["dimensions"]


def dimension_label(dimension: str, language: str) -> str:
    """Return a dimension's name in ``language`` (English, then the key, when missing)."""
    labels = _dimension_labels().get(dimension, {})
    return labels.get(language) or labels.get("en") or dimension


def ordered_dimensions(found: set[str] | list[str]) -> list[str]:
    """Return the shipped questionnaire's dimensions in its order, then any others sorted."""
    shipped = list(_dimension_labels())
    return shipped + sorted(d for d in found if d not in shipped)


def format_score(value: float, language: str = "en") -> str:
    """Return a score with one decimal, halves rounded up (4.25 -> "4.3", as people expect).

    The same rounding and format as the page's badges (``rxapp.i18n.formats``): the
    decimal sign is the language's ("4,3" in German, French and Swedish).
    """
    return format_number(value, language)


def _explanation(dimension: str, language: str) -> str | None:
    key = f"reports.explain.{dimension}"
    text = translate(language, key)
    return None if text == key else text


# --- the PDF report ---------------------------------------------------------------------

# A Unicode font when the system has one (names like "Łukasz" or "Nguyễn"); otherwise
# the PDF standard fonts, which cover the Latin-1 letters of our four languages.
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)


@lru_cache
def report_fonts() -> tuple[str, str]:
    """Return the (regular, bold) font names the report uses, registering DejaVu once."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("BeckonSans", str(regular)))
                pdfmetrics.registerFont(TTFont("BeckonSans-Bold", str(bold)))
            except Exception:  # noqa: BLE001 - a broken font file: fall back, do not fail
                logger.warning("report font not usable", extra={"path": str(regular)})
                continue
            registerFontFamily(
                "BeckonSans",
                normal="BeckonSans",
                bold="BeckonSans-Bold",
                italic="BeckonSans",
                boldItalic="BeckonSans-Bold",
            )
            return "BeckonSans", "BeckonSans-Bold"
    return "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class ReportData:
    """Everything the PDF shows; built from the database, free of ORM rows."""

    organization_name: str
    participant_name: str
    completed_at: datetime | None
    language: str
    scores: dict[str, float]


def report_data(
    session: Session, *, organization_id: int, interaction_id: int, language: str | None = None
) -> ReportData:
    """Gather a completed interaction's report content, checking the tenant.

    Args:
        session: Open session (read only).
        organization_id: The caller's organization.
        interaction_id: The interaction.
        language: Report language; default the participant's.

    Raises:
        NotFound: No such interaction, or it is not completed.
        NotAllowed: It belongs to another organization.

    """
    interaction = get_interaction(
        session, organization_id=organization_id, interaction_id=interaction_id
    )
    if interaction.state != InteractionState.COMPLETED.value:
        raise NotFound("interaction.not_found")
    participant = session.get(Participant, interaction.participant_id)
    org = session.get(Organization, organization_id)
    rows = session.exec(
        select(Score.dimension, Score.value).where(Score.interaction_id == interaction_id)
    ).all()
    return ReportData(
        organization_name=org.name if org else "",
        participant_name=(
            f"{participant.first_name} {participant.last_name}".strip() if participant else ""
        ),
        completed_at=interaction.completed_at,
        language=pick_language(language, participant.language if participant else None),
        scores=dict(rows),
    )


def _score_chart(data: ReportData, width: float) -> Drawing:
    dimensions = [d for d in ordered_dimensions(set(data.scores)) if d in data.scores]
    labels = [dimension_label(d, data.language) for d in dimensions]
    values = [float(data.scores[d]) for d in dimensions]
    bar_height = 16 * mm
    height = max(1, len(values)) * bar_height + 22 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 38 * mm
    chart.y = 12 * mm
    chart.width = width - chart.x - 14 * mm
    chart.height = height - 20 * mm
    # The first category is drawn at the bottom; reverse so the list reads top-down.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    regular, bold = report_fonts()
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 10
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = SCALE_MAX
    chart.valueAxis.valueStep = 1
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6e8ee")
    chart.bars[0].fillColor = _BRAND
    chart.bars[0].strokeColor = None
    chart.barWidth = 9 * mm
    chart.groupSpacing = 6 * mm
    chart.barLabelFormat = lambda value: format_score(value, data.language)
    chart.barLabels.nudge = 10
    chart.barLabels.fontName = bold
    chart.barLabels.fontSize = 10
    drawing.add(chart)
    drawing.add(
        String(
            chart.x,
            height - 6 * mm,
            translate(data.language, "reports.chart_title"),
            fontName=regular,
            fontSize=9,
            fillColor=_MUTED,
        )
    )
    return drawing


def render_report_pdf(data: ReportData) -> bytes:
    """Lay out the report: header, scores chart, one explanation per dimension.

    DejaVu Sans is embedded when the system has it, so any name prints; otherwise the
    standard fonts cover the Latin-1 letters of English, German, French and Swedish.
    """
    lang = data.language
    styles = getSampleStyleSheet()
    regular, bold = report_fonts()
    body = ParagraphStyle(
        "body", parent=styles["BodyText"], fontName=regular, fontSize=10.5, leading=14
    )
    muted = ParagraphStyle("muted", parent=body, textColor=_MUTED, fontSize=9, leading=12)
    heading = ParagraphStyle("h", parent=styles["Heading2"], fontName=bold, textColor=colors.black)
    title = ParagraphStyle("title", parent=styles["Title"], fontName=bold)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{translate(lang, 'reports.title')}: {data.participant_name}",
        author=data.organization_name,
        lang=lang,
    )
    date_text = (
        format_date(data.completed_at, format="long", locale=lang) if data.completed_at else ""
    )
    story: list[Any] = [
        Paragraph(escape(data.organization_name), muted),
        Paragraph(escape(translate(lang, "reports.title")), title),
        Paragraph(
            f"<b>{escape(translate(lang, 'reports.participant'))}:</b> "
            f"{escape(data.participant_name)}",
            body,
        ),
        Paragraph(f"<b>{escape(translate(lang, 'reports.date'))}:</b> {escape(date_text)}", body),
        Spacer(1, 6 * mm),
        _score_chart(data, doc.width),
        Spacer(1, 4 * mm),
        Paragraph(escape(translate(lang, "reports.about")), heading),
    ]
    for dimension in ordered_dimensions(set(data.scores)):
        if dimension not in data.scores:
            continue
        label = escape(dimension_label(dimension, lang))
        score = format_score(data.scores[dimension], lang)
        story.append(Paragraph(f"<b>{label}</b> ({score} / 5)", body))
        explanation = _explanation(dimension, lang)
        if explanation:
            story.append(Paragraph(escape(explanation), body))
        story.append(Spacer(1, 3 * mm))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(translate(lang, "reports.footer")), muted))
    doc.build(story)
    return buffer.getvalue()


def build_report_pdf(
    session: Session, *, organization_id: int, interaction_id: int, language: str
) -> bytes:
    """Return the PDF report of a completed interaction (R-INT-9).

    Args:
        session: Open session (read only).
        organization_id: The caller's organization (tenant guard).
        interaction_id: A completed interaction.
        language: en, de, fr or sv (anything else falls back to English).

    Returns:
        The PDF document.

    Raises:
        NotFound: No such interaction, or it is not completed.
        NotAllowed: It belongs to another organization.

    """
    data = report_data(
        session, organization_id=organization_id, interaction_id=interaction_id, language=language
    )
    return render_report_pdf(data)


def report_attachments(session: Session, message: OutboxMessage, now: datetime) -> list[Attachment]:
    """Attachments of the report email: the PDF, built at send time from stored scores.

    An error fails the render, which the worker records on the message.
    """
    interaction_id = int((message.context or {}).get("interaction_id") or 0)
    pdf = build_report_pdf(
        session,
        organization_id=message.organization_id,
        interaction_id=interaction_id,
        language=message.language,
    )
    return [Attachment(filename=REPORT_FILENAME, mime=PDF_MIME, content=pdf)]


# --- exports ---------------------------------------------------------------------------


def export_results_rows(
    session: Session, *, organization_id: int, language: str = "en"
) -> tuple[list[str], list[list[Any]]]:
    """Return the results of every completed interaction of one organization (R-INT-9).

    Args:
        session: Open session (read only).
        organization_id: Only this organization's rows are returned.
        language: Language of the column titles.

    Returns:
        ``(header, rows)``: first name, last name, email, language, completed at (aware
        UTC datetime), then one score per dimension (None where the interaction has none),
        in completion order.

    """
    lang = pick_language(language)
    pairs = session.exec(
        select(Interaction, Participant)
        .join(Participant, col(Participant.id) == col(Interaction.participant_id))
        .where(
            Interaction.organization_id == organization_id,
            Participant.organization_id == organization_id,
            Interaction.state == InteractionState.COMPLETED.value,
        )
        .order_by(col(Interaction.completed_at), col(Interaction.id))
    ).all()
    ids = [i.id for i, _ in pairs]
    scores: dict[int, dict[str, float]] = {}
    if ids:
        for interaction_id, dimension, value in session.exec(
            select(Score.interaction_id, Score.dimension, Score.value).where(
                col(Score.interaction_id).in_(ids)
            )
        ).all():
            scores.setdefault(interaction_id, {})[dimension] = value
    found = {d for per in scores.values() for d in per}
    dimensions = [d for d in ordered_dimensions(found) if d in found] or list(_dimension_labels())
    header = [
        translate(lang, "reports.col.first_name"),
        translate(lang, "reports.col.last_name"),
        translate(lang, "reports.col.email"),
        translate(lang, "reports.col.language"),
        translate(lang, "reports.col.completed_at"),
    ] + [dimension_label(d, lang) for d in dimensions]
    rows = []
    for interaction, participant in pairs:
        per = scores.get(interaction.id or 0, {})
        completed = interaction.completed_at
        if completed is not None and completed.tzinfo is None:
            completed = completed.replace(tzinfo=UTC)  # SQLite drops the zone
        rows.append(
            [
                participant.first_name,
                participant.last_name,
                participant.email,
                participant.language,
                completed,
            ]
            + [per.get(d) for d in dimensions]
        )
    return header, rows


def _safe_text(value: str) -> str:
    """Stop a spreadsheet from running any part of a cell as a formula (CSV injection).

    Whatever separator the spreadsheet splits on (``,`` here, ``;`` in de/fr/sv, tabs,
    pipes), no piece of the cell may start with a formula character: the cell itself
    and every piece after a separator get a leading apostrophe when they would.
    """
    guarded = _AFTER_SEPARATOR.sub(r"\1\2'\3", value)
    return "'" + guarded if guarded.lstrip(" ").startswith(_FORMULA_STARTS) else guarded


# Spreadsheets in these languages expect ";" between cells and "," in numbers.
_COMMA_DECIMAL = ("de", "fr", "sv")
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def default_separator(language: str) -> str:
    """The CSV separator a user's spreadsheet expects: ``semicolon`` for de, fr, sv."""
    return "semicolon" if pick_language(language) in _COMMA_DECIMAL else "comma"


def _csv_cell(value: Any, decimal: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", decimal)
    return _safe_text(str(value))


def results_csv(
    session: Session, *, organization_id: int, language: str = "en", separator: str = ""
) -> bytes:
    """Return the results export as CSV: UTF-8 with BOM (Excel reads accents right).

    Every cell is quoted, so a ``;`` or ``,`` inside a name never splits it, and no
    text (nor any piece of it after a separator) can start a formula. ``separator`` is
    ``comma``, ``semicolon`` or ``tab``; empty: what the language's spreadsheets expect,
    with a decimal comma wherever the separator is not a comma. The file imports back
    through the participant import.
    """
    header, rows = export_results_rows(session, organization_id=organization_id, language=language)
    separator = separator if separator in SEPARATORS else default_separator(language)
    delimiter = SEPARATORS[separator]
    decimal = "," if delimiter != "," and pick_language(language) in _COMMA_DECIMAL else "."
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v, decimal) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def results_xlsx(session: Session, *, organization_id: int, language: str = "en") -> bytes:
    """Return the results export as an Excel workbook (one sheet, a header row).

    Text is stored as text, never as a formula, whatever it starts with.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = export_results_rows(session, organization_id=organization_id, language=language)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = translate(pick_language(language), "reports.sheet")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, datetime):
                # Excel has no time zones; the column title says UTC.
                value = value.astimezone(UTC).replace(tzinfo=None)
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDE", (16, 20, 30, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
