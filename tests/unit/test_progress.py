"""The fast tier: the training's progress line, from the epoch the training announces on its
output to the line rewritten in place in pytest's terminal, and nowhere else."""
import io
import os
import select
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import ROOT
from tfexam.results import progress
from tfexam.results.progress import ERASE_TO_END, RESTORE_CURSOR, SAVE_CURSOR, InPlaceLine, describe
from tfexam.sandbox import child, runner
from tfexam.sandbox.runner import Budget, Epoch, EpochTap, Progress, Watch


def update(epoch=None, cpu=4.0, finished=False, budget=Budget(60, 2)) -> Progress:
    return Progress(epoch, cpu, budget, finished)


# --- what the line says ------------------------------------------------------------------------

def test_the_line_says_the_category_the_epoch_the_loss_and_the_cpu_time_of_the_budget():
    assert describe("basic (x-plus-6)", update(Epoch(12, 300, 0.031234), cpu=4.4)) == \
        "training basic (x-plus-6): epoch 12/300, loss 0.03123, 4 of 120 CPU s"


def test_before_the_first_epoch_and_without_a_known_epoch_count():
    assert describe("nlp (sarcasm)", update(None, cpu=7)) == "training nlp (sarcasm): starting, 7 of 120 CPU s"
    assert describe("nlp (sarcasm)", update(Epoch(3))) == "training nlp (sarcasm): epoch 3, 4 of 120 CPU s"


# --- in place, rate-limited ----------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def make_line(room=80):
    written, clock = [], Clock()
    return InPlaceLine("basic (x-plus-6)", written.append, lambda: room, clock), written, clock


def test_the_line_is_written_after_pytests_text_then_rewritten_there_then_erased():
    line, written, clock = make_line()
    line(update(Epoch(1, 300)))
    clock.now += 1
    line(update(Epoch(2, 300)))
    line(update(finished=True))
    assert written == [SAVE_CURSOR + " training basic (x-plus-6): epoch 1/300, 4 of 120 CPU s",
                       RESTORE_CURSOR + ERASE_TO_END + " training basic (x-plus-6): epoch 2/300, 4 of 120 CPU s",
                       RESTORE_CURSOR + ERASE_TO_END]
    assert "\n" not in "".join(written)  # pytest's line stays where it was


def test_at_most_four_updates_a_second():
    line, written, clock = make_line()
    for epoch in range(1, 41):  # 16 epochs a second for 2.5 s
        line(update(Epoch(epoch, 300)))
        clock.now += 1 / 16
    assert len(written) == 10
    assert written[-1].endswith("epoch 37/300, 4 of 120 CPU s")


def test_a_line_that_never_showed_erases_nothing():
    line, written, _ = make_line()
    line(update(finished=True))
    assert written == []


def test_the_line_fits_the_room_left_on_pytests_line_or_is_not_shown():
    line, written, _ = make_line(room=30)
    line(update(Epoch(1, 300)))
    assert written == [SAVE_CURSOR + " training basic (x-plus-6): e"]
    assert len(written[0]) - len(SAVE_CURSOR) == 29  # the last column stays free: no wrap
    cramped, nothing, _ = make_line(room=progress.MIN_ROOM - 1)
    cramped(update(Epoch(1, 300)))
    assert nothing == []


# --- the channel: the training's output ----------------------------------------------------------

def test_the_training_announces_each_epoch_on_its_output(capfd):
    child.announce_epoch(11, {"epochs": 300, "verbose": 0}, {"loss": 0.5, "mae": 0.1})
    child.announce_epoch(0, None, {"loss": float("nan")})
    assert capfd.readouterr().out == ('tfexam-progress: {"epoch": 12, "epochs": 300, "loss": 0.5}\n'
                                      'tfexam-progress: {"epoch": 1, "epochs": null, "loss": null}\n')


def test_the_tap_keeps_the_last_epoch_even_split_across_reads_and_passes_every_byte_on():
    output = b'Epoch 1/3\ntfexam-progress: {"epoch": 1, "epochs": 3, "loss": 2.5}\nsome print\ntfexam-pro' \
             b'gress: {"epoch": 2, "epochs": 3, "loss": 1.5}\n\r1/1 [====] tfexam-progress: {"epoch": 3, "e'
    tap = EpochTap(io.BufferedReader(io.BytesIO(output), buffer_size=16))
    passed, seen = b"", []
    while chunk := tap.read1(16):
        passed += chunk
        seen.append(tap.latest)
    assert passed == output
    assert Epoch(1, 3, 2.5) in seen and tap.latest == Epoch(2, 3, 1.5)  # the last line is not complete


@pytest.mark.parametrize("line", [b"tfexam-progress: not json", b'tfexam-progress: {"epochs": 3}',
                                  b'tfexam-progress: {"epoch": "x"}', b"tfexam-progress: [1]"])
