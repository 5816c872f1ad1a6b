"""The web app: uploads are size-limited, XSRF protection is on, and ``streamlit run``
listens on 127.0.0.1 only unless configured otherwise.

The settings are read the way Streamlit reads them (``.streamlit/config.toml`` from the
working folder), then proved on a real ``streamlit run`` started WITHOUT any
``--server.*`` flags: its listening sockets, a connection attempt on a non-loopback
address, and uploads with and without the XSRF token. Streamlit checks an upload's size
only for a live browser session, so the live test covers XSRF; the size limit is proved as
an effective option and on the importer, which refuses a larger file before reading it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import free_port, stop_process, wait_for_http

from coach.config import REPO_ROOT, get_settings

CONFIG = REPO_ROOT / ".streamlit" / "config.toml"


def test_the_config_file_sets_the_limits():
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert 1 <= server["maxUploadSize"] <= 50
    assert server["maxUploadSize"] == get_settings().max_upload_mb  # the importer agrees


def test_streamlit_reads_them_as_effective_options(monkeypatch):
    from streamlit import config

    monkeypatch.chdir(REPO_ROOT)
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("server.address") == "127.0.0.1"
        assert config.get_option("server.enableXsrfProtection") is True
        assert config.get_option("server.maxUploadSize") == get_settings().max_upload_mb
        assert config.get_option("browser.gatherUsageStats") is False
    finally:
        config.get_config_options(force_reparse=True)


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as /proc/net/tcp* write them) listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table, encoding="ascii").read().splitlines()[1:]  # noqa: SIM115
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.append(address)
    return found


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def app_port(tmp_path_factory) -> Iterator[int]:
    """``streamlit run streamlit_app.py --server.port N``: no address, XSRF or size flags."""
    port = free_port()
    home = tmp_path_factory.mktemp("webapp-home")
    env = {**os.environ, "COACH_HOME": str(home)}
    for name in list(env):
        if name.startswith("STREAMLIT_"):
            env.pop(name)  # only the config file decides
    log = open(home / "streamlit.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "streamlit_app.py"),
         "--server.port", str(port)],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=180, process=process)
        yield port
    finally:
        stop_process(process)
        log.close()


def test_streamlit_run_listens_on_loopback_only(app_port):
    addresses = _listening(app_port)
    assert addresses, "no listening socket found for the app's port"
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    assert set(addresses) <= loopback, addresses
    other = _non_loopback_address()
    if other is not None:  # and a connection on the machine's own address is refused
        with pytest.raises(OSError):
            socket.create_connection((other, app_port), timeout=3).close()


def _put(port: int, size: int, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_stcore/upload_file/no-such-session/file", method="PUT",
        data=b"x" * size, headers={"Content-Type": "application/octet-stream",
                                   **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def test_uploads_need_the_xsrf_token(app_port):
    status, body = _put(app_port, 10)
    assert (status, "XSRF" in body) == (403, True)
    forged = _put(app_port, 10, {"X-Xsrftoken": "forged", "Cookie": "_streamlit_xsrf=forged"})
    assert forged[0] == 403
    # with the token the server hands out, the same request passes the XSRF check (and
    # fails later, on the made-up session): the 403 above really is the XSRF protection
    with urllib.request.urlopen(f"http://127.0.0.1:{app_port}/_stcore/health") as response:
        cookie = response.headers.get("Set-Cookie", "").split(";", 1)[0]
    assert cookie.startswith("_streamlit_xsrf=")
    token = cookie.split("=", 1)[1]
    status, body = _put(app_port, 10, {"X-Xsrftoken": token, "Cookie": cookie})
    assert status == 400 and "session" in body.lower()


def test_files_over_the_limit_are_refused_before_they_are_read(coach_home):
    from coach.errors import InputError
    from coach.services.contacts import import_file

    big = coach_home.parent / "big.csv"
    limit = get_settings().max_upload_mb * 1024 * 1024
    with big.open("wb") as handle:
        handle.write(b"name\n")
        handle.truncate(limit + 1)
    with pytest.raises(InputError, match="larger than"):
        import_file(big)
