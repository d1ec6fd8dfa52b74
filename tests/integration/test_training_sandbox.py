"""The training process and its limits: time, memory, output, and everything it starts.

The corpus of misbehaving solutions is checked in test_adversarial.py, one of each kind end to end.
"""
import json
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import (ADVERSARIAL, FIXTURE_SOLUTIONS, ROOT, SANDBOXES, clean_environment, mark_processes,
                      needs_namespaces, run_grader)
from unit.test_progress import run_in_terminal
from tfexam.results.progress import SAVE_CURSOR
from tfexam.sandbox import isolation, limits, runner
from tfexam.sandbox.spec import TrainingSpec


BUDGET = 60


def train(tmp_path, fixture, budget: float = BUDGET, progress=None, **settings) -> runner.Training:
    return runner.train(fixture, tmp_path / "grade", budget, TrainingSpec(seed=0, **settings), progress)


def test_the_stub_says_it_is_not_implemented(tmp_path):
    training = runner.train(ROOT / "assessments" / "basic" / "solution.py", tmp_path, BUDGET)
    assert training.reason == ("solution_model() is not implemented yet: write your model in solution.py "
                               "and return it")


def test_a_solution_that_sleeps_is_stopped_by_the_wall_clock_backstop(tmp_path):
    # 5 s on two threads: 10 CPU s, room for TensorFlow's import (5-6 CPU s), which computes and is not
    # counted; then it sleeps, and the clock stops it once it has waited 15 s
    training = train(tmp_path, ADVERSARIAL / "sleeps_forever.py", budget=5, threads=2)
    assert training.reason.startswith("time budget exceeded: training was stopped after waiting 15 s on the clock, "
                                      "3x its 5 s budget, neither computing nor held back by the machine (")
    assert 15 <= training.waiting_seconds < 15 + 1 and training.cpu_seconds < 10


@pytest.mark.parametrize("threads", [1, 2])
def test_a_solution_that_computes_forever_is_stopped_at_its_budgets_cpu_time(tmp_path, threads):
    training = train(tmp_path, ADVERSARIAL / "busy_loop.py", budget=5, threads=threads)
    assert training.reason.startswith(f"time budget exceeded: training was stopped after {5 * threads} CPU seconds")
    assert 5 * threads <= training.cpu_seconds < 5 * threads + 2


def test_the_log_tail_shows_the_learners_traceback(tmp_path):
    training = train(tmp_path, ADVERSARIAL / "raises.py")
    assert "ValueError: the learning rate went negative" in training.log_tail
    assert 'raises.py", line 5, in solution_model' in training.log_tail
    assert "oneDNN" in (tmp_path / "grade" / "training.log").read_text()  # TensorFlow's start-up chatter...
    assert "oneDNN" not in training.log_tail and "absl" not in training.log_tail  # ...is not the reason