def test_a_garbled_progress_line_changes_nothing(line):
    tap = EpochTap(io.BufferedReader(io.BytesIO(b'tfexam-progress: {"epoch": 4}\n' + line + b"\n")))
    while tap.read1(1024):
        pass
    assert tap.latest == Epoch(4)


def test_the_log_tail_leaves_the_progress_lines_out(tmp_path):
    log = tmp_path / "training.log"
    log.write_text('Epoch 1/2\ntfexam-progress: {"epoch": 1}\n1/1 - loss: 3.0 tfexam-progress: {"epoch": 2}\n'
                   "ValueError: boom\n")
    assert runner.tail(log) == "Epoch 1/2\n1/1 - loss: 3.0 \nValueError: boom"


def test_the_supervisor_reports_each_sample_and_the_end_and_a_failing_display_changes_nothing():
    tap = EpochTap(io.BufferedReader(io.BytesIO(b"")))
    tap.latest = Epoch(3, 10)
    seen = []
    report = runner._reporter(seen.append, tap, Budget(60, 2))
    report(Watch(cpu_seconds=5.0), False)
    report(Watch(cpu_seconds=6.0), True)
    assert seen == [Progress(Epoch(3, 10), 5.0, Budget(60, 2)), Progress(Epoch(3, 10), 6.0, Budget(60, 2), True)]

    def broken(_):
        raise RuntimeError("the terminal went away")
    runner._reporter(broken, tap, Budget(60, 2))(Watch(), False)  # no exception


# --- pytest's terminal: a TTY only, never a test's captured output ------------------------------

def run_in_terminal(argv: list[str], cwd, env: dict, timeout: float) -> str:
    """Run a command on a pseudo-terminal, as a learner's shell would; all it wrote."""
    main, secondary = os.openpty()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=secondary, stdout=secondary, stderr=secondary,
                               start_new_session=True)
    os.close(secondary)
    output, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([main], [], [], 1)[0]:
                try:
                    data = os.read(main, 65536)
                except OSError:  # EIO: every process holding the terminal ended
                    break
                if not data:
                    break
                output += data
            elif process.poll() is not None:
                break
    finally:
        os.close(main)
        if process.poll() is None:
            process.kill()
        process.wait()
    return output.decode("utf-8", "replace")


A_DISPLAY = textwrap.dedent('''\
    from tfexam.results import progress
    from tfexam.sandbox.runner import Budget, Epoch, Progress

    def test_it_trains(request, capfd):
        line = progress.for_terminal(request.config, "basic (x-plus-6)")
        for epoch in (1, 2, 3):
            if line:
                line(Progress(Epoch(epoch, 3), 2.0 * epoch, Budget(60, 2)))
                line.last_update = float("-inf")  # not rate-limited: every epoch shows
        if line:
            line(Progress(Epoch(3, 3), 6.0, Budget(60, 2), finished=True))
        captured = capfd.readouterr()
        assert "epoch" not in captured.out + captured.err, captured
        print("captured-output-is-clean, visible=" + str(line is not None))
''')


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return dict(env, PYTHONPATH=str(ROOT), COLUMNS="120", TERM="xterm", **extra)


def run_display(tmp_path, in_terminal: bool) -> str:
    (tmp_path / "test_display.py").write_text(A_DISPLAY)
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rP", "test_display.py"]
    if in_terminal:
        return run_in_terminal(argv, tmp_path, environment(), timeout=60)
    run = subprocess.run(argv, cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=60)
    return run.stdout + run.stderr


def test_in_a_terminal_the_line_is_rewritten_in_place_and_never_captured(tmp_path):
    output = run_display(tmp_path, in_terminal=True)
    assert "1 passed" in output and "captured-output-is-clean" in output and "visible=True" in output, output
    assert (SAVE_CURSOR + " training basic (x-plus-6): epoch 1/3, 2 of 120 CPU s") in output
    assert (RESTORE_CURSOR + ERASE_TO_END + " training basic (x-plus-6): epoch 3/3, 6 of 120 CPU s"
            + RESTORE_CURSOR + ERASE_TO_END) in output
    assert "test_display.py " + SAVE_CURSOR in output  # after pytest's own text on its line


def test_without_a_terminal_nothing_is_shown(tmp_path):
    output = run_display(tmp_path, in_terminal=False)
    assert "1 passed" in output and "visible=False" in output, output
    assert "epoch" not in output and SAVE_CURSOR not in output


def test_an_xdist_worker_shows_nothing():
    class Worker:
        workerinput = {"workerid": "gw0"}
    assert progress.for_terminal(Worker(), "basic (x-plus-6)") is None
