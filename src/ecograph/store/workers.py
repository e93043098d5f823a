"""Worker processes that can be stopped mid-query, so that a time limit really ends a query.

pyoxigraph cannot interrupt a running query from another thread, and a thread that cannot be
stopped keeps burning a core after its client has been told "timeout". So every query runs in a
process of its own, and stopping a query means killing its process.

Workers are forked by a *zygote*: a process forked once, right after the store was built, that
does nothing but fork workers on request. The server process has threads (the event loop's
executor, uvicorn's), and forking a threaded process can copy a lock that some other thread held;
the zygote has a single thread, so a worker forked from it at any time is a clean copy. The
in-memory store is shared copy-on-write: a new worker costs a fork, not a reload.

Parent and worker talk over a Unix socket pair in length-prefixed pickle frames; the parent side
is an asyncio protocol, so a waiting request never holds the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

from ecograph.errors import BackendError, EcographError, QueryTimeout

log = logging.getLogger(__name__)

#: What a worker runs for each request: it returns a picklable value, or raises one of
#: ecograph's errors, which the parent raises again (see :class:`Done` and :class:`Failed`).
Handler = Callable[[Any], Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Done:
    """A worker's reply to a request it answered."""

    value: Any


@dataclass(frozen=True)
class Failed:
    """A worker's reply to a request that ended in one of ecograph's errors. The class travels
    by reference (pickle names it), so the parent raises the very same type."""

    error: type[EcographError]
    message: str


Reply = Done | Failed


def answer(handler: Handler, request: Any) -> Reply:
    """The envelope of ``handler``'s answer: what a worker sends back, never an exception."""
    try:
        return Done(handler(request))
    except EcographError as exc:
        return Failed(type(exc), str(exc))


_LENGTH = struct.Struct("!Q")
_PID = struct.Struct("!i")
_SPAWN = b"s"
_PR_SET_PDEATHSIG = 1


class _Channel(asyncio.Protocol):
    """The parent's end of a worker's socket: length-prefixed frames, one reply awaited at a
    time. A protocol rather than asyncio's streams: a lookup takes a worker a tenth of a
    millisecond, and the streams' layers of coroutines cost a good part of that again."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._waiter: asyncio.Future[bytes] | None = None
        self._lost: BaseException | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack_from(self._buffer)
        end = _LENGTH.size + length
        if len(self._buffer) < end:
            return
        frame = bytes(self._buffer[_LENGTH.size : end])
        del self._buffer[:end]
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(frame)

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = exc or ConnectionResetError("the worker closed its socket")
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(self._lost)

    async def exchange(self, frame: bytes) -> bytes:
        if self._lost is not None or self.transport is None:
            raise ConnectionResetError("the worker's socket is closed")
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(_LENGTH.pack(len(frame)) + frame)
        try:
            return await self._waiter
        finally:
            self._waiter = None


@dataclass(eq=False)  # workers are compared (and hashed) by identity
class _Worker:
    pid: int
    channel: _Channel

    async def call(self, request: Any) -> Reply:
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        return cast(Reply, pickle.loads(await self.channel.exchange(payload)))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if self.channel.transport is not None:
            self.channel.transport.close()


class WorkerPool:
    """``size`` forked workers running ``handler``; ``setup`` runs once in each new worker
    (to open a persisted store, say, which must not be shared across a fork).

    A pool belongs to the event loop (and the thread) that starts it: its sockets are that
    loop's, and its zygote is tied to that thread's life. An application starts it in its
    lifespan, on the loop that serves it.
    """

    def __init__(
        self,
        handler: Handler,
        *,
        size: int,
        setup: Callable[[], None] | None = None,
        name: str = "query",
    ) -> None:
        self._handler = handler
        self._setup = setup
        self._size = size
        self._name = name
        self._zygote_pid: int | None = None
        self._control: socket.socket | None = None
        self._control_lock = threading.Lock()
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._busy: set[_Worker] = set()
        self._alive: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._failure: str | None = None
        self._closed = False

    @property
    def pids(self) -> frozenset[int]:
        """Worker process ids, idle or busy (for tests and diagnostics)."""
        return frozenset(w.pid for w in self._alive)

    @property
    def busy_pids(self) -> frozenset[int]:
        """Ids of the workers running a request now."""
        return frozenset(w.pid for w in self._busy)

    @property
    def started(self) -> bool:
        return self._zygote_pid is not None

    async def start(self) -> None:
        """Fork the zygote, then the workers. Call it once what the workers need is built."""
        if self._zygote_pid is not None:
            return
        self._fork_zygote()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self._size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def ask(self, request: Any, expected: type[T], *, timeout: float) -> T:
        """A worker's answer to ``request``, which must be an ``expected``; the error it met,
        raised here. Past ``timeout`` seconds (waiting for a free worker included) the worker
        is killed, replaced, and :class:`QueryTimeout` raised."""
        reply = await self.run(request, timeout=timeout)
        if isinstance(reply, Failed):
            raise reply.error(reply.message)
        if not isinstance(reply, Done) or not isinstance(reply.value, expected):
            raise BackendError(f"a {self._name} worker answered {type(request).__name__} wrongly")
        return reply.value

    async def run(self, request: Any, *, timeout: float) -> Reply:
        """The worker's reply to ``request`` (see :meth:`ask`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self._failure is not None and self._idle.empty() and not self._busy:
            raise BackendError(f"the {self._name} workers cannot be started: {self._failure}")
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
        except TimeoutError:
            raise QueryTimeout(
                f"all {self._size} {self._name} workers stayed busy for the whole time limit "
                f"({timeout:g} s); try again later"
            ) from None
        self._busy.add(worker)
        healthy = False
        try:
            async with asyncio.timeout_at(deadline):
                reply = await worker.call(request)
            healthy = True
            return reply
        except TimeoutError:
            raise QueryTimeout(
                f"the query ran for longer than the time limit ({timeout:g} s) and was stopped; "
                "narrow it down (a LIMIT, more specific patterns) and try again"
            ) from None
        except ConnectionError as exc:
            raise BackendError(f"a {self._name} worker died while answering") from exc
        finally:
            self._busy.discard(worker)
            if healthy:
                self._idle.put_nowait(worker)
            else:
                # Timed out, cancelled or dead: the process may still be computing. Kill it.
                self._alive.discard(worker)
                worker.kill()
                self._replace()

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._alive):
            worker.kill()
        self._alive.clear()
        if self._control is not None:
            self._control.close()  # the zygote reads end-of-file and exits
            self._control = None
        if self._zygote_pid is not None:
            pid, self._zygote_pid = self._zygote_pid, None
            await asyncio.to_thread(_reap, pid)

    def _replace(self) -> None:
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self) -> None:
        try:
            worker = await self._spawn()
        except (OSError, BackendError) as exc:
            self._failure = str(exc)
            log.error("cannot replace a %s worker: %s", self._name, exc)
            return
        if self._closed:
            self._alive.discard(worker)
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        pid, sock = await asyncio.to_thread(self._request_worker)
        sock.setblocking(False)
        _, channel = await asyncio.get_running_loop().create_unix_connection(_Channel, sock=sock)
        worker = _Worker(pid, channel)
        self._alive.add(worker)
        return worker

    def _request_worker(self) -> tuple[int, socket.socket]:
        with self._control_lock:
            if self._control is None:
                raise BackendError(f"the {self._name} worker pool is closed")
            self._control.sendall(_SPAWN)
            message, fds, _flags, _address = socket.recv_fds(self._control, _PID.size, 1)
        if len(message) != _PID.size or not fds:
            raise BackendError(f"the {self._name} zygote process is gone")
        return _PID.unpack(message)[0], socket.socket(fileno=fds[0])

    def _fork_zygote(self) -> None:
        ours, theirs = socket.socketpair()
        gc.collect()  # so that no garbage holding a file descriptor is copied into the child
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            _child(partial(_zygote, theirs, self._handler, self._setup), keep=theirs)
        theirs.close()
        self._zygote_pid = pid
        self._control = ours