def test_the_training_curves_cover_every_fit_call_with_validation(tmp_path):
    seen = []
    training = train(tmp_path, FIXTURE_SOLUTIONS / "fits_in_two_calls.py", progress=seen.append)
    assert training.ok, training.reason
    assert training.device == "CPU"  # as TensorFlow reported it, in the training process
    last = seen[-1]  # once it ended, with the last epoch it announced: the second fit()'s second
    assert last.finished and (last.epoch.epoch, last.epoch.epochs) == (2, 2) and last.epoch.loss > 0
    assert not any(p.finished for p in seen[:-1]) and len(seen) > 10  # sampled every 0.1 s while it trained
    assert set(training.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert all(len(values) == 5 for values in training.history.values())  # 3 epochs, then 2 more
    assert all(isinstance(v, float) for values in training.history.values() for v in values)


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_nothing_the_solution_started_outlives_its_budget(tmp_path, monkeypatch, sandbox):
    (tmp_path / "spawns.py").write_text(textwrap.dedent("""
        import subprocess
        def solution_model():
            subprocess.Popen(["sleep", "300"])
            subprocess.Popen(["sleep", "300"], start_new_session=True)
            print("both started", flush=True)
            while True:  # stopped at its budget's CPU time, sooner than on the clock
                pass
    """))
    marker = mark_processes(monkeypatch)
    training = runner.train(tmp_path / "spawns.py", tmp_path / "grade", 20,  # 20 s: room for TF's import
                            TrainingSpec(threads=1, sandbox=isolation.choose(sandbox)))
    assert "time budget exceeded" in training.reason
    assert "both started" in (tmp_path / "grade" / "training.log").read_text()
    assert limits.processes_with("TFEXAM_CORPUS_RUN", marker) == []


def test_a_memory_hog_is_stopped_at_its_limit_with_what_it_held(tmp_path):
    training = train(tmp_path, ADVERSARIAL / "memory_hog.py", memory_limit_bytes=limits.GIB)
    assert training.reason.startswith("memory limit exceeded (1 GiB): training was stopped holding")
    assert limits.GIB < training.peak_memory_bytes < 3 * limits.GIB  # sampled every 0.1 s, 256 MB at a time
    assert training.wall_seconds < 30


def test_an_output_flood_costs_neither_memory_nor_disk(tmp_path):
    training = train(tmp_path, ADVERSARIAL / "output_flood.py")
    assert "returned NoneType" in training.reason
    log = (tmp_path / "grade" / "training.log").read_bytes()
    assert len(log) < 600 * 1024  # of 300 MB printed: the first and last 256 KB
    assert b"bytes of output left out" in log
    assert training.peak_memory_bytes < 2 * limits.GIB


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_a_process_started_in_a_session_of_its_own_is_killed_too(tmp_path, monkeypatch, sandbox):
    marker = mark_processes(monkeypatch)
    training = train(tmp_path, ADVERSARIAL / "lingering_process.py", sandbox=isolation.choose(sandbox))
    assert training.ok, training.reason
    assert limits.processes_with("TFEXAM_CORPUS_RUN", marker) == []


OFFLINE_PROBE = textwrap.dedent("""
    import socket, urllib.error, urllib.request
    from tfexam.sandbox import offline
    offline.install()
    path, _ = urllib.request.urlretrieve(
        "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv", "s.csv")
    print("urlretrieve", open(path).readline().strip())
    with urllib.request.urlopen("https://storage.googleapis.com/learning-datasets/Sunspots.csv") as r:
        print("urlopen", len(r.read()))
    import keras
    print("get_file", open(keras.utils.get_file(
        "sunspots.csv", "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv",
        cache_dir=".")).readline().strip())
    try:
        urllib.request.urlopen("https://example.com/")
    except urllib.error.URLError as error:
        print("refused", error.reason)
    try:
        socket.create_connection(("192.0.2.1", 80), timeout=5)
    except OSError as error:
        print("socket", error)
""")


def test_registered_urls_are_served_offline_and_others_refused(tmp_path):
    env = runner.child_environment(TrainingSpec(), runner.process_layout(tmp_path))
    output = subprocess.run([sys.executable, "-c", OFFLINE_PROBE], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120).stdout
    assert "urlretrieve ,Date,Monthly Mean Total Sunspot Number" in output
    assert "urlopen 70827" in output
    assert "get_file ,Date,Monthly Mean Total Sunspot Number" in output
    assert "refused https://example.com/ is not a registered dataset URL; grading is offline" in output
    assert "socket network access to 192.0.2.1 is blocked: grading is offline" in output


@needs_namespaces
def test_a_sandbox_that_cannot_be_built_is_named_as_the_machines_fault_not_the_solutions(tmp_path, monkeypatch):
    real_plan = isolation.plan
    monkeypatch.setattr(isolation, "plan",
                        lambda *args, **kwargs: dict(real_plan(*args, **kwargs), root=str(tmp_path / "missing")))
    training = train(tmp_path, ROOT / "solutions" / "x-plus-6.py", sandbox=isolation.choose("namespaces"))
    assert training.reason.startswith("the sandbox could not be set up on this machine: [Errno 2] mount tmpfs")
    assert "--sandbox process grades without namespaces" in training.reason


def test_a_learner_in_a_terminal_sees_the_epoch_in_place_and_ci_logs_get_no_line_per_epoch(tmp_path):
    """The learner's usual command, in a terminal: the training's line is rewritten in place."""
    solution = tmp_path / "x-plus-6.py"  # the reference, shorter: what is tested is the line, not the score
    solution.write_text((ROOT / "solutions" / "x-plus-6.py").read_text().replace("epochs=300", "epochs=100"))
    results = tmp_path / "terminal.json"
    output = run_in_terminal([sys.executable, "-m", "pytest", "assessments/basic", "--submission", str(solution),
                              "--retrain", "--results", str(results), "-p", "no:cacheprovider"], ROOT,
                             dict(clean_environment(), COLUMNS="120", TERM="xterm"), timeout=600)
    category = json.loads(results.read_text())["categories"]["basic"]
    assert category["value"] is not None and category["device"] == "CPU", output
    assert "tfexam device: cpu (" in output
    shown = re.findall(r"\x1b8\x1b\[K training basic \(x-plus-6\): epoch (\d+)/100, [^\x1b\r\n]* of \d+ CPU s", output)
    assert shown and SAVE_CURSOR + " training basic (x-plus-6): " in output, output
    assert output.count(SAVE_CURSOR) == 1  # one training, one line
    assert re.search(r"\x1b8\x1b\[K(\x1b\[[\d;]*m)*\.", output)  # erased; then pytest's first dot (green) goes there

    piped = run_grader(tmp_path, "assessments/basic", "--submission", str(solution))  # to a pipe, as in CI
    assert piped.category("basic")["value"] is not None and piped.category("basic")["device"] == "CPU"
    assert "training basic" not in piped.output and SAVE_CURSOR not in piped.output
