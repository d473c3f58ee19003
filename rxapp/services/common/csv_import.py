"""One CSV import pipeline for every feature (participants, team invitations, ...).

Reading a file is split from using it: :func:`read_csv` detects the encoding and the
delimiter and returns the header and the rows with their line numbers; :func:`auto_mapping`
matches header names in en/de/fr/sv and common variants to Beckon fields; when a required
field is still unmatched the UI shows a mapping step (each file column -> a field or
"ignore") and passes the chosen mapping back. :func:`records` then yields one dict per
row, so each feature only checks and writes its own fields.

Nothing here writes to the database.
"""

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rxapp.services.common.errors import DomainError

IGNORE = ""  # mapping value of a column that is not imported

# Header names people use, per Beckon field, in en/de/fr/sv and common variants. Names are
# compared after :func:`normalize_header` (lower case, no accents, no spaces or dashes).
ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": (
        "first_name", "first name", "firstname", "given name", "forename", "first",
        "vorname", "rufname", "prénom", "prenom", "förnamn", "fornamn", "tilltalsnamn",
    ),
    "last_name": (
        "last_name", "last name", "lastname", "surname", "family name", "name", "last",
        "nachname", "familienname", "zuname", "nom", "nom de famille", "efternamn",
    ),
    "email": (
        "email", "e-mail", "email address", "e-mail address", "mail", "e-mail-adresse",
        "emailadresse", "courriel", "adresse e-mail", "adresse électronique", "mél",
        "e-post", "epost", "e-postadress", "mejl", "mejladress",
    ),
    "language": (
        "language", "lang", "locale", "sprache", "langue", "språk", "sprak",
    ),
    "time_zone": (
        "time_zone", "time zone", "timezone", "tz", "zone", "zeitzone", "fuseau horaire",
        "fuseau", "tidszon",
    ),
    "role": ("role", "rolle", "rôle", "roll", "funktion", "fonction"),
    "channels": ("channels", "channel", "kanäle", "kanal", "canaux", "canal", "kanaler"),
    "class_of_service": (
        "class_of_service", "class of service", "service class", "serviceklasse",
        "classe de service", "serviceklass",
    ),
    "services": ("services", "service", "dienste", "dienst", "tjänster", "tjänst"),
    "sites": ("sites", "site", "standorte", "standort", "sites", "platser", "plats"),
    "skills": ("skills", "skill", "fähigkeiten", "kompetenzen", "compétences", "kompetenser"),
    # Business-meetings attendees (issue 10).
    "company": (
        "company", "company name", "organisation", "organization", "employer", "firma",
        "unternehmen", "firmenname", "société", "entreprise", "raison sociale", "företag",
        "bolag", "arbetsgivare",
    ),
    "job_title": (
        "job_title", "job title", "title", "position", "jobtitel", "berufsbezeichnung",
        "stellung", "poste", "intitulé du poste", "titre", "titel", "befattning", "yrkestitel",
    ),
    "country": ("country", "country code", "land", "staat", "pays", "nation"),
    "interests": (
        "interests", "interest", "topics", "interessen", "interessensgebiete", "intérêts",
        "centres d'intérêt", "thèmes", "intressen", "intresseområden",
    ),
    "registration_status": (
        "registration_status", "registration status", "registration", "status",
        "anmeldestatus", "registrierungsstatus", "anmeldung", "statut", "statut d'inscription",
        "inscription", "registreringsstatus", "anmälningsstatus", "anmälan",
    ),
    "has_account": (
        "has_account", "has account", "account", "hat konto", "konto", "benutzerkonto",
        "a un compte", "compte", "har konto",
    ),
    # Review invitations: purchases (issue 11). The customer's name is a FieldSpec alias
    # of the purchases import ("name" means the last name everywhere else).
    "order_reference": (
        "order_reference", "order reference", "order number", "order no", "order id",
        "order", "reference", "bestellnummer", "bestell-nr", "auftragsnummer", "referenz",
        "numéro de commande", "n° de commande", "no de commande", "référence de commande",
        "référence", "ordernummer", "ordernr", "orderreferens", "beställningsnummer",
        "referens",
    ),
    "purchased_at": (
        "purchased_at", "purchased at", "purchase date", "purchased", "order date",
        "kaufdatum", "bestelldatum", "kaufzeitpunkt", "date d'achat", "date de commande",
        "köpdatum", "orderdatum", "inköpsdatum", "köptillfälle",
    ),
    "used_at": (
        "used_at", "used at", "service date", "date of service", "used", "nutzungsdatum",
        "leistungsdatum", "genutzt am", "date d'utilisation", "date de service",
        "utilisé le", "användningsdatum", "tjänstedatum", "besöksdatum", "använd",
    ),
    "products": (
        "products", "product", "items", "skus", "produkte", "produkt", "artikel",
        "produits", "produit", "articles", "produkter", "artiklar",
    ),
}

ENCODINGS_NOTED = {"windows-1252"}  # a guess the UI shows to the user


def normalize_header(name: str) -> str:
    """Return the comparable form of a header: lower case, no accents, letters only."""
    text = unicodedata.normalize("NFKD", (name or "").strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text if ch.isalnum())


_LOOKUP: dict[str, str] = {}
for _key, _names in ALIASES.items():
    for _name in _names:
        _LOOKUP.setdefault(normalize_header(_name), _key)
