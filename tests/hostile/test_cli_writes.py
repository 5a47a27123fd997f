"""``python -m audit export --out`` and ``catalog export --out``: only a new path or a regular file is replaced.

A symbolic link, a device such as ``/dev/null``, a folder, a FIFO or a socket
is refused with one line and left exactly as it was; the file is written
atomically; what a killed run left next to the target (the atomic write's
``.NAME.*.tmp`` file and the run's private folder with xlsxwriter's row files)
is gone after the next run.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from audit.cli import main
from audit.outfile import private_temp, remove_stale
from audit.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audit_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from audit.demo import create_demo

    db = tmp_path_factory.mktemp("cli") / "audit.sqlite"
    store = Store(str(db))
    audit, _links = create_demo(store, catalog_id="retail", raters=8, seed=1)
    store.close()
    return db, audit.id


@pytest.fixture
def precious(tmp_path: Path) -> Path:
    path = tmp_path / "precious.txt"
    path.write_text("do not touch", encoding="utf-8")
    return path


def _symlink(tmp_path: Path, precious: Path) -> Path:
    link = tmp_path / "plan.xlsx"
    link.symlink_to(precious)
    return link


def _dangling(tmp_path: Path, _precious: Path) -> Path:
    link = tmp_path / "plan.xlsx"
    link.symlink_to(tmp_path / "nowhere" / "x")
    return link


def _fifo(tmp_path: Path, _precious: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    os.mkfifo(path)
    return path


def _folder(tmp_path: Path, _precious: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    path.mkdir()
    (path / "inside.txt").write_text("keep", encoding="utf-8")
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "plan.xlsx"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def _snapshot(path: Path) -> tuple[Any, ...]:
    info = os.lstat(path)
    content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
    listing = sorted(os.listdir(path)) if stat.S_ISDIR(info.st_mode) else None
    return stat.S_IFMT(info.st_mode), info.st_ino, info.st_rdev, content, target, listing


# (case id, make the target, words in the one-line error)
REFUSED: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("symlink-to-a-file", _symlink, "symbolic link"),
    ("dangling-symlink", _dangling, "symbolic link"),
    ("fifo", _fifo, "not a regular file"),
    ("folder", _folder, "is a folder"),
    ("null-device", lambda _t, _p: Path("/dev/null"), "not a regular file"),
    ("zero-device", lambda _t, _p: Path("/dev/zero"), "not a regular file"),
]
EXPORTS = {
    "export": lambda db, audit_id, out: ["export", "--db", str(db), "--audit", audit_id, "--out", str(out)],
    "catalog-export-xlsx": lambda db, audit_id, out: ["catalog", "export", "retail", "--out", str(out)],
    "catalog-export-csv": lambda db, audit_id, out: ["catalog", "export", "general", "--out", str(out)],
}


def _one_line_error(capsys: pytest.CaptureFixture[str], words: str) -> None:
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("command", list(EXPORTS), ids=list(EXPORTS))
@pytest.mark.parametrize(("make", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_target_that_is_not_a_regular_file_is_refused_and_left_alone(
    command: str, make: Callable[[Path, Path], Path], words: str, audit_db: tuple[Path, str], tmp_path: Path, precious: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = make(tmp_path, precious)
    before, precious_before = _snapshot(target), precious.read_bytes()
    assert main(EXPORTS[command](*audit_db, target)) == 1
    _one_line_error(capsys, words)
    assert _snapshot(target) == before and precious.read_bytes() == precious_before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("command", list(EXPORTS), ids=list(EXPORTS))
def test_a_socket_is_refused(command: str, audit_db: tuple[Path, str], unix_socket: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(EXPORTS[command](*audit_db, unix_socket)) == 1
    _one_line_error(capsys, "not a regular file")
    assert stat.S_ISSOCK(os.lstat(unix_socket).st_mode)


BAD_PATHS: list[tuple[str, Callable[[Path], str], str]] = [
    ("missing-folder", lambda tmp: str(tmp / "missing" / "plan.xlsx"), "does not exist"),
    ("folder-is-a-file", lambda tmp: str(tmp / "precious.txt" / "plan.xlsx"), "is not a folder"),
    ("empty", lambda tmp: "", "give a file name"),
    ("spaces", lambda tmp: "   ", "give a file name"),
    ("proc-file", lambda tmp: "/proc/version", "error: "),
    ("sys-folder", lambda tmp: "/sys", "is a folder"),
]


@pytest.mark.parametrize("command", list(EXPORTS), ids=list(EXPORTS))
@pytest.mark.parametrize(("path", "words"), [c[1:] for c in BAD_PATHS], ids=[c[0] for c in BAD_PATHS])
def test_a_bad_path_gets_one_line(
    command: str, path: Callable[[Path], str], words: str, audit_db: tuple[Path, str], tmp_path: Path, precious: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(EXPORTS[command](*audit_db, path(tmp_path))) == 1
    _one_line_error(capsys, words)


def test_an_unwritable_folder_gets_one_line_from_a_real_process(audit_db: tuple[Path, str], tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["catalog", "export", "retail", "--out", str(folder / "c.csv")], ["catalog", "export", "retail", "--out", "/proc/1/nope.csv"]):
        done = subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, env=env, timeout=120)
        if os.geteuid() == 0 and args[-1].startswith(str(folder)):
            assert done.returncode == 0  # root may write anywhere: nothing to refuse
            continue
        assert done.returncode == 1 and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_regular_file_is_replaced_atomically(audit_db: tuple[Path, str], tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    assert main(EXPORTS["export"](*audit_db, out)) == 0
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == "Action plan"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_catalog_fifo_as_the_source_is_refused_without_hanging(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mine.yaml"
    os.mkfifo(source)
    assert main(["catalog", "export", str(source), "--out", str(tmp_path / "c.csv")]) == 1
    assert "not a regular file" in capsys.readouterr().err
    assert not (tmp_path / "c.csv").exists()


# ---------------------------------------------------------------- killed runs


def _leftovers(folder: Path, name: str = "plan.xlsx") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


def _kill_during_the_write(db: Path, audit_id: str, out: Path) -> list[str]:
    """Start an export, SIGKILL it while its temporary files exist; returns what it left."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _attempt in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "audit", "export", "--db", str(db), "--audit", audit_id, "--out", str(out)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.is_file() for p in out.parent.glob(f".{out.name}.*.tmp")):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return _leftovers(out.parent)
            time.sleep(0.002)
        proc.kill()
        proc.wait()
    pytest.fail("the export always finished before it could be killed")


