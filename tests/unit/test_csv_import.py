"""The shared CSV pipeline: four languages, three encodings, both delimiters, broken files."""

from pathlib import Path

import pytest

from rxapp.services.common import csv_import
from rxapp.services.common.csv_import import CsvFileError, FieldSpec

DATA = Path(__file__).resolve().parents[1] / "data" / "csv"
FIELDS = (
    FieldSpec("first_name", required=True),
    FieldSpec("last_name", required=True),
    FieldSpec("email", required=True),
    FieldSpec("language"),
    FieldSpec("time_zone"),
)


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "first"),
    [
        ("de-excel-bom-semicolon.csv", "utf-8-sig", ";", "Jörg"),
        ("de-windows1252-semicolon.csv", "windows-1252", ";", "Jörg"),
        ("fr-utf8-semicolon.csv", "utf-8", ";", "Léa"),
        ("sv-utf16-tab.csv", "utf-16", "\t", "Åsa"),
        ("en-utf8-comma.csv", "utf-8", ",", "Emma"),
    ],
)
def test_reads_each_language_encoding_and_delimiter(name, encoding, delimiter, first):
    parsed = csv_import.read_csv((DATA / name).read_bytes())
    assert (parsed.encoding, parsed.delimiter) == (encoding, delimiter)
    assert parsed.encoding_guessed == (encoding == "windows-1252")
    mapping = csv_import.auto_mapping(parsed.columns, FIELDS)
    assert csv_import.check_mapping(mapping, FIELDS) == []
    rows = list(csv_import.records(parsed, mapping))
    assert [line for line, _ in rows] == [2, 3]
    assert rows[0][1]["first_name"] == first
    assert "@" in rows[1][1]["email"]


def test_headers_in_four_languages_and_variants_map_to_fields():
    columns = ["Vorname", "Nachname", "E-Mail", "Sprache", "Zeitzone", "Notiz"]
    assert csv_import.auto_mapping(columns, FIELDS) == [
        "first_name", "last_name", "email", "language", "time_zone", ""]
    for cols in (["Prénom", "Nom", "Courriel", "Langue", "Fuseau horaire"],
                 ["Förnamn", "Efternamn", "E-post", "Språk", "Tidszon"],
                 ["first name", "LAST_NAME", "E-mail address", "lang", "Time zone"],
                 ["Prenom", "nom", "adresse e-mail", "langue", "fuseau"]):
        assert csv_import.auto_mapping(cols, FIELDS) == [
            "first_name", "last_name", "email", "language", "time_zone"], cols


def test_unknown_headers_need_the_mapping_step_and_a_chosen_mapping_reads_the_rows():
    parsed = csv_import.read_csv((DATA / "unknown-headers.csv").read_bytes())
    assert csv_import.needs_mapping(parsed.columns, FIELDS)
    assert csv_import.preview(parsed)[0] == ["Jörg", "Schäfer", "joerg@example.de"]
    mapping = ["first_name", "last_name", "email"]
    assert csv_import.check_mapping(mapping, FIELDS) == []
    assert next(csv_import.records(parsed, mapping)) == (
        2, {"first_name": "Jörg", "last_name": "Schäfer", "email": "joerg@example.de"})
    with pytest.raises(CsvFileError):
        csv_import.check_mapping(["email", "email", ""], FIELDS)
    with pytest.raises(CsvFileError):
        csv_import.check_mapping(["password_hash", "", ""], FIELDS)


def test_quoted_cells_line_numbers_and_blank_lines():
    data = b'email,first_name\n\n"a@example.com","Multi\nline"\n\nb@example.com,B\n'
    parsed = csv_import.read_csv(data)
    assert [line for line, _ in parsed.rows] == [3, 6]
    assert parsed.rows[0][1] == ["a@example.com", "Multi\nline"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "import.empty"),
        (b"\r\n  \r\n", "import.empty"),
        ((DATA / "binary.csv").read_bytes(), "import.encoding_unknown"),
        ("email\nä@example.com\n".encode("utf-16-le"), "import.encoding_binary"),
        ((DATA / "broken-quote.csv").read_bytes(), "import.malformed"),
        (b"\xef\xbb\xbfemail\n\xff\xfe\n", "import.encoding_unknown"),
        (b"email\n" + b"a@example.com\n" * 11, "import.too_many_rows"),
    ],
)
def test_broken_files_give_a_clear_file_problem(data, code):
    with pytest.raises(CsvFileError) as err:
        csv_import.read_csv(data, max_rows=10)
    assert err.value.code == code


def test_one_column_file_is_read():
    parsed = csv_import.read_csv(b"email\na@example.com\n")
    assert parsed.columns == ["email"] and parsed.rows == [(2, ["a@example.com"])]


def test_upload_store_keeps_bytes_by_random_id_only(tmp_path, monkeypatch):
    from rxapp.services.common import upload_store

    monkeypatch.setattr(upload_store, "_dir", lambda: tmp_path)
    upload_id = upload_store.save(b"Vorname;Nachname")
    assert len(upload_id) == 32 and upload_store.load(upload_id) == b"Vorname;Nachname"
    assert upload_store.load("../" + upload_id) == b"" and upload_store.load("") == b""
    upload_store.discard(upload_id)
    assert upload_store.load(upload_id) == b""
