"""The fast tier: the sandbox's pure parts, the Keras 2 hints, failure reasons, the log tail, the
capped log and the training environment, without starting a training."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tfexam.sandbox import isolation, limits, runner
from tfexam.sandbox.keras2 import keras2_hint
from tfexam.sandbox.limits import GIB, CappedLog
from tfexam.sandbox.child import PROGRESS_MARKER
from tfexam.sandbox.runner import (Budget, BudgetStop, EpochTap, FitControl, Watch, _failure_reason,
                                   _limit_reached, child_environment, tail)
from tfexam.sandbox.spec import TrainingSpec

# --- Keras 2 code under Keras 3 ----------------------------------------------------------------

@pytest.mark.parametrize("error, use", [
    ("ModuleNotFoundError: No module named 'keras_preprocessing'",
     "keras_preprocessing (merged into Keras 2.6, gone in Keras 3)"),
    ("ModuleNotFoundError: No module named 'keras.preprocessing.text'",
     "a keras.preprocessing name Keras 3 no longer has"),
    ("ImportError: cannot import name 'ImageDataGenerator' from 'keras.preprocessing.image' "
     "(/venv/lib/python3.11/site-packages/keras/preprocessing/image/__init__.py)",
     "a keras.preprocessing name Keras 3 no longer has"),
    ("ImportError: cannot import name 'Tokenizer' from 'keras.src.preprocessing.text'",
     "a keras.preprocessing name Keras 3 no longer has"),
    ("ValueError: Argument(s) not recognized: {'lr': 0.01}", "lr= (Keras 3 takes learning_rate=)"),
    ("TypeError: __init__() got an unexpected keyword argument 'lr'", "lr= (Keras 3 takes learning_rate=)"),
    ("AttributeError: 'Sequential' object has no attribute 'fit_generator'",
     "model.fit_generator() (Keras 3 has only fit())"),
    ("AttributeError: 'Functional' object has no attribute 'predict_generator'",
     "model.predict_generator() (Keras 3 has only predict())"),
    ("AttributeError: 'Sequential' object has no attribute 'evaluate_generator'",
     "model.evaluate_generator() (Keras 3 has only evaluate())"),
    ("AttributeError: module 'tensorflow.keras' has no attribute 'experimental'", "tf.keras.experimental"),
])
def test_a_keras2_use_is_named_from_the_error_keras3_raises(error, use):
    hint = keras2_hint(error)
    assert hint.startswith(f"this is Keras 2 code, {use}")
    assert hint.endswith(": grade it with --keras 2 (or TFEXAM_KERAS=2) to run it as written, or port it to Keras 3")


@pytest.mark.parametrize("error", [
    "ValueError: Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape "
    "to have value 1, but received input with shape (None, 2)",
    "ModuleNotFoundError: No module named 'sklearn'",
    "ValueError: Argument(s) not recognized: {'lrate': 0.01}",
    "AttributeError: 'Sequential' object has no attribute 'fit_gen'",
    "",
])
def test_an_unrelated_error_gets_no_keras2_hint(error):
    assert keras2_hint(error) == ""


# --- why a training failed ---------------------------------------------------------------------

def reason(returncode=1, stopped_by=None, result=None, peak=0, cpu=0.0, wall=0.0, waiting=0.0, held_back=0.0,
           fit_stopped=False) -> str:
    watch = Watch(stopped_by, peak, cpu_seconds=cpu, wall_seconds=wall, waiting_seconds=waiting,
                  held_back_seconds=held_back, fit_stopped=fit_stopped)
    return _failure_reason(returncode, watch, result or {}, Budget(60.0, 2), 8 * GIB)


def test_the_time_budget_is_the_reason_whatever_the_child_said():
    found = reason(-9, "cpu", {"reason": "solution.py raised KeyboardInterrupt"}, cpu=120.3, wall=95)
    assert found.startswith("time budget exceeded: training was stopped after 120 CPU seconds, its budget of "
                            "60 s on 2 threads (95 s on the clock;")
    assert "--time-budget-scale" in found


def test_a_training_that_waits_is_stopped_by_the_clock_and_told_so():
    found = reason(-9, "wall", cpu=7.4, wall=188, waiting=180.2)
    assert found == ("time budget exceeded: training was stopped after waiting 180 s on the clock, 3x its 60 s "
                     "budget, neither computing nor held back by the machine (188 s in all, 7 CPU seconds used): it "
                     "waited instead of computing (sleep, input(), a lock or a download that never ends)")


def test_the_budget_is_cpu_time_on_its_threads_with_a_wall_clock_backstop():
    assert (Budget(60, 2).cpu_seconds, Budget(60, 2).wall_seconds) == (120, 180)
    assert (Budget(60, 1).cpu_seconds, Budget(60, 1).wall_seconds) == (60, 180)
    assert (Budget(60, 1).busy_seconds, Budget(60, 1).grace_seconds, Budget(420, 1).grace_seconds) == (600, 10, 42)
    assert Budget(60, 1).longest_seconds() == 610


# --- which limit stops a training --------------------------------------------------------------

def limit(cpu=0.0, wall=0.0, waiting=0.0, fit_stopped=False, budget=Budget(60, 2)) -> str | None:
    watch = Watch(cpu_seconds=cpu, wall_seconds=wall, waiting_seconds=waiting, fit_stopped=fit_stopped)
    return _limit_reached(watch, 0, budget, 8 * GIB, 10)


def test_past_its_cpu_budget_a_training_is_stopped_unless_its_fit_was_stopped_then_after_a_grace():
    assert limit(cpu=120.5) == "cpu"
    assert limit(cpu=120.5, fit_stopped=True) is None  # 10 s on 2 threads: 20 CPU seconds more
    assert limit(cpu=139.9, fit_stopped=True) is None
    assert limit(cpu=140.1, fit_stopped=True) == "cpu"


def test_the_clock_backstop_counts_only_the_time_the_training_waited_by_its_own_doing():
    assert limit(wall=180.5, waiting=180.5) == "wall"
    assert limit(wall=250, waiting=150) is None  # computing, or held back, for 100 s: its CPU time decides
    assert limit(wall=250, waiting=181, fit_stopped=True) is None  # a grace after its fit() was stopped
    assert limit(wall=250, waiting=190.5, fit_stopped=True) == "wall"


def test_a_machine_too_busy_to_train_at_all_stops_it_at_ten_times_its_budget_and_says_whose_fault():
    assert limit(wall=599) is None
    assert limit(wall=601) == "busy"
    found = reason(-9, "busy", cpu=30.2, wall=601, held_back=590)
    assert found.startswith("the machine was too busy to train it: stopped after 601 s on the clock, 10x its 60 s "
                            "budget, having used 30 of its 120 CPU seconds while other processes held it back "
                            "for 590 s (not the solution's fault")


def test_the_cpu_budgets_message_counts_the_grace_after_a_stopped_fit():
    found = reason(-9, "cpu", cpu=140.3, wall=80, fit_stopped=True)
    assert found.startswith("time budget exceeded: training was stopped after 120 CPU seconds, its budget of 60 s "
                            "on 2 threads, and 10 s more after its fit() was stopped at the budget (80 s on the clock;")


@pytest.mark.parametrize("interval, waited, stalled, held", [
    (0.5, 0.0, False, False),  # asleep by its own doing (sleep, input(), a lock)
    (0.5, 0.01, False, False),  # a thread woken now and then
    (0.5, 0.1, False, False),  # its wake-ups delayed a little on a busy machine
    (0.5, 0.3, False, True),  # runnable, waiting for a CPU
    (0.5, 0.9, False, True),  # several threads waiting
    (0.5, 0.0, True, True),  # in uninterruptible sleep: I/O or memory reclaim
])
def test_held_back_means_waiting_for_a_cpu_or_stalled_on_io_or_memory(interval, waited, stalled, held):
    assert limits.machine_held_back(interval, waited, stalled) is held


@pytest.mark.parametrize("interval, cpu, computing", [(0.5, 0.0, False), (0.5, 0.1, False), (0.5, 0.13, True),
                                                     (0.5, 0.9, True)])
def test_computing_means_a_quarter_of_a_core_or_more(interval, cpu, computing):
    assert limits.computing(interval, cpu) is computing


def test_a_sleeping_process_waits_and_is_not_held_back():
    sleeper = subprocess.Popen(["sleep", "5"])
    try:
        clock = iter([0.0, 0.3, 0.6, 1.2])
        activity = limits.Activity(clock=lambda: next(clock))
        for cpu_seconds in (0.0, 0.01, 0.02, 0.03):  # the second sample, 0.3 s on, is too soon: skipped
            activity.sample([sleeper.pid], cpu_seconds)
        assert (round(activity.waiting_seconds, 6), activity.held_back_seconds) == (1.2, 0.0)
        delays, stalled = limits.thread_waits([sleeper.pid])
        assert list(delays) == [str(sleeper.pid)] and stalled is False
    finally:
        sleeper.kill()
        sleeper.wait()


# --- a fit() the budget stopped ----------------------------------------------------------------

def test_a_stopped_fit_says_where_in_one_line_and_a_forged_record_says_less():
    stop = BudgetStop.from_child({"epoch": 12, "epochs": 30})
    assert (stop.epochs_completed, stop.epochs) == (11, 30)
    assert stop.note == ("the budget ran out in epoch 12 of 30; graded the model as trained so far; "
                         "train fewer epochs or a smaller model for the whole run")
    for forged in (None, "12", {"epoch": "12", "epochs": 30}, {"epoch": True, "epochs": 30}, {"epoch": -1},
                   {"epoch": 10 ** 12, "epochs": 3}):
        assert BudgetStop.from_child(forged).note.startswith("the budget ran out; graded the model as trained")


class Pipe:
    def __init__(self, *chunks: bytes):
        self.chunks = list(chunks)

    def read1(self, size=-1) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


def test_the_stop_request_neither_blocks_on_a_fifo_nor_follows_a_link(tmp_path):
    """In the process sandbox the training can write where the request goes (a hang would stop no limit)."""
    os.mkfifo(tmp_path / "fifo")
    FitControl(EpochTap(Pipe()), tmp_path / "fifo").stop()  # no reader: refused at once, not waited on
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    FitControl(EpochTap(Pipe()), tmp_path / "link").stop()
    assert not (tmp_path / "elsewhere").exists()
    FitControl(EpochTap(Pipe()), tmp_path / "budget-spent").stop()
    assert (tmp_path / "budget-spent").is_file()


def test_a_process_name_that_is_not_utf8_does_not_stop_the_supervisor():
    named = subprocess.Popen([sys.executable, "-c", "open('/proc/self/comm', 'wb').write(b'\\xff\\xfe)');"
                              "import time; time.sleep(5)"])
    try:
        for _ in range(50):
            fields = limits.stat_fields(named.pid)
            if fields and "\ufffd" in Path(f"/proc/{named.pid}/comm").read_text(errors="replace"):
                break
            time.sleep(0.1)
        assert fields and fields[0] in "RSD"
        assert limits.thread_waits([named.pid])[1] is False
    finally:
        named.kill()
        named.wait()


def test_the_output_tap_knows_when_a_fit_runs():
    marker = PROGRESS_MARKER.encode()
    tap = EpochTap(Pipe(b"loading\n" + marker + b'{"fit": true}\n' + marker + b'{"epoch": 1, "ep',
                        b'ochs": 3, "loss": 0.5}\nprinted by the learner\n',
                        marker + b'{"fit": false}\n', b"x" + marker + b'{"fit": "not json\n'))
    assert (tap.fitting, tap.latest) == (False, None)
    tap.read1()
    assert tap.fitting and tap.latest is None
    tap.read1()
    assert tap.fitting and tap.latest.epoch == 1 and tap.latest.epochs == 3
    tap.read1()
    assert not tap.fitting
    tap.read1()
    assert not tap.fitting  # a broken line changes nothing


def test_the_memory_limit_names_the_limit_and_the_peak():
    found = reason(-9, "memory", peak=int(9.5 * GIB))
    assert found.startswith("memory limit exceeded (8 GiB): training was stopped holding 9.5 GiB (")
    assert "--memory-limit-scale" in found


def test_the_childs_own_reason_comes_before_its_exit_code():
    assert reason(1, result={"reason": "solution_model() returned None, not a model"}) == (
        "solution_model() returned None, not a model")


@pytest.mark.parametrize("returncode, signal_name", [(-9, "SIGKILL"), (-11, "SIGSEGV"), (-6, "SIGABRT")])
def test_a_child_killed_by_a_signal_is_named_by_the_signal(returncode, signal_name):
    assert reason(returncode) == f"the training process was killed by {signal_name} before it returned a model"


def test_a_child_that_exited_is_named_by_its_exit_code():
    assert reason(3) == "the training process exited with code 3 before it returned a model"
    assert reason(0, result={"ok": False}) == "the training process exited with code 0 before it returned a model"


# --- the log tail ------------------------------------------------------------------------------

STARTUP = """\
WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
I0000 00:00:1795294831.412174    3218 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results.
I0000 00:00:1795294831.412462    3218 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will not be used.
I0000 00:00:1795294831.461363    3218 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.
To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.
W0000 00:00:1795294833.756999    3218 gpu_device.cc:2344] Cannot dlopen some GPU libraries.
"""  # noqa: E501  as TensorFlow 2.21 prints them
CUINIT = ("E0000 00:00:1795294834.755345    3218 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: "
          "Failed call to cuInit: UNKNOWN ERROR (303)\n")


def log(tmp_path, text: str):
    path = tmp_path / "training.log"
    path.write_text(text)
    return path


def test_the_tail_drops_tensorflows_startup_chatter(tmp_path):
    path = log(tmp_path, STARTUP + "Epoch 1/5\nTraceback (most recent call last):\nValueError: boom\n")
    assert tail(path) == "Epoch 1/5\nTraceback (most recent call last):\nValueError: boom"


def test_the_tail_keeps_the_last_lines(tmp_path):
    path = log(tmp_path, "".join(f"line {n}\n" for n in range(100)))
    assert tail(path, lines=3) == "line 97\nline 98\nline 99"
    assert len(tail(path).splitlines()) == runner.LOG_TAIL_LINES


def test_a_missing_log_has_an_empty_tail(tmp_path):
    assert tail(tmp_path / "never-written.log") == ""


def test_the_tail_reads_only_the_end_of_a_huge_log(tmp_path):
    path = log(tmp_path, "x" * (200 * 1024) + "\nthe end\n")
    assert tail(path, lines=1) == "the end"
    assert len(tail(path)) <= 64 * 1024


def test_a_line_rewritten_with_carriage_returns_keeps_only_its_last_state(tmp_path):
    path = log(tmp_path, " 10/100 [==>...]\r 50/100 [=====>...]\r100/100 [==========] done\nValueError: boom\n")
    assert tail(path) == "100/100 [==========] done\nValueError: boom"


def test_the_tail_drops_the_cuinit_error_of_a_machine_without_a_gpu(tmp_path):
    assert tail(log(tmp_path, STARTUP + CUINIT + "ValueError: boom\n")) == "ValueError: boom"


# --- the capped log ----------------------------------------------------------------------------

def drained(tmp_path, data: bytes, chunk: int = 7, **caps) -> tuple[bytes, CappedLog]:
    """What CappedLog writes for `data` sent through a real pipe, `chunk` bytes a write."""
    read_end, write_end = os.pipe()
    with open(read_end, "rb") as pipe:
        capped = CappedLog(pipe, tmp_path / "training.log", **caps)
        with open(write_end, "wb", buffering=0) as writer:
            for start in range(0, len(data), chunk):
                writer.write(data[start:start + chunk])
        capped.close()
        assert not capped._thread.is_alive()
    return (tmp_path / "training.log").read_bytes(), capped


def test_output_within_the_caps_is_kept_whole(tmp_path):
    data = b"".join(b"line %d\n" % n for n in range(10))
    written, capped = drained(tmp_path, data, head_bytes=40, tail_bytes=40)
    assert written == data and capped.total_bytes == len(data)


def test_a_flood_keeps_its_head_and_tail_and_counts_what_was_left_out(tmp_path):
    data = bytes(range(256)) * 40
    written, capped = drained(tmp_path, data, head_bytes=100, tail_bytes=50)
    omitted = len(data) - 150
    assert written == data[:100] + f"\n[... {omitted} bytes of output left out ...]\n".encode() + data[-50:]
    assert capped.total_bytes == len(data)


def test_the_log_is_complete_once_closed_even_for_output_written_in_one_go(tmp_path):
    data = b"y" * (3 * 1024 * 1024)  # more than one pipe buffer and one read1
    written, _ = drained(tmp_path, data, chunk=len(data), head_bytes=1024, tail_bytes=1024)
    assert written == b"y" * 1024 + f"\n[... {len(data) - 2048} bytes of output left out ...]\n".encode() + b"y" * 1024


# --- the training's environment ----------------------------------------------------------------

@pytest.fixture
def clean_env(monkeypatch):
    for variable in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS", "KERAS_HOME",
                     "TF_CPP_MIN_LOG_LEVEL", "PYTHONPATH"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")


def layout(workdir="/tmp/w") -> isolation.Layout:
    return isolation.Layout(workdir, f"{workdir}/.tfexam-out", f"{workdir}/.tfexam-cache", ["/data/one", "/data/two"])


def test_the_thread_variables_are_set_to_the_trainings_share(clean_env):
    env = child_environment(TrainingSpec(seed=7, threads=2), layout())
    assert [env[v] for v in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS")] == ["2"] * 3


def test_without_a_thread_count_tensorflow_chooses(clean_env):
    env = child_environment(TrainingSpec(seed=7), layout())
    assert not {"TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"} & set(env)


def test_the_token_marks_the_training_and_its_home_and_caches_are_its_own(clean_env):
    env = child_environment(TrainingSpec(seed=7), layout("/tmp/run1"), token="abc123")
    assert env[limits.TOKEN_VARIABLE] == "abc123"
    assert (env["HOME"], env["KERAS_HOME"]) == ("/tmp/run1", "/tmp/run1/.keras")
    assert (env["TFEXAM_CACHE_DIR"], env["TFDS_DATA_DIR"]) == ("/tmp/run1/.tfexam-cache",
                                                               "/tmp/run1/.tfexam-cache/tensorflow_datasets")
    assert env["TFEXAM_DATA_DIR"] == os.pathsep.join(["/data/one", "/data/two"])


def test_the_child_imports_tfexam_is_seeded_and_sees_no_gpu(clean_env, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = child_environment(TrainingSpec(seed=7, keras="2"), layout())
    assert env["PYTHONPATH"] == str(runner.PROJECT_ROOT)
    assert (env["PYTHONHASHSEED"], env["TFEXAM_KERAS"], env["CUDA_VISIBLE_DEVICES"]) == ("7", "2", "")
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "2"


def test_the_environment_is_built_from_an_allow_list_not_inherited(clean_env, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws_secret")
    monkeypatch.setenv("LANG", "C.UTF-8")
    env = child_environment(TrainingSpec(seed=7, threads=2), layout(), token="abc123")
    assert "ghp_secret" not in env.values() and "aws_secret" not in env.values()
    assert env["LANG"] == "C.UTF-8"
    assert limits.TOKEN_VARIABLE not in os.environ and "OMP_NUM_THREADS" not in os.environ


def test_an_instructor_passes_named_variables_through(clean_env, monkeypatch):
    monkeypatch.setenv("WANDB_MODE", "disabled")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    monkeypatch.setenv(isolation.PASS_ENV_VARIABLE, "WANDB_MODE, NOT_SET")
    env = child_environment(TrainingSpec(seed=7), layout())
    assert env["WANDB_MODE"] == "disabled" and "NOT_SET" not in env and "GITHUB_TOKEN" not in env
