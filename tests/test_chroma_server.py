"""A round trip through a real ``chroma run`` server on 127.0.0.1 (COACH_CHROMA_URL)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port, stop_process

from coach.config import reset_settings
from coach.services import knowledge
from coach.store import contacts as store
from coach.store.db import session_scope

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port),
         "--path", str(tmp_path / "server-data")], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("chroma run did not start: "
                                       + (tmp_path / "chroma.log").read_text()[-500:]) from None
                time.sleep(0.2)
        yield url
    finally:
        stop_process(proc)
        log.close()


@pytest.mark.slow
def test_round_trip_through_chroma_server(chroma_server, monkeypatch, coach_home):
    monkeypatch.setenv("COACH_CHROMA_URL", chroma_server)
    reset_settings()
    with session_scope() as s:
        contact = store.add_contact(s, name="Sara Vidal")
        note = store.add_interaction(s, contact, "Prepara una ronda de financiación semilla")
        contact_id, note_id = contact.id, note.id
    knowledge.sync_notes([note_id])
    hits = knowledge.search("inversión inicial", k=1, kind="note")
    assert hits[0]["contact_id"] == contact_id
    assert knowledge.search("escucha activa", k=3, kind="guidance")[0]["kind"] == "guidance"
    counts = knowledge.reindex()
    assert counts["notes"] == 1 and counts["guidance"] >= 25
    assert not (coach_home / "chroma").exists()  # nothing went to the embedded store


def test_unreachable_server_is_one_clear_error(monkeypatch):
    from coach.errors import ConfigError

    monkeypatch.setenv("COACH_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    reset_settings()
    with pytest.raises(ConfigError, match="cannot reach the Chroma server"):
        knowledge.search("hola")
