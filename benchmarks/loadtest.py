"""A websocket load test: participants of a workshop, each a Streamlit session over its own websocket.

Each session does what a browser does, in Streamlit's own protocol and nothing else (no browser, no
AppTest, no HTTP polling): ``GET`` of the page (nginx's ``ebpm_backend`` affinity cookie), of
``/_stcore/health`` (the ``_streamlit_xsrf`` cookie) and ``/_stcore/host-config``; then the websocket
``/_stcore/stream`` with those cookies, the page's ``Origin`` and the subprotocols
``["streamlit", <xsrf token>]``; then a ``BackMsg.rerun_script`` naming the page by its URL path
(``page_name``, as the browser does before it knows the pages' hashes). It waits for the run's
``script_finished``, finds the page's knob (a widget, by its key) in the deltas, and changes it
``--changes`` times: a ``WidgetStates`` with its own value (seeded, distinct from the other sessions'
values of the same round), the widget's fragment id when the widget sits in a panel (an
``st.fragment``, as the browser sends it), and the page's script hash. A rerun counts when its
``script_finished`` arrives and its deltas show the session's own value in the page's own words (a
text built from the page's message with that value); otherwise it is an error, as are a page error
(an exception or error box), a timeout and a lost connection. Nothing stops the run.

Patterns: ``workshop`` (each session opens the page within 3 s and waits a seeded 3–8 s before each
change) and ``burst`` (all open at once, then change together, round by round). Targets: ``single``
(one ``streamlit run app.py``) and ``serve`` (``make serve``: ``scripts/serve.py`` with ``--processes``
Streamlit processes behind nginx). Each target is warmed first (every page opened once per process);
then every row measures the first run (page request → its run finished) and the reruns (widget state
sent → ``script_finished``) with p50/p95/max (nearest rank), the errors, the server's CPU seconds and
peak RSS (``/proc``: every server process and its children, nginx included; the peak is reset at
each row's start and summed over the processes) and this process's own CPU (``getrusage``).

    python -m benchmarks.loadtest [--target single|serve|both] [--sessions 1 10 30]
        [--pattern workshop burst] [--pages nursery facilities health] [--changes 5] [--processes 2]
        [--port PORT] [--seed 27] [--timeout 180]

Prints a Markdown table and writes it to ``benchmarks/loadtest.md``. Never a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import math
import os
import random
import resource
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics import i18n  # noqa: E402  (after the path set-up, for `python benchmarks/loadtest.py`)
from tests.e2e.browser import start_app, stop_app  # noqa: E402
from ui.nav import PAGES  # noqa: E402

RESULTS = ROOT / "benchmarks" / "loadtest.md"
LANG = "ja"  # the app's default language: a session that never touches the switch sees Japanese
MUST_HOLD = ("serve", "workshop", 30)  # (target, pattern, sessions): rerun p95 < 2 s and no error
P95_LIMIT_S = 2.0
STATE_FIELD = {"int": "int_value", "double_array": "double_array_value", "string_array": "string_array_value"}
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass(frozen=True)
class Knob:
    """The widget a participant changes on a page, and how the page shows its value.

    ``key`` is the widget's key (its id ends with ``-key``); ``state`` how the browser sends its
    value (``int`` for an integer number input, ``double_array`` for a slider, ``string_array`` for
    a segmented control); ``pool`` the values to choose from (``None``: the widget's own options
    but its default); ``message`` and ``placeholder`` the page's text that prints the value, filled
    by ``shown``. The check is that text's literal parts on either side of the value, in Japanese.
    ``tab``: the page's tabs (their query parameter) and the message of the tab the knob and its
    text sit in: a page draws its open tab only, and a participant opens the page on that tab by
    its link (``?nursery_tab=配置シナリオ``), as an instructor's link to the exercise does.
    """

    page: str
    key: str
    state: str
    message: str
    placeholder: str
    pool: tuple[int, ...] | None
    shown: Callable[[int | str], str] = str
    tab: tuple[str, str] | None = None

    @property
    def path(self) -> str:
        """The page's URL path (``ui.nav``): the home page is served at ``/``. Asking for ``/home``
        worked on a fresh server only; once a page had run, Streamlit answered "page not found"."""
        return next(spec.url_path for spec in PAGES if spec.path == f"pages/{self.page}.py")

    @property
    def query(self) -> str:
        """The page's query string (without ``?``): the tab to open, or nothing."""
        return "" if self.tab is None else urlencode({self.tab[0]: i18n.t(self.tab[1], LANG)})

    @property
    def address(self) -> str:
        """The page's path and query, as the participant's link has them (``/nursery?nursery_tab=…``)."""
        return f"/{self.path}" + (f"?{self.query}" if self.query else "")

    def expected(self, value: int | str) -> str:
        """The text a rerun with ``value`` must show: the value with the message's words around it."""
        template = i18n.t(self.message, LANG)
        before, after = template.split("{" + self.placeholder + "}", 1)
        return before[before.rfind("}") + 1:] + self.shown(value) + after.split("{", 1)[0]


