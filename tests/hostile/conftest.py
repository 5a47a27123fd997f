"""The hostile-input corpus: every case is measured (work time and memory) and the worst ones are printed at the end.

Memory is asserted, never time: ``measured`` runs a case under ``tracemalloc``
(every Python allocation, peak above the start); ``in_subprocess`` runs a heavy
case in a fresh interpreter and reads the peak resident memory the kernel
counted (``VmHWM`` after resetting it, minus ``VmRSS`` at the start), which
also sees what C libraries (libyaml, expat, zlib, lxml) allocate. Times are
recorded and printed so the report can quote the worst case.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
MEMORY_BOUND = 200 * MB  # above what the process held when the case started
T = TypeVar("T")


@dataclass(frozen=True)
class Measured:
    case: str
    seconds: float
    peak: int
    how: str


MEASURED: list[Measured] = []  # this test session's measurements, printed by pytest_terminal_summary


@pytest.fixture
def measured(request: pytest.FixtureRequest) -> Callable[[Callable[[], T]], T]:
    """Run ``work()`` under tracemalloc; fail when its peak passes the bound; record time and memory."""

    def run(work: Callable[[], T]) -> T:
        gc.collect()
        tracemalloc.start()
        start = time.perf_counter()
        try:
            return work()
        finally:
            seconds = time.perf_counter() - start
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            MEASURED.append(Measured(request.node.name, seconds, peak, "python heap"))
            assert peak < MEMORY_BOUND, f"{request.node.name}: peak {peak / MB:.0f} MB"

    return run


_PRELUDE = """
import json, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
def _status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key + ':'):
            return int(line.split()[1]) * 1024
{setup}
with open('/proc/self/clear_refs', 'w') as f:
    f.write('5')  # reset the peak (VmHWM) to what is resident now
_base = _status('VmRSS')
_start = time.perf_counter()
_result = {work}
_seconds = time.perf_counter() - _start
print(json.dumps({{'seconds': _seconds, 'peak': _status('VmHWM') - _base, 'result': repr(_result)[:2000]}}))
"""


@pytest.fixture
def in_subprocess(request: pytest.FixtureRequest) -> Callable[[str, str], str]:
    """Run ``work`` (an expression) after ``setup`` (statements) in a fresh Python; returns ``repr`` of its value.

    Fails when the resident memory grew more than the bound while ``work`` ran.
    """

    def run(setup: str, work: str) -> str:
        code = _PRELUDE.format(root=str(ROOT), tests=str(ROOT / "tests"), setup=setup, work=work)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-3000:]
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        MEASURED.append(Measured(request.node.name, answer["seconds"], answer["peak"], "resident (subprocess)"))
        assert answer["peak"] < MEMORY_BOUND, f"{request.node.name}: resident memory grew {answer['peak'] / MB:.0f} MB"
        return str(answer["result"])

    return run


@pytest.fixture(autouse=True)
def _no_leftover_tracing() -> Iterator[None]:
    yield
    if tracemalloc.is_tracing():
        tracemalloc.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not MEASURED:
        return
    write = terminalreporter.write_line
    write("")
    write(f"hostile inputs: {len(MEASURED)} cases measured (memory bound {MEMORY_BOUND // MB} MB above the start)")
    for title, key in (("slowest", lambda m: m.seconds), ("most memory", lambda m: m.peak)):
        for m in sorted(MEASURED, key=key, reverse=True)[:5]:
            write(f"  {title:<12} {m.seconds:6.2f} s  {m.peak / MB:7.1f} MB ({m.how})  {m.case}")
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    lines = [f"{m.seconds:.3f}\t{m.peak}\t{m.how}\t{m.case}" for m in MEASURED]
    (artifacts / "hostile-measurements.tsv").write_text("seconds\tpeak_bytes\thow\tcase\n" + "\n".join(lines) + "\n", encoding="utf-8")
