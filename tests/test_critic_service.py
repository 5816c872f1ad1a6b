"""The critique service and CLI: verified rewrites, batch mode, input errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.errors import InputError
from coach.services.critique import critique, critique_batch, facts, keeps_facts
from coach.verify.critic import analyze

COACH = str(Path(sys.executable).with_name("coach"))
SELF_ES = ("Hola Laura, tengo 20 años de experiencia en ventas y soy el mejor cerrando "
           "acuerdos en Madrid. Busco trabajo, ¿me consigues una entrevista?")


def _run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([COACH, *args], input=stdin, capture_output=True, timeout=120)


def test_facts_and_keeps_facts():
    assert {"Laura", "20", "Madrid"} <= facts(SELF_ES)
    assert "Hola" not in facts(SELF_ES)
    assert keeps_facts("Hi Ann, I spent 20 years at Acme.", "Ann, how is Acme? 20 years!")
    assert not keeps_facts("Hi Ann, I spent 20 years at Acme.", "Ann, how is Acme?")
    assert not keeps_facts("Hi Ann, 20 years at Acme.", "Ann, 20 years at Acme and Google.")
    assert keeps_facts("Hi Ann.", "Hi Ann. Could we talk for 15 minutes?")


def test_rules_rewrite_without_llm_is_never_worse():
    result = critique(SELF_ES, rewrite=True, use_llm=False)
    assert result["rewrite_source"] == "rules"
    assert result["rewrite_score"] < result["yoismo_score"]
    assert result["rewrite"].startswith("Hola Laura")


def test_an_ok_message_comes_back_as_itself():
    text = "Hi Ann, how was the Lisbon trip? Here's the article I mentioned."
    result = critique(text, rewrite=True, use_llm=False)
    assert result["verdict"] == "ok"
    assert result["rewrite_source"] in ("original", "rules")
    assert result["rewrite_score"] <= result["yoismo_score"]
    if result["rewrite_source"] == "original":
        assert result["rewrite"] == text and result["notice"]


def test_empty_and_bad_language_are_input_errors():
    with pytest.raises(InputError):
        critique("   ")
    with pytest.raises(InputError):
        critique("hola", lang="fr")


def test_batch_keeps_order_and_reports_bad_lines():
    lines = ['{"text": "I am the best, hire me", "lang": "en"}', "not json", "",
             '"Hola Ana, ¿qué tal el viaje?"', '{"nope": 1}']
    out = list(critique_batch(lines))
    assert [o.get("line") for o in out] == [None, 2, None, 5]
    assert out[0]["verdict"] != "ok" and out[2]["lang"] == "es"
    assert "rewrite" not in out[0]


@pytest.mark.slow
def test_llm_rewrite_with_the_real_local_model_is_verified():
    """Whichever path wins, the rewrite is never worse and an LLM win keeps the facts."""
    result = critique(SELF_ES, rewrite=True)
    assert result["rewrite_source"] in ("llm", "rules", "original")
    assert result["rewrite_score"] <= result["yoismo_score"]
    assert analyze(result["rewrite"], "es").yoismo_score == result["rewrite_score"]
    if result["rewrite_source"] == "llm":
        assert result["rewrite_keeps_facts"] is True
        assert result["backend"] == "local"
        assert result["rewrite_score"] < result["yoismo_score"]


def test_cli_stdin_json():
    proc = _run(["critique", "-", "--no-rewrite", "--json"], SELF_ES.encode())
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["lang"] == "es" and data["verdict"] == "rewrite"
    assert "rewrite" not in data
    for f in data["findings"]:
        assert SELF_ES[f["start"]:f["end"]] == f["excerpt"]


def test_cli_batch_with_a_bad_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Hire me, I am the best"}\n{broken\n"Hi Ann, how are you?"\n',
                    encoding="utf-8")
    proc = _run(["critique", "--batch", str(path)])
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(rows) == 3
    assert rows[1] == {"line": 2, "error": rows[1]["error"]} and rows[1]["error"]
    assert rows[0]["verdict"] != "ok" and rows[2]["verdict"] == "ok"


def test_cli_non_utf8_and_empty_input_fail_with_one_line(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Hola, soy el mejor diseñador".encode("latin-1"))
    proc = _run(["critique", str(bad), "--json"])
    assert proc.returncode != 0 and proc.stdout == b""
    assert proc.stderr.decode().strip().splitlines()[-1].startswith("error:")
    assert "UTF-8" in proc.stderr.decode()
    proc = _run(["critique", "-", "--json"], b"  \n")
    assert proc.returncode != 0 and "empty" in proc.stderr.decode()
