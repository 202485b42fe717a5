"""The shell's input: lines from stdin without blocking the event loop, and Ctrl-C as a
polite request to leave.

Why not `asyncio.to_thread(stdin.readline)`: a thread parked in `readline` on a terminal
cannot be interrupted, and `asyncio.run` waits for its executor's threads at exit, so Ctrl-C
at the prompt would hang until Enter. Terminals and pipes are therefore watched by the event
loop itself (`add_reader`) and read with `os.read` only when they have data; files and
in-memory streams (tests) never block and are read directly. The thread remains only as the
fallback where the loop cannot watch the descriptor (Windows).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import os
import signal
import stat
from types import TracebackType
from typing import Any, TextIO

_CHUNK = 65_536


class ConsoleInput:
    """`async with ConsoleInput(stdin) as lines: line = await lines.next_line()`;
    `next_line()` is None at end of input and after Ctrl-C."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.interrupted = False
        self._stop = asyncio.Event()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._fd: int | None = None
        # "direct": read in place (files, in-memory streams); "watch": the loop tells when a
        # terminal or pipe has data; "thread": the fallback where the loop can't watch.
        self._mode = "direct"
        self._ended = False
        self._pending = ""
        self._decoder = codecs.getincrementaldecoder(getattr(stream, "encoding", None) or "utf-8")(
            errors="replace"
        )
        self._previous_sigint: Any = None
        self._catching_sigint = False
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> ConsoleInput:
        self._loop = asyncio.get_running_loop()
        self._watch()
        self._catch_sigint()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._loop is not None
        if self._mode == "watch" and self._fd is not None:
            self._loop.remove_reader(self._fd)  # a no-op once the end of input removed it
        if self._catching_sigint:
            self._loop.remove_signal_handler(signal.SIGINT)
            # Give back whoever handled Ctrl-C before (asyncio.run's own handler).
            if self._previous_sigint is not None:
                signal.signal(signal.SIGINT, self._previous_sigint)
            self._catching_sigint = False

    async def next_line(self) -> str | None:
        """The next line without its line break; None at end of input or after Ctrl-C."""
        if self._stop.is_set() or self._ended:
            return None
        if self._mode == "watch":
            line = await self._first(self._lines.get())
        elif self._mode == "thread":
            line = await self._first(asyncio.to_thread(self.stream.readline))
        else:
            line = self.stream.readline()  # answers at once: nothing to wait for
        if not line:  # "" is the end of input; a blank line still has its "\n"
            self._ended = True
            return None
        return line.rstrip("\r\n")

    def interrupt(self) -> None:
        """Ctrl-C: the line being handled finishes, then the shell leaves."""
        self.interrupted = True
        self._stop.set()

    async def _first(self, reading: Any) -> str | None:
        """A line, or None if Ctrl-C came first."""
        read = asyncio.ensure_future(reading)
        stopped = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if read.done():
            return read.result()
        read.cancel()  # a queue read cancels cleanly; a thread's result is just dropped
        return None

    def _watch(self) -> None:
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            return  # an in-memory stream
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return  # a file redirected in (`< chat.txt`): reads never block
        self._fd = fd
        assert self._loop is not None
        try:
            self._loop.add_reader(fd, self._readable)
        except (NotImplementedError, OSError, ValueError):
            self._mode = "thread"  # the loop can't watch it (Windows, /dev/null)
            return
        self._mode = "watch"

    def _readable(self) -> None:
        assert self._fd is not None and self._loop is not None
        # The loop said there is data, so this read returns at once (a terminal hands over
        # one line, a pipe what it holds).
        try:
            data = os.read(self._fd, _CHUNK)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._loop.remove_reader(self._fd)
            tail = self._pending + self._decoder.decode(b"", final=True)
            self._pending = ""
            if tail:
                self._lines.put_nowait(tail)
            self._lines.put_nowait(None)
            return
        self._pending += self._decoder.decode(data)
        *complete, self._pending = self._pending.split("\n")
        for line in complete:
            self._lines.put_nowait(line + "\n")

    def _catch_sigint(self) -> None:
        assert self._loop is not None
        previous = signal.getsignal(signal.SIGINT)
        # Only the main thread may handle signals, and Windows loops can't: there Ctrl-C
        # stays a KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            self._loop.add_signal_handler(signal.SIGINT, self.interrupt)
            self._previous_sigint = previous
            self._catching_sigint = True