KNOBS: dict[str, Knob] = {k.page: k for k in (
    # the home map's indicator (three options: the home page is for the pytest's short run)
    Knob("home", "home_indicator", "string_array", "home.map.title", "indicator", None),
    # the placement's budget in places (the plan panel, a fragment): a new plan each time, read back
    # from the scenario line (the plan itself may stop a few places short: whole children)
    Knob("nursery", "nursery_budget_seats", "int", "nursery.plan.scenario", "budget",
         tuple(v for v in range(100, 851) if v != 300),
         lambda v: i18n.t("nursery.plan.budget_seats", LANG, n=f"{int(v):,}"), ("nursery_tab", "nursery.tab.plan")),
    # the first year of the renewal projection (the assumptions: the whole page reruns); from the year
    # after the synthetic city's past investment (FY2021–2025): an earlier year is an error box today
    Knob("facilities", "fac_start", "int", "facilities.table.scenarios", "fy",
         tuple(range(2027, 2101)), lambda v: i18n.fiscal_year_label(int(v), LANG),
         ("facilities_tab", "facilities.tab.cost")),
    # the number of reminder letters to target (the targeting panel, a fragment)
    Knob("health", "health_letters", "double_array", "health.reading.targeting", "letters",
         tuple(v for v in range(1000, 40001, 1000) if v != 10000), lambda v: f"{int(v):,}",
         ("health_tab", "health.tab.targeting")),
)}


def plan_values(pool: Sequence[int | str], sessions: int, changes: int, seed: int) -> list[list[int | str]]:
    """Each session's values, one per change: a seeded draw without replacement while the pool lasts
    (all distinct when it holds ``sessions × changes``); otherwise the sessions of one round still hold
    distinct values whenever the pool has more values than there are sessions."""
    order = list(pool)
    random.Random(seed).shuffle(order)
    return [[order[(c * sessions + s) % len(order)] for c in range(changes)] for s in range(sessions)]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (``nan`` for no values)."""
    if not values:
        return float("nan")
    ranked = sorted(values)
    return ranked[max(0, math.ceil(q / 100 * len(ranked)) - 1)]


def _strings(msg: Message) -> Iterator[str]:
    """Every string field in ``msg``, nested messages included (bytes such as Arrow tables skipped)."""
    for fd, value in msg.ListFields():
        repeated = fd.is_repeated
        if fd.type == FieldDescriptor.TYPE_STRING:
            yield from (value if repeated else [value])
        elif fd.type == FieldDescriptor.TYPE_MESSAGE and not (fd.message_type.GetOptions().map_entry):
            for item in value if repeated else [value]:
                yield from _strings(item)


@dataclass
class Widget:
    """A widget found in a run's deltas: its id, the fragment it runs in, its options."""

    id: str
    fragment_id: str = ""
    options: tuple[str, ...] = ()
    default: str = ""


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float
    widget: Widget | None = None
    shown: bool = False  # the expected text was among its deltas
    page_errors: int = 0
    elements: int = 0


