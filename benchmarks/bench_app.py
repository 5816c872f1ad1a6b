"""Benchmark the web app's start: seconds from ``streamlit run`` process start to first paint.

First paint = the page's main heading is visible in headless Debian Chromium (Playwright).
Baseline in the same run: a bare hello-world Streamlit script started the same way (same
config, same browser), so the ratio shows what the coach adds on top of Streamlit itself.
Each variant runs with a fresh COACH_HOME (the first-run page) and again with the example
contacts loaded (the home page with metrics and the weekly plan).

Run: .venv/bin/python -m benchmarks.bench_app [--runs N]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.results import table, write_section

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--no-first-run"]
HELLO = 'import streamlit as st\n\nst.title("Hello")\n'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_health(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError("streamlit did not answer")


def first_paint(browser, script: Path, heading: str, home: Path) -> float:
    """Seconds from Popen to the heading being visible in a new page."""
    from playwright.sync_api import expect

    port = free_port()
    env = {**os.environ, "COACH_HOME": str(home)}
    page = browser.new_page()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_health(port, process)
        page.goto(f"http://127.0.0.1:{port}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=120_000)
        return time.perf_counter() - start
    finally:
        page.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def seeded_home(root: Path) -> Path:
    """A COACH_HOME with the example contacts, imported by a separate process."""
    home = root / "seeded"
    code = ("from coach.services.contacts import import_file; "
            "from coach.ui.state import EXAMPLE_CONTACTS; import_file(EXAMPLE_CONTACTS, 'json')")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                   env={**os.environ, "COACH_HOME": str(home)})
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        root = Path(tmp)
        hello = root / "hello.py"
        hello.write_text(HELLO)
        seeded = seeded_home(root)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        variants = {
            "hello-world Streamlit (baseline)": (hello, "Hello", lambda n: root / f"h{n}"),
            "coach, empty data folder (first run)": (REPO / "streamlit_app.py",
                                                     "Tu coach de networking",
                                                     lambda n: root / f"e{n}"),
            "coach, 6 example contacts": (REPO / "streamlit_app.py", "Tu coach de networking",
                                          lambda n: seeded),
        }
        first_paint(browser, hello, "Hello", root / "warm")  # warm the OS file cache
        times: dict[str, list[float]] = {name: [] for name in variants}
        for n in range(args.runs):  # interleaved so drift hits every variant alike
            for name, (script, heading, home) in variants.items():
                times[name].append(first_paint(browser, script, heading, home(n)))
        browser.close()

    base = statistics.median(times["hello-world Streamlit (baseline)"])
    rows = []
    for name, values in times.items():
        med = statistics.median(values)
        rows.append([name, f"{med:.2f}", f"{min(values):.2f}", f"{max(values):.2f}",
                     f"{med / base:.2f}×"])
    body = (
        f"Seconds from `streamlit run` process start to the main heading being visible in "
        f"headless Chromium; {args.runs} runs each, interleaved; ratio = median / baseline "
        f"median.\n\n"
        + table(["app", "median s", "min s", "max s", "ratio"], rows)
        + "\n\nThe coach paints its heading before it imports the services; the model, the "
          "encoder and Chroma are not loaded at start (first use only, `st.cache_resource`)."
    )
    write_section("app", "Web app: process start to first paint",
                  f".venv/bin/python -m benchmarks.bench_app --runs {args.runs}", body)


if __name__ == "__main__":
    main()
