"""End to end in a real browser: headless Debian Chromium (Playwright) against ``streamlit run``.

Opens the app, adds a contact with a note, drafts its follow-up with one click (real local
model) and saves a screenshot to ``test-artifacts/e2e-follow-up.png``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port, stop_process, wait_for_http

from coach.config import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--no-first-run"]
ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = pytest.mark.slow


def ensure_chromium() -> Path:
    """Debian's chromium, installed here when missing (as root); otherwise a clear failure."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if not CHROMIUM.exists():
        pytest.fail("the browser test needs Debian's chromium at /usr/bin/chromium: run "
                    "`sudo apt-get install -y chromium` (or `make test`, which does it)")
    return CHROMIUM


@pytest.fixture
def app_url(tmp_path) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` on a free 127.0.0.1 port with its own COACH_HOME."""
    port = free_port()
    env = {**os.environ, "COACH_HOME": str(tmp_path / "e2e-home")}
    log_path = tmp_path / "streamlit.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "streamlit_app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=120,
                          process=process)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_process(process)
    if process.returncode not in (0, -15, None):
        print(log_path.read_text()[-3000:])


def test_add_contact_with_note_and_draft_follow_up_in_chromium(app_url):
    from playwright.sync_api import expect, sync_playwright

    chromium = ensure_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "e2e-follow-up.png"
    shot.unlink(missing_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})
            page.goto(app_url)
            expect(page.get_by_role("heading", name="Tu coach de networking")).to_be_visible(
                timeout=60_000)
            expect(page.get_by_role("button", name="Cargar contactos de ejemplo")).to_be_visible()

            page.get_by_role("link", name="Contactos").first.click()
            expect(page.get_by_role("heading", name="Contactos")).to_be_visible(timeout=30_000)
            page.get_by_label("Nombre").fill("Ana Torres")
            page.get_by_label("Empresa").fill("Nutrivida")
            page.get_by_label("Dónde os conocisteis").fill("Foro Pyme Bogotá")
            page.get_by_label("Primera nota (de qué hablasteis, qué necesita)").fill(
                "Busca distribuidores en la costa; le interesa un piloto con tenderos.")
            page.get_by_role("button", name="Guardar contacto").click()
            expect(page.get_by_role("heading", name="Ana Torres")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Busca distribuidores en la costa")).to_be_visible()

            page.get_by_role("button", name="Redactar seguimiento").click()
            draft = page.get_by_label("Borrador (puedes editarlo)")
            failure = page.locator("[data-testid=stException], [data-testid=stAlertContentError]")
            expect(draft.or_(failure).first).to_be_visible(timeout=480_000)
            if failure.count():
                page.screenshot(path=str(shot), full_page=True)
                pytest.fail(f"the app showed an error: {failure.first.inner_text()[:500]}")
            text = draft.input_value()
            assert "Ana" in text, text
            expect(page.get_by_role("tab", name="Verificaciones")).to_be_visible()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