def test_a_killed_export_leaves_nothing_after_the_next_run(audit_db: tuple[Path, str], tmp_path: Path) -> None:
    db, audit_id = audit_db
    out = tmp_path / "plan.xlsx"
    left = _kill_during_the_write(db, audit_id, out)
    assert any((tmp_path / name).is_file() for name in left), left  # the atomic write's temporary file
    assert any((tmp_path / name).is_dir() for name in left), left  # the run's private folder (xlsxwriter's row files)
    assert not out.exists()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "audit", "export", "--db", str(db), "--audit", audit_id, "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _leftovers(tmp_path) == []
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == "Action plan"


def test_what_a_live_run_holds_is_not_removed(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    stale = tmp_path / ".plan.xlsx.abc123.tmp"
    stale.write_bytes(b"half a workbook")
    other = tmp_path / ".other.xlsx.abc.tmp"
    other.write_bytes(b"not ours")
    with private_temp(target) as folder:
        (folder / "tmpxlsxwriter").write_bytes(b"rows")
        assert remove_stale(target) == 0  # a run on this target is alive: its files stay
        assert stale.exists() and folder.exists()
    assert not folder.exists()
    assert remove_stale(target) == 1 and not stale.exists() and other.exists()


def test_the_private_folder_takes_python_temporary_files(tmp_path: Path) -> None:
    import tempfile

    target = tmp_path / "plan.xlsx"
    with private_temp(target) as folder:
        fd, name = tempfile.mkstemp()
        os.close(fd)
        assert Path(name).parent == folder
    assert tempfile.gettempdir() != str(folder) and not folder.exists()
