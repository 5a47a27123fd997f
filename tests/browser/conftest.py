"""Real-browser tests: ``streamlit run audit_app.py`` on a free port, Debian's Chromium, a temporary database.

The server starts once per session (the pattern of streamlit's own
``e2e_playwright`` suite): it waits on ``/_stcore/health`` and is stopped at
the end. Tests wait for ``[data-testid='stApp'][data-test-script-state='notRunning']``
and for the concrete change they expect, never for fixed times alone.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium``.
Without that binary the browser tests are skipped, with the reason.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 120


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the app in a real Chromium against `streamlit run`")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    db_path: Path
    log_path: Path
    pid: int  # the streamlit process (tests pause it with SIGSTOP / SIGCONT)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def pause(self) -> None:
        """Freeze the server (as an overloaded or stalled machine would); :meth:`resume` goes on."""
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def running_streamlit(script: str, env: dict[str, str], log_path: Path, db_path: Path) -> Iterator[Server]:
    """``streamlit run script`` (a path from the project root) on a free port until the block ends; healthy on entry."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.port", str(port), "--server.address", "127.0.0.1",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy in {STARTUP_SECONDS} s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.25)
        yield Server(url, db_path, log_path, proc.pid)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)  # never leave it frozen
            proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    folder = tmp_path_factory.mktemp("browser")
    db_path = folder / "audit.sqlite"
    # AUDIT_HANDOFF_ALLOW_LOCAL (tests only): the hand-off may call the local stand-ins of Bitrix24 and amoCRM.
    env = {**os.environ, "AUDIT_DATABASE_URL": str(db_path), "PYTHONUNBUFFERED": "1", "AUDIT_HANDOFF_ALLOW_LOCAL": "1"}
    env.pop("AUDIT_PUBLIC_URL", None)
    with running_streamlit("audit_app.py", env, folder / "streamlit.log", db_path) as running:
        yield running


@pytest.fixture(scope="session")
def browser(server: Server) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """On a failure, keep a screenshot of every open page in ``test-artifacts/`` (ignored by git)."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    chromium = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if chromium is None:
        return
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    for c, context in enumerate(chromium.contexts):
        for p, page in enumerate(context.pages):
            with contextlib.suppress(Exception):  # a closed page: nothing to keep
                page.screenshot(path=str(folder / f"{item.name}-{c}-{p}.png"))
