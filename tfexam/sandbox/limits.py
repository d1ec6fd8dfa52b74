"""Holding a training process to its limits: memory, output, and everything it started.

Processes are found through /proc. Every process of a training run carries a token in its
environment, inherited by whatever it starts, so a process that left the session (setsid, a
double fork) is still found and killed at the end.
"""
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TOKEN_VARIABLE = "TFEXAM_TRAINING_TOKEN"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
GIB = 1024 ** 3


def stat_fields(pid: int | str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, ...]."""
    try:
        with open(f"/proc/{pid}/stat", errors="replace") as f:  # the name is the process's to choose
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _pids() -> list[str]:
    return [name for name in os.listdir("/proc") if name.isdigit()]


@dataclass(frozen=True)
class Tree:
    """A training's live processes, and the CPU time they and the children they reaped used."""
    pids: list[int]
    cpu_seconds: float


def training_processes(root_pid: int) -> Tree:
    """Live processes descended from root_pid, or in its session: all a training started, wherever it moved.

    In a PID namespace orphans are adopted by its init, a descendant; without one, a process that
    left by a double fork is still a session member unless it also called setsid (the token finds
    that one at the end).
    """
    stats = {int(pid): fields for pid in _pids() if (fields := stat_fields(pid)) and fields[0] != "Z"}
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(pid)
    found, pending = set(), [root_pid] if root_pid in stats else []
    while pending:
        pid = pending.pop()
        found.add(pid)
        pending.extend(children.get(pid, ()))
    found.update(pid for pid, fields in stats.items() if fields[3] == str(root_pid))
    # utime, stime, and cutime, cstime: its reaped children's (a live child counts for itself)
    ticks = sum(sum(int(value) for value in stats[pid][11:15]) for pid in found)
    return Tree(sorted(found), ticks / CLOCK_TICKS)


def thread_waits(pids: list[int]) -> tuple[dict[str, int], bool]:
    """Per thread of these processes, the nanoseconds it has spent runnable but waiting for a CPU
    (run-queue delay, /proc/PID/task/TID/schedstat); and whether any is stalled in uninterruptible
    sleep now (state D: disk or network file I/O, memory reclaim)."""
    delays, stalled = {}, False
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    delays[tid] = int(f.read().split()[1])
            except (OSError, IndexError, ValueError):
                continue
            fields = stat_fields(f"{pid}/task/{tid}")
            stalled = stalled or bool(fields and fields[0] == "D")
    return delays, stalled


def machine_held_back(interval: float, waited_seconds: float, stalled: bool) -> bool:
    """Whether the machine kept a training from computing during an interval: its threads waited for
    a CPU for half of it or more (summed), or one was stalled on I/O or memory."""
    return stalled or waited_seconds >= Activity.RUN_DELAY_SHARE * interval


def computing(interval: float, cpu_seconds: float) -> bool:
    """Whether a training computed during an interval: its processes used a quarter of a core or more."""
    return cpu_seconds >= Activity.COMPUTING_SHARE * interval


class Activity:
    """How a training spends the clock, sampled every SAMPLE_SECONDS: computing, held back by the
    machine, or neither, i.e. waiting by its own doing (sleep, input(), a lock, a download). Only its
    waiting counts toward the clock backstop (runner.Budget), so that a training's verdict does not
    depend on how busy the machine is, or on how many of its threads it keeps busy."""
    SAMPLE_SECONDS = 0.5
    COMPUTING_SHARE = 0.25  # of a core: TensorFlow's threads of a training asleep by its own doing use ~0
    RUN_DELAY_SHARE = 0.5  # summed over its threads: a thread asleep by its own doing has next to none

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.waiting_seconds = 0.0
        self.held_back_seconds = 0.0
        self._sampled_at: float | None = None
        self._cpu_seconds = 0.0
        self._delays: dict[str, int] = {}

    def sample(self, pids: list[int], cpu_seconds: float) -> None:
        now = self.clock()
        if self._sampled_at is not None and now - self._sampled_at < self.SAMPLE_SECONDS:
            return
        delays, stalled = thread_waits(pids)
        if self._sampled_at is not None:
            interval = now - self._sampled_at
            waited = sum(delay - self._delays.get(tid, delay) for tid, delay in delays.items()) / 1e9
            held_back = machine_held_back(interval, waited, stalled)
            self.held_back_seconds += interval if held_back else 0.0
            if not held_back and not computing(interval, cpu_seconds - self._cpu_seconds):
                self.waiting_seconds += interval
        self._sampled_at, self._cpu_seconds, self._delays = now, cpu_seconds, delays


def carrying_token(token: str) -> list[int]:
    """Live processes whose environment holds this run's token, wherever they moved."""
    return processes_with(TOKEN_VARIABLE, token)


def processes_with(variable: str, value: str) -> list[int]:
    """Processes whose environment sets `variable` to `value` (inherited from whoever started them)."""
    needle = f"{variable}={value}".encode()
    found = []
    for pid in _pids():
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(pid))
        except OSError:
            continue
    return found


def resident_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE_BYTES
        except (OSError, IndexError, ValueError):
            continue
    return total


def kill_everything(session_id: int, token: str) -> None:
    """SIGKILL the session's process group, then every process still carrying the token."""
    try:
        os.killpg(session_id, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for _ in range(3):  # a fork in flight may add one more; look again
        leftovers = [pid for pid in carrying_token(token) if pid != os.getpid()]
        if not leftovers:
            return
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class CappedLog:
    """Drains a pipe into a log file, keeping its first and last bytes only.

    The training process's output must be read as fast as it comes (a full pipe would block
    it), but a flood of output must cost neither memory nor disk: past `head_bytes` the rest is
    counted, and only the last `tail_bytes` are kept, written with a note of what was left out.
    """

    def __init__(self, pipe, path: Path, head_bytes: int = 256 * 1024, tail_bytes: int = 256 * 1024):
        self.pipe, self.path = pipe, path
        self.head_bytes, self.tail_bytes = head_bytes, tail_bytes
        self.total_bytes = 0
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        tail = bytearray()
        with open(self.path, "wb") as log:
            while chunk := self.pipe.read1(64 * 1024):
                room = max(0, self.head_bytes - self.total_bytes)
                log.write(chunk[:room])
                self.total_bytes += len(chunk)
                tail += chunk[room:]
                del tail[:-self.tail_bytes]
            if self.total_bytes > self.head_bytes + len(tail):
                omitted = self.total_bytes - self.head_bytes - len(tail)
                log.write(f"\n[... {omitted} bytes of output left out ...]\n".encode())
            log.write(tail)

    def close(self, timeout: float = 10) -> None:
        self._thread.join(timeout)