class SessionError(Exception):
    """A session broke: ``kind`` is ``timeout``, ``disconnect`` or ``page``."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@dataclass
class Participant:
    """One browser's session: its cookies, its websocket and what it measured."""

    host: str
    port: int
    knob: Knob
    values: list[int | str]
    timeout_s: float
    cookies: dict[str, str] = field(default_factory=dict)
    first_run_s: float | None = None
    reruns_s: list[float] = field(default_factory=list)
    confirmed: list[int | str] = field(default_factory=list)  # values a rerun showed back
    errors: Counter = field(default_factory=Counter)
    upstreams: set[str] = field(default_factory=set)
    _ws: ClientConnection | None = None
    _cache: dict[str, ForwardMsg] = field(default_factory=dict)  # the browser's message cache
    _page_hash: str = ""
    _widget: Widget | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _get(self, path: str) -> None:
        """An HTTP GET as the browser makes it; keeps the cookies it sets and the upstream it names."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            writer.write((f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n"
                          + (f"Cookie: {cookie}\r\n" if cookie else "") + "Connection: close\r\n\r\n").encode())
            await writer.drain()
            head = (await reader.read()).split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        finally:
            writer.close()
        status = head[0].split()
        if len(status) < 2 or status[1] != "200":
            raise SessionError("disconnect", f"GET {path}: {head[0]}")
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie":
                pair = value.strip().split(";", 1)[0]
                self.cookies[pair.split("=", 1)[0]] = pair.split("=", 1)[1]
            elif name.lower() == "x-ebpm-upstream":
                self.upstreams.add(value.strip())

    def _rerun(self, states: list[WidgetState], fragment_id: str = "") -> BackMsg:
        """The browser's ``rerun_script``: the page by path until its hash is known, then by hash."""
        page = self.knob.path
        client = ClientState(
            query_string=self.knob.query, page_script_hash=self._page_hash,
            page_name="" if self._page_hash else page,
            fragment_id=fragment_id, cached_message_hashes=sorted(self._cache),
            context_info=ContextInfo(timezone="Asia/Tokyo", timezone_offset=-540, locale="ja-JP",
                                     url=self.origin + self.knob.address, is_embedded=False, color_scheme="light"))
        client.widget_states.widgets.extend(states)
        return BackMsg(rerun_script=client)

    def _element(self, msg: ForwardMsg, expected: str | None, run: Run) -> None:
        """Look at one new element: the knob, a page error, the expected text."""
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        run.elements += 1
        body = getattr(element, kind)
        if kind == "exception" or (kind == "alert" and body.format == Alert.ERROR):
            run.page_errors += 1
        if "id" in body.DESCRIPTOR.fields_by_name and body.id.endswith(f"-{self.knob.key}"):
            options = tuple(o.content for o in body.options) if kind == "button_group" else ()
            default = options[body.default[0]] if options and len(body.default) else ""
            run.widget = Widget(body.id, msg.delta.fragment_id, options, default)
        if expected is not None and not run.shown:
            run.shown = any(expected in s for s in _strings(body))

    async def _run(self, back: BackMsg, expected: str | None = None) -> Run:
        """Send ``back`` and read until its run has finished (an early end for ``st.rerun`` is followed
        by the next run, as in the browser)."""
        assert self._ws is not None
        start = time.perf_counter()
        try:
            await self._ws.send(back.SerializeToString())
        except WebSocketException as exc:
            raise SessionError("disconnect", repr(exc)) from None
        run = Run(0.0)
        deadline = start + self.timeout_s
        while True:
            try:
                data = await asyncio.wait_for(self._ws.recv(), deadline - time.perf_counter())
            except TimeoutError:
                raise SessionError("timeout", f"no script_finished within {self.timeout_s:.0f} s") from None
            except WebSocketException as exc:
                raise SessionError("disconnect", repr(exc)) from None
            msg = ForwardMsg.FromString(data)
            if msg.HasField("ref_hash"):
                cached = self._cache.get(msg.ref_hash)
                if cached is None:
                    raise SessionError("page", f"a reference to a message never received: {msg.ref_hash}")
                msg = cached
            elif msg.metadata.cacheable:
                self._cache[msg.hash] = msg
            kind = msg.WhichOneof("type")
            if kind == "new_session" and msg.new_session.page_script_hash:
                self._page_hash = msg.new_session.page_script_hash
            elif kind == "navigation" and msg.navigation.page_script_hash:
                self._page_hash = msg.navigation.page_script_hash
            elif kind == "page_not_found":
                raise SessionError("page", f"page not found: {msg.page_not_found.page_name}")
            elif kind == "delta" and msg.delta.HasField("new_element"):
                self._element(msg, expected, run)
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    run.seconds = time.perf_counter() - start
                    return run
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise SessionError("page", "the script did not compile")
                run = Run(0.0)  # FINISHED_EARLY_FOR_RERUN: the run that follows is the one that counts

    async def open(self) -> None:
        """Open the page as a browser does and wait for its first run; finds the knob."""
        start = time.perf_counter()
        try:
            for path in (self.knob.address, "/_stcore/health", "/_stcore/host-config"):
                await self._get(path)
            xsrf = self.cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            self._ws = await connect(f"ws://{self.host}:{self.port}/_stcore/stream",
                                     subprotocols=[Subprotocol("streamlit"), Subprotocol(xsrf)],
                                     origin=self.origin, additional_headers={"Cookie": cookie} if cookie else None,
                                     max_size=None, open_timeout=self.timeout_s)
        except (OSError, WebSocketException, TimeoutError) as exc:
            raise SessionError("disconnect", repr(exc)) from None
        run = await self._run(self._rerun([]))
        self.first_run_s = time.perf_counter() - start
        if run.page_errors:
            raise SessionError("page", f"{run.page_errors} error(s) on the page's first run")
        if run.widget is None:
            raise SessionError("page", f"no widget with key {self.knob.key!r} on the page")
        self._widget = run.widget
        if self.knob.pool is None:  # indices into the widget's options but its default
            options = [o for o in run.widget.options if o != run.widget.default]
            self.values = [options[int(v) % len(options)] for v in self.values]

    async def change(self, value: int | str) -> None:
        """Set the knob to ``value`` as the browser does and time the rerun; counts a wrong reply."""
        assert self._widget is not None
        state = WidgetState(id=self._widget.id)
        kind = self.knob.state
        if kind == "int":
            state.int_value = int(value)
        else:
            getattr(state, STATE_FIELD[kind]).data.append(float(value) if kind == "double_array" else str(value))
        run = await self._run(self._rerun([state], self._widget.fragment_id), self.knob.expected(value))
        self.reruns_s.append(run.seconds)
        if run.page_errors:
            self.errors["page"] += 1
        elif not run.shown:
            self.errors["value"] += 1
        else:
            self.confirmed.append(value)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()


