"""Importers on real files in LinkedIn, vCard 3.0/4.0, generic CSV and JSON backup formats."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import FIXTURES

from coach.config import reset_settings
from coach.errors import InputError
from coach.services import contacts as svc
from coach.store.db import dispose_engines


def by_name() -> dict[str, dict]:
    return {c["name"]: c for c in svc.list_contacts()}


def test_linkedin_export_with_notes_preamble_blank_emails_and_duplicates():
    result = svc.import_file(FIXTURES / "linkedin_connections.csv", "linkedin")
    assert (result["imported"], result["merged"]) == (5, 1)
    assert result["skipped"] == [
        {"row": 8, "reason": "no first or last name"},
        {"row": 9, "reason": "bad 'Connected On' date 'not a date'"},
    ]
    people = by_name()
    mj = people["María José Fernández Ruiz"]
    assert (mj["email"], mj["company"], mj["met_on"], mj["source"]) == (
        "", "Distribuidora Andina S.A.S.", "2024-03-12", "linkedin")
    assert people["Andrés Peña"]["company"] == "Logística del Caribe, Ltda."
    assert people["Andrés Peña"]["email"] == "andres.pena@example.com"
    assert "ANDRÉS PEÑA" not in people


def test_linkedin_detected_and_decoded_from_windows_1252():
    result = svc.import_file(FIXTURES / "linkedin_connections_cp1252.csv")
    assert result["format"] == "linkedin"
    assert (result["imported"], result["merged"], len(result["skipped"])) == (5, 1, 2)
    assert "Sofía Müller" in by_name()


def test_reimport_merges_everything_and_adds_nothing():
    svc.import_file(FIXTURES / "linkedin_connections.csv", "linkedin")
    again = svc.import_file(FIXTURES / "linkedin_connections.csv", "linkedin")
    assert (again["imported"], again["merged"]) == (0, 6)
    assert len(svc.list_contacts()) == 5


def test_vcard_3_and_4_folded_lines_several_emails_accents_and_notes():
    v3 = svc.import_file(FIXTURES / "contacts_v3.vcf")
    assert (v3["format"], v3["imported"], v3["notes_added"]) == ("vcard", 2, 2)
    assert v3["skipped"] == [{"row": 28, "reason": "no FN or N (no name)"}]
    v4 = svc.import_file(FIXTURES / "contacts_v4.vcf", "vcard")
    assert (v4["imported"], v4["notes_added"]) == (2, 2)
    people = by_name()
    joao = people["João Gonçalves"]
    assert joao["emails"] == ["joao@example.pt", "j.goncalves@example.com", "joao.g@example.org"]
    assert joao["company"] == "Ñandú Ventures"
    zoe = people["Zoë Castañeda"]
    assert (zoe["met_on"], zoe["phone"], zoe["tags"]) == ("2024-04-12", "+57-301-555-0199",
                                                         ["café", "exportación"])
    [note] = svc.list_notes(zoe["id"])
    assert note["text"] == ("Hablamos de certificaciones orgánicas para exportar a Europa, "
                            "necesita contactos con importadores en Alemania.")
    [mj_note] = svc.list_notes("maria jose")
    assert "transporte refrigerado" in mj_note["text"]  # the folded line was unfolded


def test_vcard_merges_with_linkedin_by_profile_url_and_adds_emails():
    svc.import_file(FIXTURES / "linkedin_connections.csv", "linkedin")
    result = svc.import_file(FIXTURES / "contacts_v3.vcf", "vcard")
    assert (result["imported"], result["merged"]) == (1, 1)
    mj = by_name()["María José Fernández Ruiz"]
    assert mj["emails"] == ["mj.fernandez@example.com", "mariajose.personal@example.net"]
    assert (mj["role"], mj["source"]) == ("Directora Comercial", "linkedin")
    assert mj["tags"] == ["distribución", "Bogotá"]
    again = svc.import_file(FIXTURES / "contacts_v3.vcf", "vcard")
    assert (again["imported"], again["merged"], again["notes_added"]) == (0, 2, 0)


def test_generic_csv_sniffs_semicolons_maps_spanish_headers_and_reports_rows():
    result = svc.import_file(FIXTURES / "contactos_generic.csv", "csv")
    assert (result["imported"], result["merged"]) == (2, 1)
    assert result["skipped"] == [
        {"row": 4, "reason": "no name"},
        {"row": 5, "reason": "unknown tier 'jefe': use one of prospect, ally, radar"},
        {"row": 7, "reason": "not a date: 'no es fecha' (use YYYY-MM-DD)"},
    ]
    people = by_name()
    val = people["Valentina Rojas"]
    assert (val["tier"], val["cadence_days"], val["tags"]) == (
        "prospect", 14, ["agro", "inversión", "ferias"])
    assert people["Camilo Duarte"]["met_on"] == "2024-08-15"
    assert svc.list_notes(val["id"])[0]["text"] == "Busca un socio de distribución en Medellín"


def test_generic_csv_with_an_explicit_mapping(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Cliente,Mail,Org,Apuntes\nAna Ruiz,ana@example.com,Kappa,Pidió precios\n",
                    encoding="utf-8")
    from coach.input.csv_generic import parse_mapping

    mapping = parse_mapping("name=Cliente,email=Mail,company=Org,note=Apuntes")
    result = svc.import_file(path, "csv", mapping)
    assert (result["imported"], result["notes_added"]) == (1, 1)
    assert by_name()["Ana Ruiz"]["company"] == "Kappa"
    with pytest.raises(InputError, match="not in the CSV header"):
        svc.import_file(path, "csv", parse_mapping("name=Nombre"))
    with pytest.raises(InputError, match="unknown field"):
        parse_mapping("nickname=Cliente")


def test_wrong_format_is_one_clear_input_error(tmp_path):
    with pytest.raises(InputError, match="not a LinkedIn Connections.csv"):
        svc.import_file(FIXTURES / "contactos_generic.csv", "linkedin")
    with pytest.raises(InputError, match="not a vCard"):
        svc.import_file(FIXTURES / "linkedin_connections.csv", "vcard")
    with pytest.raises(InputError, match="not a coach backup"):
        bad = tmp_path / "other.json"
        bad.write_text('{"hello": "world"}', encoding="utf-8")
        svc.import_file(bad, "json")
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(InputError, match="binary"):
        svc.import_file(png, "csv")
    with pytest.raises(InputError, match="no such file"):
        svc.import_file(tmp_path / "missing.csv")


def test_a_fatal_error_leaves_the_database_unchanged():
    svc.import_file(FIXTURES / "contacts_v4.vcf", "vcard")
    before = svc.export("json")
    with pytest.raises(InputError, match=r"broken vCard \(card 2, starting line 7\)"):
        svc.import_file(FIXTURES / "broken.vcf", "vcard")
    assert _strip(svc.export("json")) == _strip(before)
    assert "Carla Valid" not in by_name()


def test_a_failure_while_writing_rolls_back_the_whole_import(monkeypatch, tmp_path):
    svc.import_file(FIXTURES / "contacts_v4.vcf", "vcard")
    before = _strip(svc.export("json"))
    # one new person (inserted first) and two known ones (merged after): fail on the merge
    mixed = tmp_path / "mixed.vcf"
    mixed.write_text("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Nueva Persona\r\nEND:VCARD\r\n"
                     + (FIXTURES / "contacts_v4.vcf").read_text(encoding="utf-8"),
                     encoding="utf-8")

    def explode(s, target):
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc, "_apply_existing", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        svc.import_file(mixed, "vcard")
    assert _strip(svc.export("json")) == before
    assert "Nueva Persona" not in by_name()


def _strip(export_text: str) -> dict:
    doc = json.loads(export_text)
    doc.pop("exported_at")
    doc["profile"].pop("updated_at")
    return doc


def _switch_home(monkeypatch, home) -> None:
    monkeypatch.setenv("COACH_HOME", str(home))
    reset_settings()
    dispose_engines()


def _populate() -> None:
    svc.set_profile(name="Carmen Vega", role="Fundadora", offer="Logística de café",
                    goal="allies", language="es")
    svc.import_file(FIXTURES / "contacts_v3.vcf", "vcard")
    gone = svc.add_contact(name="Temporal")
    svc.delete_contact(gone["id"])  # leaves a gap in the ids
    ana = svc.add_contact(name="Ana Gómez", company="Acme", tier="prospect", met_on="2024-03-01",
                          tags="feria, Bogotá", needs="distribuidores", offers="contactos")
    svc.add_note(ana["id"], "Le presenté a João", kind="intro", value="given",
                 occurred_on="2024-03-05", related="João")
    svc.add_note(ana["id"], "Me recomendó un libro", value="received",
                 occurred_on=date(2024, 4, 1))
    from coach.store.db import session_scope
    from coach.store.drafts import save_draft

    with session_scope() as s:
        save_draft(s, ana["id"], "follow-up", "email", "es", "Gracias", "Hola Ana, ...", "local",
                   True, {"checks": {"name": True}})
        save_draft(s, None, "pitch", "none", "es", "", "Soy Carmen...", "local", False, {})


def _canonical(doc: dict) -> dict:
    """The backup with contact ids replaced by names, so two databases compare equal."""
    names = {c["id"]: c["name"] for c in doc["contacts"]}
    contacts = sorted(({**c, "id": None} for c in doc["contacts"]), key=lambda c: c["name"])
    notes = sorted(({**i, "id": None, "contact_id": names[i["contact_id"]],
                     "related_contact_id": names.get(i["related_contact_id"])}
                    for i in doc["interactions"]), key=lambda i: (i["contact_id"], i["text"]))
    drafts = sorted(({**d, "id": None, "contact_id": names.get(d["contact_id"])}
                     for d in doc["drafts"]), key=lambda d: d["text"])
    profile = {k: v for k, v in doc["profile"].items() if k != "updated_at"}
    return {"profile": profile, "contacts": contacts, "interactions": notes, "drafts": drafts}


def test_json_backup_round_trip_restores_the_same_state(tmp_path, monkeypatch):
    _populate()
    backup = tmp_path / "backup.json"
    svc.export_to_file("json", backup)
    original = json.loads(backup.read_text(encoding="utf-8"))
    assert len(original["contacts"]) == 3 and len(original["interactions"]) == 4

    _switch_home(monkeypatch, tmp_path / "restored")
    result = svc.import_file(backup)
    assert (result["format"], result["imported"], result["merged"]) == ("json", 3, 0)
    assert (result["notes_added"], result["drafts"]) == (4, 2)
    restored = json.loads(svc.export("json"))
    assert _canonical(restored) == _canonical(original)

    again = svc.import_file(backup, "json")  # importing twice changes nothing
    assert (again["imported"], again["merged"], again["notes_added"]) == (0, 3, 0)
    assert _canonical(json.loads(svc.export("json"))) == _canonical(original)


def test_imported_notes_reach_the_search_index():
    from coach.services import knowledge

    svc.import_file(FIXTURES / "contacts_v4.vcf", "vcard")
    zoe = by_name()["Zoë Castañeda"]
    hits = knowledge.search("importadores en Alemania", k=3, kind="note")
    assert hits and hits[0]["contact_id"] == zoe["id"]
    assert "importadores en Alemania" in hits[0]["text"]


def test_an_index_failure_keeps_the_note_and_warns(monkeypatch):
    from coach.services import knowledge

    def down(note_ids, settings=None):
        raise RuntimeError("index offline")

    monkeypatch.setattr(knowledge, "sync_notes", down)
    svc.add_contact(name="Ana")
    note = svc.add_note("Ana", "Hablamos de ferias")
    assert "run `coach reindex`" in note["warning"]
    assert [n["text"] for n in svc.list_notes("Ana")] == ["Hablamos de ferias"]
