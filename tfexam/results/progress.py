"""The line a long training shows in the terminal, rewritten in place while it trains.

  training basic (x-plus-6): epoch 12/300, loss 0.0312, 4 of 120 CPU s

Shown only where someone watches: pytest's own terminal, when it is one (a TTY), in a run
without xdist workers (a worker has no terminal). CI logs get no line per epoch. The line is
written after what pytest wrote on its current line and erased when the training ends, so
pytest's own output is left as it was; pytest's output capture is suspended while it is written,
so it never reaches a test's captured output.
"""
import contextlib
import os
import sys
import time
from typing import Callable

from tfexam.sandbox.runner import Progress

UPDATES_PER_SECOND = 4
SAVE_CURSOR, RESTORE_CURSOR, ERASE_TO_END = "\x1b7", "\x1b8", "\x1b[K"  # VT100: DECSC, DECRC, EL
MIN_ROOM = 20  # columns left on pytest's line below which the line is not shown


def describe(label: str, progress: Progress) -> str:
    """'training basic (x-plus-6): epoch 12/300, loss 0.0312, 4 of 120 CPU s'."""
    parts = []
    if progress.epoch is None:
        parts.append("starting")
    else:
        of = f"/{progress.epoch.epochs}" if progress.epoch.epochs else ""
        parts.append(f"epoch {progress.epoch.epoch}{of}")
        if progress.epoch.loss is not None:
            parts.append(f"loss {progress.epoch.loss:.4g}")
    parts.append(f"{progress.cpu_seconds:.0f} of {progress.budget.cpu_seconds:.0f} CPU s")
    return f"training {label}: {', '.join(parts)}"


class InPlaceLine:
    """Shows a training's progress on one terminal line, at most UPDATES_PER_SECOND times a second.

    write(text) puts raw text on the terminal; room() is how many columns are left on its line.
    """

    def __init__(self, label: str, write: Callable[[str], None], room: Callable[[], int] = lambda: 80,
                 clock: Callable[[], float] = time.monotonic):
        self.label, self.write, self.room, self.clock = label, write, room, clock
        self.shown = False
        self.columns = 0  # the room the first update had: every update starts at the same column
        self.last_update = float("-inf")

    def __call__(self, progress: Progress) -> None:
        if progress.finished:
            self.clear()
            return
        now = self.clock()
        if now - self.last_update < 1 / UPDATES_PER_SECOND:
            return
        room = self.room() if not self.shown else self.columns
        if room < MIN_ROOM:
            return
        self.last_update = now
        text = describe(self.label, progress)[:room - 2]  # with its leading space, short of the last column
        if not self.shown:  # where pytest's line ends: every update starts there again
            self.columns, self.shown = room, True
            self.write(SAVE_CURSOR + " " + text)
        else:
            self.write(RESTORE_CURSOR + ERASE_TO_END + " " + text)

    def clear(self) -> None:
        if self.shown:
            self.write(RESTORE_CURSOR + ERASE_TO_END)
            self.shown = False


def for_terminal(config, label: str) -> InPlaceLine | None:
    """The progress line for pytest's terminal, or None where nobody watches one (no TTY, an xdist worker)."""
    if getattr(config, "workerinput", None) is not None:
        return None
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not reporter.isatty() or os.environ.get("TERM") == "dumb":
        return None
    writer = config.get_terminal_writer()
    capture = config.pluginmanager.get_plugin("capturemanager")

    def write(text: str) -> None:
        # Capture is on while a fixture runs: suspended, sys.stdout is the terminal pytest writes to.
        # Written past pytest's TerminalWriter, which would count these characters into its line's width.
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            writer.flush()
            sys.stdout.write(text)
            sys.stdout.flush()

    return InPlaceLine(label, write, lambda: writer.fullwidth - writer.width_of_current_line)
