"""`coach doctor --json` with the real embedded model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_doctor_reports_local_backend_generating(coach_home):
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "doctor", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["backend"] == "local"
    assert report["generated_by"] == "local"
    assert "gemma" in report["model"].lower()
    assert report["data_dir"] == str(coach_home)
    assert report["gen_ms"] > 0
    assert report["sample"].strip()
    assert set(report["index"]) >= {"guidance", "notes"}
    assert report["remote"] is False