def _child(main: Callable[[], None], *, keep: socket.socket) -> None:
    """Run ``main`` in a freshly forked child and exit, whatever happens."""
    status = 1
    try:
        _detach(keep.fileno())
        main()
        status = 0
    finally:
        if status:
            traceback.print_exc()
            sys.stderr.flush()
        os._exit(status)


def _detach(keep: int) -> None:
    """Cut the child loose from the server: its signals, its event loop, its files; and tie
    its life to its parent's, so that no query outlives a server that was killed."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the tie was made
        os._exit(1)
    gc.freeze()  # objects inherited from the server are never collected (nor closed) here
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group; the
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # server stops its workers itself
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))


def _die_with_parent() -> None:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)`` where Linux offers it; elsewhere a worker outlives
    a killed server only until its current query ends (it then reads end-of-file and exits)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _zygote(control: socket.socket, handler: Handler, setup: Callable[[], None] | None) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    try:
        _fork_on_request(control, handler, setup)
    finally:
        _wait_for_children()


def _wait_for_children() -> None:
    """With ``SIGCHLD`` ignored, ``wait`` returns once every worker is gone (the server kills
    them before it lets the zygote go), so none is left a zombie without a parent."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def _fork_on_request(
    control: socket.socket, handler: Handler, setup: Callable[[], None] | None
) -> None:
    while command := control.recv(1):
        if command != _SPAWN:
            continue
        parent_end, worker_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker
            control.close()
            parent_end.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _child(partial(_serve, worker_end, handler, setup), keep=worker_end)
        worker_end.close()
        socket.send_fds(control, [_PID.pack(pid)], [parent_end.fileno()])
        parent_end.close()


def _serve(sock: socket.socket, handler: Handler, setup: Callable[[], None] | None) -> None:
    sys.setrecursionlimit(100_000)  # rdflib's recursive parser, on deeply nested queries
    if setup is not None:
        setup()
    stream = sock.makefile("rwb")
    while header := stream.read(_LENGTH.size):
        if len(header) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack(header)
        request = pickle.loads(stream.read(length))
        payload = pickle.dumps(answer(handler, request), protocol=pickle.HIGHEST_PROTOCOL)
        stream.write(_LENGTH.pack(len(payload)) + payload)
        stream.flush()


def _reap(pid: int, patience: float = 5.0) -> None:
    """Wait for the zygote to exit; past ``patience`` seconds, kill it."""
    deadline = time.monotonic() + patience
    try:
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            time.sleep(0.02)
    except ChildProcessError:
        pass