# A results export's "completed at" or score columns are simply not imported.


@dataclass(frozen=True)
class FieldSpec:
    """A field a feature imports: its key and whether every file must provide it."""

    key: str
    required: bool = False
    # Header names that mean this field in this feature only; they win over the shared
    # table (a purchases file's "Name" is the customer's whole name, not a last name).
    aliases: tuple[str, ...] = ()


@dataclass
class CsvFile:
    """A decoded, split CSV: header, rows with their line numbers, how it was read."""

    encoding: str
    delimiter: str
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def encoding_guessed(self) -> bool:
        """Whether the encoding was a guess the user should confirm (not UTF)."""
        return self.encoding in ENCODINGS_NOTED


class CsvFileError(DomainError):
    """The file as a whole cannot be read; ``code`` says why, ``params`` fill the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.params = params


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` of a CSV file's bytes.

    UTF-8 with or without BOM and UTF-16 with BOM (Excel's "Unicode text") are read as
    such; anything else that is valid Windows-1252 (older Excel on Windows) is decoded as
    that, and the caller shows the guess.

    Raises:
        CsvFileError: ``import.empty``, ``import.encoding_binary`` or
            ``import.encoding_unknown``.

    """
    if not data or not data.strip():
        raise CsvFileError("import.empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8(data[3:], "utf-8-sig"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise CsvFileError("import.encoding_unknown", encoding="UTF-16") from exc
    sample = data[:4096]
    # Many NUL bytes: UTF-16 without its BOM, or not text at all. A stray NUL in a text
    # file is left for the row checks (a name with a control character is refused there).
    if sample.count(b"\x00") * 10 > len(sample):
        raise CsvFileError("import.encoding_binary")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("windows-1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise CsvFileError("import.encoding_unknown", encoding="UTF-8, Windows-1252") from exc


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsvFileError("import.encoding_unknown", encoding=name) from exc


def sniff_delimiter(text: str) -> str:
    """Return the delimiter of a CSV text: ``,``, ``;`` or tab.

    ``csv.Sniffer`` decides on the first lines; when it cannot, the character most frequent
    in the header line wins (a one-column file is comma-separated).
    """
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = text.split("\n", 1)[0]
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv(data: bytes, *, max_rows: int | None = None) -> CsvFile:
    """Decode and split a CSV file; blank lines are skipped.

    Args:
        data: The uploaded bytes.
        max_rows: Refuse files with more data rows than this.

    Returns:
        The header (first line) and every data row with its line number in the file
        (the header is line 1), cells stripped of surrounding spaces.

    Raises:
        CsvFileError: Unreadable encoding, no header, malformed quoting, too many rows.

    """
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    columns: list[str] | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if columns is None:
                columns = [c.strip() for c in cells]
                continue
            rows.append((start, [c.strip() for c in cells]))
            if max_rows is not None and len(rows) > max_rows:
                raise CsvFileError("import.too_many_rows", max=max_rows)
    except csv.Error as exc:
        raise CsvFileError("import.malformed", line=line) from exc
    if not columns:
        raise CsvFileError("import.empty")
    return CsvFile(encoding=encoding, delimiter=delimiter, columns=columns, rows=rows)


def auto_mapping(columns: Sequence[str], fields: Sequence[FieldSpec]) -> list[str]:
    """Match each column to a field by its header name (:data:`IGNORE` when none).

    A field is matched once: a second column with the same meaning is ignored.
    """
    wanted = {f.key for f in fields}
    own = {normalize_header(a): f.key for f in fields for a in f.aliases}
    taken: set[str] = set()
    mapping: list[str] = []
    for name in columns:
        norm = normalize_header(name)
        key = own.get(norm) or _LOOKUP.get(norm, IGNORE)
        if key not in wanted or key in taken:
            key = IGNORE
        taken.add(key)
        mapping.append(key)
    return mapping


def check_mapping(mapping: Sequence[str], fields: Sequence[FieldSpec]) -> list[str]:
    """Return the required fields no column is mapped to (empty: the mapping is usable).

    Raises:
        CsvFileError: ``import.mapping_invalid`` for an unknown field or one mapped twice.

    """
    keys = {f.key for f in fields}
    used = [m for m in mapping if m != IGNORE]
    if any(m not in keys for m in used) or len(used) != len(set(used)):
        raise CsvFileError("import.mapping_invalid")
    return [f.key for f in fields if f.required and f.key not in used]


def needs_mapping(columns: Sequence[str], fields: Sequence[FieldSpec]) -> bool:
    """Whether the mapping step must be shown: a required field is missing by name."""
    return bool(check_mapping(auto_mapping(columns, fields), fields))


def records(csv_file: CsvFile, mapping: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {field: value})`` for every row, mapped columns only.

    A missing trailing cell reads as empty; unmapped columns are dropped.
    """
    pairs = [(i, key) for i, key in enumerate(mapping) if key != IGNORE]
    for line, cells in csv_file.rows:
        width = len(cells)
        yield line, {key: (cells[i] if i < width else "") for i, key in pairs}


def preview(csv_file: CsvFile, count: int = 3) -> list[list[str]]:
    """Return the first ``count`` data rows, padded to the header's width (mapping step)."""
    width = len(csv_file.columns)
    return [(cells + [""] * width)[:width] for _, cells in csv_file.rows[:count]]
