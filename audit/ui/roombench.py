"""``python -m audit bench --room N``: what a workshop room of N people costs the server, against floors.

The real app runs (``streamlit run audit_app.py``) on a temporary SQLite file
with the project's settings, and N simulated people speak Streamlit's own
websocket protocol (the messages a browser sends; no browser, so the
machine's CPU goes to the server being measured). Each person's card sends
its answers as the component's state value, exactly as ``card.js`` does,
and waits for the acknowledgement before the next tap.

Measured from the server process's CPU time (``/proc/<pid>/stat``, user +
system), in phases, each against a floor measured in the same run:

- **CPU per saved answer**: N people save ``--answers`` answers each. Floor:
  a minimal Streamlit app that saves the same row (``Store.save_rating`` of
  one importance) on each change of a text box, driven the same way.
- **board refresh**: the owner's live board refreshing with N people's
  answers in the database, once with nothing new (the cached board) and once
  with a new answer before every refresh (recomputed). Floor: a minimal
  Streamlit app that reads the same rating rows and shows them in a table.
- the once-a-second "where is the facilitator" question of every card, as
  a share of one core for the whole room;
- the same answers with Streamlit's default ``runner.postScriptGC = true``
  (a full garbage collection after every run), to show why it is off.

Targets: answer and board ratios <= 2x their floors.

It lives with the Streamlit layer because it speaks Streamlit's wire
protocol (``streamlit.proto``); the core stays free of Streamlit, and the
command line (``python -m audit bench --room N``) runs it as its own process
(``python -m audit.ui.roombench N ANSWERS``), so the tools never import the UI.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.catalog import bundled
from audit.model import Rating, Role
from audit.services import Store

ROOT = Path(__file__).resolve().parents[2]
RATIO_TARGET = 2.0
FLOOR_APP = '''
import os
import pandas as pd
import streamlit as st
from audit.model import Rating
from audit.services import Store

@st.cache_resource
def store():
    return Store(os.environ["AUDIT_DATABASE_URL"])

q = st.query_params
if q.get("mode") == "read":
    rows = store().rating_rows(q["a"], 1)
    st.dataframe(pd.DataFrame(rows, columns=["person", "touchpoint", "importance", "reaction", "presence", "na"]))
else:
    answer = st.text_input("answer", key="answer")
    if answer:
        tp, value = answer.split(":")[:2]
        store().save_rating(Rating(q["a"], q["p"], tp, importance=int(value)), fields=["importance"])
        st.write("saved", answer)
'''


# ------------------------------------------------------------------ a server


@dataclass
class Server:
    pid: int
    url: str

    def cpu(self) -> float:
        """CPU seconds the server process has used (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(script: Path, db: Path, *, gc: bool) -> Iterator[Server]:
    """``streamlit run script`` with the project's settings (``postScriptGC`` as given), until the block ends."""
    port = _free_port()
    env = {**os.environ, "AUDIT_DATABASE_URL": str(db), "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--runner.postScriptGC", "true" if gc else "false",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start ({script.name})") from None
                time.sleep(0.2)
        yield Server(proc.pid, f"127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


# ------------------------------------------------------------------ a simulated browser


@dataclass
class Browser:
    """One websocket session: sends reruns with widget states, keeps what the server drew."""

    ws: Any
    widgets: dict[str, Any] = field(default_factory=dict)  # widget id -> ("json" | "string", value)
    elements: dict[str, Any] = field(default_factory=dict)  # element id -> (fragment id, proto)
    auto: list[str] = field(default_factory=list)  # fragment ids of run_every fragments
    finished: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, query: str, page: str, fragment: str = "", *, auto: bool = False) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_name, state.fragment_id, state.is_auto_rerun = query, page, fragment, auto
        for widget_id, (kind, value) in self.widgets.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            if kind == "json":
                widget.json_value = json.dumps(value)
            else:
                widget.string_value = value
        self.finished.clear()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self.finished.wait(), timeout=60)

    async def read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for raw in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                inner = getattr(element, element.WhichOneof("type") or "empty", None)
                key = getattr(inner, "id", "")
                if key:
                    self.elements[key] = (msg.delta.fragment_id, inner)
            elif kind == "auto_rerun" and msg.auto_rerun.fragment_id not in self.auto:
                self.auto.append(msg.auto_rerun.fragment_id)
            elif kind == "script_finished":
                self.finished.set()

    def element(self, suffix: str) -> tuple[str, Any]:
        return next((fid, el) for key, (fid, el) in self.elements.items() if key.endswith(suffix))


async def open_browser(server: Server, query: str, page: str) -> tuple[Browser, asyncio.Task[None]]:
    from websockets.asyncio.client import connect

    ws = await connect(f"ws://{server.url}/_stcore/stream", subprotocols=["streamlit"], max_size=None)  # type: ignore[list-item]
    browser = Browser(ws)
    reader = asyncio.create_task(browser.read())
    await browser.run(query, page)
    return browser, reader


# ------------------------------------------------------------------ people, the board, the floors


@dataclass
class Room:
    """The audit the simulated room works on."""

    db: Path
    audit_id: str
    team: str
    owner: str
    people: list[str]
    touchpoints: list[str]


@dataclass
class Phase:
    """What one phase cost: server CPU seconds, how many units of work, the latencies seen (ms)."""

    cpu: float
    units: int
    latencies: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def per_unit(self) -> float:
        return self.cpu / max(self.units, 1)


class Person:
    """A simulated person: opens the page once, then saves answers one after another."""

    def __init__(self, server: Server, room: Room, index: int, *, floor: bool) -> None:
        self.server, self.room, self.index, self.floor = server, room, index, floor
        pid = room.people[index]
        self.query, self.page = (f"a={room.audit_id}&p={pid}", "") if floor else (f"t={room.team}&p={pid}", "rate")
        self.seq = 0
        self.device = f"bench{index:03d}{os.getpid() % 100000:05d}"

    async def open(self) -> None:
        self.browser, self.reader = await open_browser(self.server, self.query, self.page)
        if self.floor:
            self.box = next(key for key in self.browser.elements if key.endswith("-answer"))
            return
        self.fragment, card = self.browser.element("-tpa_card")
        self.card, self.version = card.id, json.loads(card.json)["deck"]["version"]
        self.device = f"{self.device}{int(time.time()) % 100000:05d}"

    async def close(self) -> None:
        self.reader.cancel()
        await self.browser.ws.close()

    async def answer(self, tp: str, value: int, phase: Phase) -> None:
        self.seq += 1
        began = time.perf_counter()
        if self.floor:
            self.browser.widgets[self.box] = ("string", f"{tp}:{value}:{self.seq}")
            await self.browser.run(self.query, self.page)
        else:
            item = {"d": self.device, "s": self.seq, "t": tp, "f": "importance", "v": value, "a": int(time.time() * 1000)}
            self.browser.widgets[self.card] = ("json", {"outbox": {"items": [item], "n": self.seq, "deck": self.version}})
            for _ in range(5):  # a rerun that did not acknowledge (none expected) is sent again, as the card does
                await self.browser.run(self.query, self.page, self.fragment)
                if json.loads(self.browser.element("-tpa_card")[1].json)["acks"].get(self.device, 0) >= self.seq:
                    break
            else:
                phase.problems.append(f"{self.device}:{self.seq} not acknowledged")
        phase.latencies.append((time.perf_counter() - began) * 1000)

    async def answers(self, count: int, start: int, think: float, phase: Phase) -> None:
        for i in range(count):
            tp = self.room.touchpoints[(start + i) % len(self.room.touchpoints)]
            await self.answer(tp, 1 + (start + i) % 10, phase)
            await asyncio.sleep(think)


async def answers_phase(server: Server, room: Room, answers: int, *, floor: bool, think: float = 0.1) -> Phase:
    """Every person saves ``answers`` answers at once (pages opened and two answers each before measuring)."""
    people = [Person(server, room, i, floor=floor) for i in range(len(room.people))]
    for person in people:
        await person.open()
    warm = Phase(0.0, 0)
    await asyncio.gather(*(p.answers(2, 900 + 2 * p.index, 0.0, warm) for p in people))
    phase = Phase(0.0, len(people) * answers)
    before = server.cpu()
    await asyncio.gather(*(p.answers(answers, p.index * answers, think, phase) for p in people))
    phase.cpu = server.cpu() - before
    for person in people:
        await person.close()
    return phase


async def board_phase(server: Server, room: Room, refreshes: int, *, floor: bool, changing: bool) -> Phase:
    """The board refreshing ``refreshes`` times; with ``changing``, a new answer reaches the database before each."""
    query, page = (f"mode=read&a={room.audit_id}", "") if floor else (f"t={room.owner}", "board")
    browser, reader = await open_browser(server, query, page)
    fragment = "" if floor else browser.auto[0]
    store = Store(str(room.db))
    try:
        for _ in range(2):
            await browser.run(query, page, fragment, auto=not floor)
        phase = Phase(0.0, refreshes)
        for i in range(refreshes):
            if changing:  # written by this process, not the server: the server pays only for the refresh
                store.save_rating(Rating(room.audit_id, room.people[i % len(room.people)], room.touchpoints[-1 - i], importance=1 + i % 10))
            before = server.cpu()
            began = time.perf_counter()
            await browser.run(query, page, fragment, auto=not floor)
            phase.latencies.append((time.perf_counter() - began) * 1000)
            phase.cpu += server.cpu() - before
    finally:
        store.close()
        reader.cancel()
        await browser.ws.close()
    return phase


async def polls_phase(server: Server, room: Room, seconds: int) -> Phase:
    """Every card asks once a second where the facilitator is (the room follows someone)."""
    cards = [Person(server, room, i, floor=False) for i in range(len(room.people))]
    for card in cards:
        await card.open()

    async def ask(card: Person) -> int:
        follow = card.browser.element("-tpa_follow")[0]
        for _ in range(seconds):
            await asyncio.sleep(1.0)
            await card.browser.run(card.query, card.page, follow, auto=True)
        return seconds

    before = server.cpu()
    began = time.perf_counter()
    asked = await asyncio.gather(*(ask(card) for card in cards))
    phase = Phase(server.cpu() - before, sum(asked))
    phase.latencies.append((time.perf_counter() - began) * 1000)
    for card in cards:
        await card.close()
    return phase


# ------------------------------------------------------------------ the whole bench


def make_room(folder: Path, people: int) -> Room:
    db = folder / "room.sqlite"
    store = Store(str(db))
    try:
        audit, links = store.create_audit("Bench room", bundled("general"))
        pids = [store.add_participant(audit.id, f"Person {i + 1}", seen=True).id for i in range(people)]
        store.update_room(audit.id, follow=store.catalog(audit.id).touchpoints[0].id)
        tps = [tp.id for tp in store.catalog(audit.id).touchpoints]
    finally:
        store.close()
    return Room(db, audit.id, links[Role.TEAM], links[Role.OWNER], pids, tps)


def measure(people: int, answers: int, refreshes: int = 30, poll_seconds: int = 8) -> dict[str, Phase]:
    """Run every phase against the app, the app with postScriptGC on, and the floor app (in that order)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        room = make_room(folder, people)
        floor_app = folder / "floor_app.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        out: dict[str, Phase] = {}
        print(f"room bench: the app with {people} people x {answers} answers ...", flush=True)
        with serve(ROOT / "audit_app.py", room.db, gc=False) as app:
            out["answers"] = asyncio.run(answers_phase(app, room, answers, floor=False))
            out["board_cached"] = asyncio.run(board_phase(app, room, refreshes, floor=False, changing=False))
            out["board_new"] = asyncio.run(board_phase(app, room, refreshes, floor=False, changing=True))
            out["polls"] = asyncio.run(polls_phase(app, room, poll_seconds))
        print("room bench: the app with Streamlit's default postScriptGC = true ...", flush=True)
        with serve(ROOT / "audit_app.py", room.db, gc=True) as app_gc:
            out["answers_gc"] = asyncio.run(answers_phase(app_gc, room, answers, floor=False))
        print("room bench: the floor (a minimal Streamlit app writing and reading the same rows) ...", flush=True)
        with serve(floor_app, room.db, gc=False) as floor:
            out["floor_answers"] = asyncio.run(answers_phase(floor, room, answers, floor=True))
            out["floor_board"] = asyncio.run(board_phase(floor, room, refreshes, floor=True, changing=True))
        store = Store(str(room.db))
        try:
            out["stored"] = Phase(0.0, len(store.rating_history(room.audit_id)))
        finally:
            store.close()
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def rows_of(out: dict[str, Phase], people: int) -> list[list[str]]:
    def row(label: str, subject: Phase, floor: Phase | None, target: bool = True) -> list[str]:
        ratio = subject.per_unit / max(floor.per_unit, 1e-9) if floor else None
        return [
            label, _ms(subject.per_unit), _ms(floor.per_unit) if floor else "", f"{ratio:.1f}x" if ratio else "",
            f"<= {RATIO_TARGET:.0f}x" if target and floor else "", ("yes" if ratio is not None and ratio <= RATIO_TARGET else "no") if target and floor else "",
        ]

    polls = out["polls"]
    share = polls.cpu / max(polls.latencies[0] / 1000, 1e-9)
    return [
        row(f"server CPU per saved answer ({people} people)", out["answers"], out["floor_answers"]),
        row("  the same with postScriptGC = true (Streamlit's default)", out["answers_gc"], out["floor_answers"], target=False),
        row(f"board refresh, nothing new (cached; {people} people's answers)", out["board_cached"], out["floor_board"]),
        row("board refresh after a new answer (recomputed)", out["board_new"], out["floor_board"]),
        [f"{people} cards asking where the facilitator is, once a second", _ms(polls.per_unit), "", "", f"{share:.0%} of one core", ""],
    ]


HEADER = ["measurement", "server CPU", "floor (CPU)", "ratio", "target", "met"]


def room_bench(people: int, answers: int = 20, refreshes: int = 30) -> list[list[str]]:
    """Measure, then print the table (text and Markdown) and what each figure means."""
    out = measure(people, answers, refreshes)
    rows = rows_of(out, people)
    print()
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    for r in [HEADER, *rows]:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))
    app, floor = out["answers"], out["floor_answers"]
    lost = [*app.problems, *out["answers_gc"].problems]
    # every answer of the three answer phases, two warm-up answers per person in each, one new answer per "changing" refresh
    expected = app.units + out["answers_gc"].units + floor.units + 3 * 2 * people + 2 * refreshes
    print()
    print(f"tap to acknowledged with {people} people at once (no think time beyond 100 ms): app p50 {_pct(app.latencies, 50):.0f} ms, "
          f"p95 {_pct(app.latencies, 95):.0f} ms; floor p50 {_pct(floor.latencies, 50):.0f} ms, p95 {_pct(floor.latencies, 95):.0f} ms")
    print(f"answers not acknowledged: {len(lost)}; rows in the history: {out['stored'].units} (expected {expected})")
    print("server CPU: user + system time of the streamlit process (/proc), per unit of work; floors: a minimal Streamlit app "
          "saving the same row (Store.save_rating of one importance) on each change of a text box, and reading the audit's "
          "rating rows into st.dataframe on each refresh; same machine, same run, same settings (postScriptGC off).")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (other programs share this machine; the ratios are what to read)")
    print()
    print("Markdown:")
    print()
    for r in [HEADER, ["---"] * len(HEADER), *rows]:
        print("| " + " | ".join(v.strip() for v in r) + " |")
    return rows


if __name__ == "__main__":  # python -m audit.ui.roombench PEOPLE ANSWERS (what `python -m audit bench --room` runs)
    room_bench(max(1, int(sys.argv[1])), max(1, int(sys.argv[2])) if len(sys.argv) > 2 else 20)