@dataclass
class RowResult:
    """One row of the table: a target, a page, a pattern and a number of sessions."""

    target: str
    page: str
    pattern: str
    sessions: list[Participant]
    changes: int
    server_cpu_s: float
    server_peak_mb: float
    own_cpu_s: float
    wall_s: float

    @property
    def first_runs(self) -> list[float]:
        return [p.first_run_s for p in self.sessions if p.first_run_s is not None]

    @property
    def reruns(self) -> list[float]:
        return [s for p in self.sessions for s in p.reruns_s]

    @property
    def errors(self) -> Counter:
        total: Counter = Counter()
        for p in self.sessions:
            total.update(p.errors)
        return total

    @property
    def confirmed(self) -> int:
        return sum(len(p.confirmed) for p in self.sessions)


async def participant(p: Participant, pattern: str, rng: random.Random, barrier: asyncio.Barrier) -> None:
    """One session through its page: open, then its changes (waiting as a participant does, or with
    everyone at once). A broken session stops changing but keeps its place at the burst's rounds."""
    alive = True
    try:
        if pattern == "workshop":
            await asyncio.sleep(rng.uniform(0, 3))  # participants open the link within a few seconds
        await p.open()
    except Exception as exc:  # noqa: BLE001 — counted, never the end of the run
        p.errors[_kind(exc)] += 1
        alive = False
    for value in p.values:
        if pattern == "burst":
            await barrier.wait()
        else:
            await asyncio.sleep(rng.uniform(3, 8))  # reading the page before the next change
        if not alive:
            continue
        try:
            await p.change(value)
        except Exception as exc:  # noqa: BLE001
            p.errors[_kind(exc)] += 1
            alive = False
    try:
        await p.close()
    except WebSocketException:
        pass


