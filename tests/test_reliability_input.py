"""Bad input: importers, the JSON backup, the critic and the CLI never crash, say what is
wrong in one line and write nothing when they refuse a file.

The property tests mutate real files of every format (bytes inserted, cut, swapped for
separators, control characters and non-UTF-8 bytes) and generate hand-edited backups with
fields of every JSON type. The invariant is always the same: a parse result, or an
``InputError``; and after a refused import the database row counts are what they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from coach.errors import CoachError, InputError
from coach.input import FORMATS, detect_format
from coach.store.db import session_scope

# Scaled up by benchmarks/soak_reliability.py (COACH_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("COACH_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=list(HealthCheck))

SEEDS: dict[str, bytes] = {
    "linkedin": (
        b"Notes:\n\"When exporting your connection data, you may notice...\"\n\n"
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ana,G\xc3\xb3mez,https://www.linkedin.com/in/ana,,Acme,CTO,12 Mar 2024\n"
        b"Luis,Pe\xc3\xb1a,https://www.linkedin.com/in/luis,luis@x.io,Beta,CEO,01 ene 2023\n"
    ),
    "vcard": (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana G\xc3\xb3mez\r\nN:G\xc3\xb3mez;Ana;;;\r\n"
        b"EMAIL;TYPE=work:ana@acme.io\r\nORG:Acme\r\nTITLE:CTO\r\nNOTE:Feria del caf\xc3\xa9\r\n"
        b"CATEGORIES:feria,cafe\r\nANNIVERSARY:2024-05-01\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Luis\r\nEMAIL:luis@x.io\r\nEND:VCARD\r\n"
    ),
    "csv": (
        b"nombre;correo;empresa;nota;fecha;nivel;etiquetas;cadencia\n"
        b"Ana;ana@acme.io;Acme;Hablamos de log\xc3\xadstica;2024-05-01;aliado;a,b;20\n"
        b"Luis;;Beta;;;prospecto;;\n"
    ),
    "json": json.dumps({
        "format": "coach-backup", "version": 1,
        "profile": {"name": "Yo", "offer": "intros"},
        "contacts": [{"id": 1, "name": "Ana", "email": "ana@acme.io", "tags": ["x"]},
                     {"id": 2, "name": "Luis"}],
        "interactions": [{"contact_id": 1, "text": "hola", "kind": "note",
                          "value": "given", "occurred_on": "2024-05-01"}],
        "drafts": [{"contact_id": 2, "task": "follow-up", "text": "Hola Luis",
                    "details": {}, "fallback_used": False}],
    }).encode("utf-8"),
}
TOKENS = [b",", b";", b"\t", b"\n", b"\r", b"\"", b":", b"{", b"}", b"[", b"]", b"null",
          b"\xff", b"\xc3", b"\x00", b"\x1a", b"BEGIN:VCARD\n", b"END:VCARD\n", b"=\n ",
          b"First Name,Last Name\n", b"x" * 140_000]


def counts() -> tuple[int, ...]:
    with session_scope() as s:
        return tuple(s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("contacts", "interactions", "drafts", "profile"))


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    source = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[source])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.integers(0, 3))
        pos = draw(st.integers(0, len(data)))
        if op == 0:
            data[pos:pos] = draw(st.binary(max_size=8))
        elif op == 1:
            del data[pos:pos + draw(st.integers(1, 12))]
        elif op == 2:
            data[pos:pos] = draw(st.text(max_size=10)).encode("utf-8", "surrogatepass")
        else:
            data[pos:pos] = draw(st.sampled_from(TOKENS))
    return source, bytes(data)


@FUZZ
@given(mutated(), st.sampled_from(sorted(FORMATS)))
def test_every_parser_returns_records_or_one_input_error(case, fmt):
    _, data = case
    try:
        FORMATS[fmt](data, None)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
    with contextlib.suppress(InputError):
        detect_format(Path("upload.bin"), data)


@FUZZ
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8",
                                                                              "surrogatepass")),
       st.sampled_from(sorted(FORMATS)))
def test_random_bytes_and_text_never_crash_a_parser(data, fmt):
    with contextlib.suppress(InputError):
        FORMATS[fmt](data, None)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=12),
                    st.sampled_from(["2024-01-01", "ally", "given", "note", "a@b.c", "",
                                     "big"]).map(lambda v: "x" * 5000 if v == "big" else v))
VALUES = st.recursive(SCALARS, lambda c: st.lists(c, max_size=3) |
                      st.dictionaries(st.text(max_size=4), c, max_size=3), max_leaves=5)


def _obj(required: dict, keys: list[str]):
    return st.fixed_dictionaries(required, optional={k: VALUES for k in keys})


BACKUPS = st.fixed_dictionaries(
    {"format": st.just("coach-backup"), "version": st.just(1)},
    optional={
        "profile": st.dictionaries(st.sampled_from(["name", "role", "offer", "goal", "language",
                                                    "passion", "company"]), VALUES),
        "contacts": st.lists(_obj(
            {"id": st.integers(1, 4), "name": st.sampled_from(["Ana", "Luis", "Ana Gómez"])},
            ["company", "email", "emails", "tags", "tier", "stage", "met_on", "cadence_days",
             "language", "created_at", "source", "profile_url"]), max_size=4),
        "interactions": st.lists(_obj(
            {"contact_id": st.integers(1, 4), "text": st.sampled_from(["hola", "", "nota"])},
            ["kind", "value", "occurred_on", "related_contact_id", "created_at"]), max_size=4),
        "drafts": st.lists(_obj({}, ["contact_id", "task", "channel", "language", "subject",
                                     "text", "backend", "fallback_used", "details", "status",
                                     "created_at"]), max_size=3),
    })


@FUZZ
@given(BACKUPS)
def test_hand_edited_backups_import_whole_or_not_at_all(coach_home, doc):
    from coach.services.contacts import import_file

    path = coach_home.parent / "backup.json"
    path.write_text(json.dumps(doc), encoding="utf-8", errors="surrogatepass")
    before = counts()
    try:
        import_file(path, "json")
    except CoachError as exc:
        assert "\n" not in str(exc).strip()
        assert counts() == before


@settings(max_examples=max(20, EXAMPLES // 4), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(mutated(), st.sampled_from([None, *sorted(FORMATS)]))
def test_a_refused_import_changes_nothing(coach_home, case, fmt):
    from coach.services.contacts import import_file

    source, data = case
    path = coach_home.parent / f"upload.{ {'vcard': 'vcf', 'linkedin': 'csv'}.get(source, source) }"
    path.write_bytes(data)
    before = counts()
    try:
        import_file(path, fmt)
    except CoachError:
        assert counts() == before


def test_huge_fields_empty_fields_and_non_utf8_files(coach_home):
    from coach.services.contacts import import_file

    folder = coach_home.parent
    huge = folder / "huge.csv"  # a 200 KB cell: refused with a clear line, nothing written
    huge.write_text("name,note\nAna," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        import_file(huge, "csv")
    assert counts() == (0, 0, 0, 0)

    big_note = folder / "big.vcf"  # a 100 KB note in a vCard is kept whole
    big_note.write_bytes(b"BEGIN:VCARD\nVERSION:3.0\nFN:Bea\nNOTE:" + b"y" * 100_000 +
                         b"\nEND:VCARD\n")
    assert import_file(big_note)["imported"] == 1

    empty = folder / "empty.csv"
    for body in ("", "\n\n", "name,email\n", "name,email\n,\n ,  \n"):
        empty.write_text(body, encoding="utf-8")
        try:
            result = import_file(empty, "csv")
            assert result["imported"] == 0
        except InputError as exc:
            assert "empty" in str(exc) or "name" in str(exc)

    latin = folder / "latin.csv"  # Windows-1252 / Latin-1, as old Excel writes
    latin.write_bytes("nombre,empresa\nJosé Núñez,Peña\n".encode("cp1252"))
    assert import_file(latin)["imported"] == 1
    utf16 = folder / "utf16.csv"
    utf16.write_bytes("name\nAna\n".encode("utf-16"))
    with pytest.raises(InputError, match="binary"):
        import_file(utf16)
    from coach.services.contacts import list_contacts

    assert {c["name"] for c in list_contacts()} == {"Bea", "José Núñez"}


@FUZZ
@given(st.text(max_size=400) | st.sampled_from(["", " ", "\x00", "yo " * 5000, "?" * 3000]))
def test_critic_service_never_crashes(text_in):
    from coach.services.critique import critique

    try:
        result = critique(text_in, rewrite=False)
    except InputError:
        return
    assert 0 <= result["yoismo_score"] <= 100
    assert result["verdict"] in ("ok", "revise", "rewrite")
    for f in result["findings"]:
        assert 0 <= f["start"] <= f["end"] <= len(text_in)


# --- the CLI, as a real process -----------------------------------------------------------

def _coach(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COACH_HOME": str(home)}
    env.pop("COACH_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "coach", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=240)


def bad_cli_cases(folder: Path) -> list[tuple[str, list[str]]]:
    (folder / "garbage.bin").write_bytes(os.urandom(2048))
    (folder / "notes.txt").write_text("just some words", encoding="utf-8")
    return [
        ("bad date", ["contacts", "add", "--name", "Zoe", "--met-on", "2024-13-45"]),
        ("bad note date", ["notes", "add", "Ana", "x", "--date", "ayer"]),
        ("unknown contact", ["notes", "add", "Nadie Conocido", "hola"]),
        ("superscript digit id", ["notes", "add", "²", "hola"]),
        ("id beyond SQLite", ["contacts", "show", "99999999999999999999999"]),
        ("empty note text", ["notes", "add", "Ana", "   "]),
        ("huge cadence", ["contacts", "add", "--name", "Zoe", "--cadence", "9" * 30]),
        ("bad export format", ["export", "--format", "xml"]),
        ("bad import format", ["contacts", "import", str(folder / "notes.txt"),
                               "--format", "excel"]),
        ("missing file", ["contacts", "import", str(folder / "nope.csv")]),
        ("binary file", ["contacts", "import", str(folder / "garbage.bin")]),
        ("undetectable format", ["contacts", "import", str(folder / "notes.txt")]),
        ("unknown option", ["contacts", "list", "--bogus"]),
        ("missing option", ["contacts", "add"]),
        ("bad review date", ["review", "--today", "someday"]),
        ("export to a missing folder", ["export", "-o", str(folder / "no" / "x.json")]),
    ]


def test_cli_bad_input_is_one_line_non_zero_and_writes_nothing(coach_home):
    from coach.services.contacts import get_profile

    assert _coach(coach_home, "contacts", "add", "--name", "Ana").returncode == 0
    get_profile()  # the default profile row is created on first read; make it exist now
    before = counts()
    cases = bad_cli_cases(coach_home.parent)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: _coach(coach_home, *case[1]), cases))
    problems = []
    for (label, _args), proc in zip(cases, results, strict=True):
        err = proc.stderr.strip().splitlines()
        if (proc.returncode == 0 or "Traceback" in proc.stderr or len(err) != 1
                or not err[0].startswith("error: ") or "internal error" in err[0]):
            problems.append(f"{label}: rc={proc.returncode} stderr={proc.stderr[-300:]!r}")
    assert not problems, "\n".join(problems)
    assert counts() == before
