"""The shell's input: terminals and pipes read without blocking the event loop, and Ctrl-C
(or the end of input) ends a session with exit code 0 and everything printed."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.tools.shell_input import ConsoleInput

REPO = Path(__file__).resolve().parents[3]

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="pipes, ptys and SIGINT as on Unix")


@unix_only
async def test_a_pipe_is_read_line_by_line_across_chunks() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, encoding="utf-8") as stream:
        async with ConsoleInput(stream) as lines:
            encoded = "привет\nпо".encode()
            os.write(write_fd, encoded[:3])  # a letter cut in half
            os.write(write_fd, encoded[3:])
            assert await lines.next_line() == "привет"
            os.write(write_fd, "ка\r\n\nбез конца".encode())
            os.close(write_fd)
            assert [await lines.next_line() for _ in range(3)] == ["пока", "", "без конца"]
            assert await lines.next_line() is None
            assert await lines.next_line() is None  # the end stays the end


@unix_only
async def test_ctrl_c_ends_a_wait_for_input_at_once() -> None:
    before = signal.getsignal(signal.SIGINT)
    read_fd, write_fd = os.pipe()
    try:
        with os.fdopen(read_fd, encoding="utf-8") as stream:
            async with ConsoleInput(stream) as lines:
                waiting = asyncio.create_task(lines.next_line())
                await asyncio.sleep(0.05)
                assert not waiting.done()  # the loop is free meanwhile
                os.kill(os.getpid(), signal.SIGINT)  # handled by the shell, not KeyboardInterrupt
                assert await asyncio.wait_for(waiting, timeout=5) is None
                assert lines.interrupted
            # Leaving gives Ctrl-C back to whoever had it.
            assert signal.getsignal(signal.SIGINT) is before
    finally:
        os.close(write_fd)


def _shell(tmp_path: Path, stdin: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/shell.db", PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "shell", "--name", "Анна"],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )


class _Output:
    """The shell's stdout as it arrives; `until` waits for a marker after the last one."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self.stream = process.stdout
        self.seen = b""
        self._from = 0

    def until(self, marker: bytes, timeout: float = 60) -> bytes:
        deadline = time.monotonic() + timeout
        while (at := self.seen.find(marker, self._from)) < 0:
            left = deadline - time.monotonic()
            assert left > 0, f"no {marker!r} in {self.seen!r}"
            ready, _, _ = select.select([self.stream], [], [], left)
            if ready:
                chunk = os.read(self.stream.fileno(), 65_536)
                assert chunk, f"the shell exited before {marker!r}: {self.seen!r}"
                self.seen += chunk
        start, self._from = self._from, at + len(marker)
        return self.seen[start : self._from]


@unix_only
def test_ctrl_c_in_piped_mode_exits_0_after_the_answer(tmp_path: Path) -> None:
    process = _shell(tmp_path, subprocess.PIPE)
    assert process.stdin is not None
    try:
        process.stdin.write(b"/start\n")
        process.stdin.flush()  # and kept open: the shell waits for more
        output = _Output(process)
        output.until(b"bot> ")
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err.decode()
    transcript = (output.seen + rest).decode()
    assert transcript.startswith("you> /start\nbot> ") and "Анна" in transcript
    assert "Traceback" not in err.decode()


@unix_only
def test_ctrl_c_at_the_terminal_prompt_exits_0(tmp_path: Path) -> None:
    main, terminal = os.openpty()  # the shell's stdin is a terminal: interactive mode
    process = _shell(tmp_path, terminal)
    os.close(terminal)
    try:
        output = _Output(process)
        output.until(b"you> ")
        os.write(main, b"/help\n")
        answer = output.until(b"you> ")  # the answer, then the next prompt
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    assert process.returncode == 0, err.decode()
    # A terminal shows what was typed: the shell doesn't echo it a second time.
    assert answer.decode().startswith("bot> ")
    assert "you> /help" not in output.seen.decode()
    assert "Traceback" not in err.decode()