def _kind(exc: Exception) -> str:
    """The error column's name for what broke a session (an unexpected exception by its type)."""
    return exc.kind if isinstance(exc, SessionError) else type(exc).__name__


# -- the server's processes, from /proc


def _tree(pids: Sequence[int]) -> list[int]:
    """``pids`` and all their descendants that are running."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    out, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        if Path(f"/proc/{pid}").exists():
            out.append(pid)
            todo.extend(parents.get(pid, []))
    return out


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU of the processes and their descendants (waited-for children included)."""
    total = 0
    for pid in _tree(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def reset_peak(pids: Sequence[int]) -> None:
    """Reset each process's peak RSS (VmHWM) to its current RSS, so that a row measures its own peak."""
    for pid in _tree(pids):
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            pass  # then the peak is since the process started


def peak_rss_mb(pids: Sequence[int]) -> float:
    """The sum over the processes and their descendants of each one's peak RSS (VmHWM), in MB."""
    total = 0
    for pid in _tree(pids):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0)
    return total / 1024


async def measure(host: str, port: int, page: str, pattern: str, sessions: int, changes: int, seed: int,
                  pids: Sequence[int], target: str = "", timeout_s: float = 180.0) -> RowResult:
    """Run ``sessions`` participants on ``page`` against the server at ``host:port`` whose processes
    are ``pids``; return the row."""
    knob = KNOBS[page]
    if knob.pool is None:  # the widget's own options, known once the page has run: session s takes s + c
        values: list[list[int | str]] = [[s + c for c in range(changes)] for s in range(sessions)]
    else:
        values = plan_values(knob.pool, sessions, changes, seed)
    people = [Participant(host, port, knob, values[s], timeout_s) for s in range(sessions)]
    barrier = asyncio.Barrier(sessions)
    reset_peak(pids)
    cpu0, own0, wall0 = cpu_seconds(pids), _own_cpu(), time.perf_counter()
    await asyncio.gather(*(participant(p, pattern, random.Random(seed * 1000 + s), barrier)
                           for s, p in enumerate(people)))
    return RowResult(target, page, pattern, people, changes, cpu_seconds(pids) - cpu0, peak_rss_mb(pids),
                     _own_cpu() - own0, time.perf_counter() - wall0)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the targets


def _serve_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Target:
    """A running server: where it listens, its processes and how to stop it."""

    name: str
    port: int
    pids: list[int]
    processes: int
    stop: Callable[[], None]


def start_target(name: str, processes: int, port: int, logs: Path) -> Target:
    """Start ``single`` (``streamlit run app.py``) or ``serve`` (``scripts/serve.py``'s ``start``)."""
    if name == "single":
        log = (logs / "streamlit-single.log").open("w")
        proc, url = start_app(ROOT, log)

        def stop() -> None:
            stop_app(proc)
            log.close()

        return Target(name, int(url.rsplit(":", 1)[1]), [proc.pid], 1, stop)
    serve = _serve_module()
    port = port or _free_port()
    procs = serve.start(processes, port, "127.0.0.1", serve_dir=logs / "serve")
    return Target(name, port, [p.pid for p in procs], processes, lambda: serve.stop(procs))


async def warm(target: Target, pages: Sequence[str], timeout_s: float) -> None:
    """Open every page once per process (a new browser goes to the next process in turn), unmeasured."""
    for page in pages:
        for _ in range(target.processes):
            p = Participant("127.0.0.1", target.port, KNOBS[page], [], timeout_s)
            try:
                await p.open()
            except SessionError as exc:
                print(f"  warming {page} on {target.name}: {exc}", file=sys.stderr)
            finally:
                await p.close()


