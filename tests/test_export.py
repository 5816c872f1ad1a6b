"""Exports: CSV, vCard 3.0 and iCalendar read back by real parsers; atomic writes; no secrets."""

from __future__ import annotations

import csv
import io

import pytest
import vobject
from conftest import FIXTURES
from icalendar import Calendar

from coach.config import reset_settings
from coach.errors import InputError
from coach.services import contacts as svc
from coach.store.db import dispose_engines


def _people() -> None:
    svc.import_file(FIXTURES / "contacts_v3.vcf", "vcard")
    svc.add_contact(name="Ana Gómez", company="Acme, S.L.", tier="prospect",
                    met_on="2024-03-01", tags="feria; Bogotá", email="ana@example.com",
                    needs="distribuidores")
    svc.add_contact(name="Bea Ruiz", tier="ally", met_on="2024-06-20")
    svc.add_note("Ana", "Hablamos de logística", occurred_on="2024-03-01")


def test_csv_export_reimports_into_an_empty_database(tmp_path, monkeypatch):
    _people()
    text = svc.export("csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    ana = next(r for r in rows if r["name"] == "Ana Gómez")
    assert (ana["company"], ana["tags"], ana["last_interaction"], ana["notes"]) == (
        "Acme, S.L.", "feria; Bogotá", "2024-03-01", "1")
    path = tmp_path / "contacts.csv"
    svc.export_to_file("csv", path)
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "other"))
    reset_settings()
    dispose_engines()
    result = svc.import_file(path)
    assert (result["format"], result["imported"], result["skipped"]) == ("csv", 4, [])
    again = {c["name"]: c for c in svc.list_contacts()}
    assert again["Ana Gómez"]["tags"] == ["feria", "Bogotá"]
    assert again["Ana Gómez"]["tier"] == "prospect"
    assert again["María José Fernández Ruiz"]["emails"] == [
        "mj.fernandez@example.com", "mariajose.personal@example.net"]


def test_vcard_export_is_valid_3_0_and_merges_back(tmp_path):
    _people()
    text = svc.export("vcard")
    cards = list(vobject.readComponents(text))
    assert len(cards) == 4 and {c.version.value for c in cards} == {"3.0"}
    mj = next(c for c in cards if c.fn.value == "María José Fernández Ruiz")
    assert [e.value for e in mj.contents["email"]] == ["mj.fernandez@example.com",
                                                       "mariajose.personal@example.net"]
    assert all(len(line.encode()) <= 75 for line in text.splitlines())  # folded
    path = tmp_path / "export.vcf"
    path.write_text(text, encoding="utf-8", newline="")
    result = svc.import_file(path, "vcard")
    assert (result["imported"], result["merged"]) == (0, 4)


def test_ics_has_one_reminder_per_due_follow_up_with_an_alarm():
    _people()
    text = svc.export("ics", today="2024-06-30")
    cal = Calendar.from_ical(text)
    events = [c for c in cal.walk("VEVENT")]
    due = svc.export_state("2024-06-30", with_review=True)["review"]["due"]
    assert [d["name"] for d in due] == ["Ana Gómez"]  # Bea met 10 days ago; radar just added
    assert len(events) == len(due)
    assert str(events[0]["summary"]).startswith("Ana Gómez: Aporta algo a Ana Gómez")
    for event in events:
        assert event.walk("VALARM")[0]["action"] == "DISPLAY"
        assert str(event["uid"]).endswith("@coach.local")
        assert event.decoded("dtstart").isoformat() >= "2024-06-30"
    assert "seguimientos" in str(cal["x-wr-calname"])


def test_exports_never_contain_secrets(monkeypatch):
    secret = "sk-test-DO-NOT-LEAK-1234567890"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("COACH_DATABASE_URL", "")
    reset_settings()
    _people()
    svc.set_profile(name="Carmen")
    for fmt in ("json", "csv", "vcard", "ics"):
        assert secret not in svc.export(fmt, today="2024-06-30"), fmt


def test_export_to_file_is_atomic(tmp_path, monkeypatch):
    _people()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "backup.json"
    target.write_text("previous backup", encoding="utf-8")

    def failing_replace(src, dst):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(svc.os, "replace", failing_replace)
        with pytest.raises(OSError, match="disk full"):
            svc.export_to_file("json", target)
    assert target.read_text(encoding="utf-8") == "previous backup"
    assert [p.name for p in out.iterdir()] == ["backup.json"]  # no temporary file left
    result = svc.export_to_file("json", target)
    assert result["bytes"] == len(target.read_bytes())
    assert target.read_text(encoding="utf-8").startswith('{\n  "format": "coach-backup"')
    with pytest.raises(InputError, match="no such folder"):
        svc.export_to_file("csv", tmp_path / "missing" / "x.csv")
    with pytest.raises(InputError, match="unknown export format"):
        svc.export("xlsx")