# -- the table


def _s(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def row_cells(r: RowResult) -> list[str]:
    """The table's cells of a row; the must-hold row is judged, the others are reported."""
    first, reruns, errors = r.first_runs, r.reruns, r.errors
    planned = len(r.sessions) * r.changes
    bad = sum(errors.values())
    detail = ", ".join(f"{n} {k}" for k, n in sorted(errors.items()))
    must = (r.target, r.pattern, len(r.sessions)) == MUST_HOLD
    p95 = percentile(reruns, 95)
    met = ("yes" if p95 < P95_LIMIT_S and bad == 0 and r.confirmed == planned else "**no**") if must else ""
    return [r.target, r.page, r.pattern, str(len(r.sessions)),
            f"{_s(percentile(first, 50))} / {_s(percentile(first, 95))} / {_s(max(first, default=float('nan')))}",
            f"{_s(percentile(reruns, 50))} / {_s(p95)} / {_s(max(reruns, default=float('nan')))}",
            f"{r.confirmed}/{planned}", f"{bad}" + (f" ({detail})" if detail else ""),
            f"{r.server_cpu_s:.1f}", f"{r.server_peak_mb:,.0f}", f"{r.own_cpu_s:.1f}",
            f"rerun p95 < {P95_LIMIT_S:g} s, 0 errors" if must else "reported", met]


HEADER = ["target", "page", "pattern", "sessions", "first run p50 / p95 / max (s)", "rerun p50 / p95 / max (s)",
          "reruns shown", "errors", "server CPU (s)", "server peak RSS (MB)", "load test CPU (s)", "target", "met"]


def table(rows: Sequence[RowResult], preamble: str) -> str:
    lines = [preamble, "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row_cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


async def run_all(args: argparse.Namespace) -> list[RowResult]:
    """Every target × page × pattern × number of sessions, each target started once and warmed."""
    rows: list[RowResult] = []
    targets = ["single", "serve"] if args.target == "both" else [args.target]
    logs = Path(tempfile.mkdtemp(prefix="ebpm-loadtest-"))
    for name in targets:
        target = start_target(name, args.processes, args.port, logs)
        try:
            await warm(target, args.pages, args.timeout)
            for page in args.pages:
                for pattern in args.pattern:
                    for n in args.sessions:
                        r = await measure("127.0.0.1", target.port, page, pattern, n, args.changes, args.seed,
                                          target.pids, name, args.timeout)
                        rows.append(r)
                        print("  " + " | ".join(row_cells(r)) + f"  ({r.wall_s:.0f} s)", file=sys.stderr, flush=True)
        finally:
            target.stop()
    print(f"  server logs: {logs}", file=sys.stderr)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["single", "serve", "both"], default="both")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--pattern", choices=["workshop", "burst"], nargs="+", default=["workshop", "burst"])
    parser.add_argument("--pages", choices=sorted(KNOBS), nargs="+", default=["nursery", "facilities", "health"])
    parser.add_argument("--changes", type=int, default=5, help="widget changes per session")
    parser.add_argument("--processes", type=int, default=2, help="make serve's N")
    parser.add_argument("--port", type=int, default=0, help="make serve's nginx port (its processes take the "
                        "next N); default: a free one. The single process always takes a free port")
    parser.add_argument("--seed", type=int, default=27)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a run may take before it counts "
                        "as a timeout")
    args = parser.parse_args(argv)
    from benchmarks.run import machine

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped run stops its servers too (finally)
    rows = asyncio.run(run_all(args))
    preamble = (f"Machine: {machine()}. {time.strftime('%Y-%m-%d')}; {args.changes} changes per session, "
                f"make serve with {args.processes} processes, seed {args.seed}. First run: page request → its "
                "run finished; rerun: widget state sent → script_finished; nearest-rank percentiles.")
    text = table(rows, preamble)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
