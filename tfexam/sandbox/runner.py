"""The grader's side of training: start the child, hold it to its limits, read what it left.

Training never runs inside pytest's process. Each run gets a fresh interpreter in its own
session (process group) and a temporary working directory, and is held to a wall-clock budget
and a memory limit (the resident memory of all its processes, sampled every POLL_SECONDS). Its
output is drained into a capped log. When it ends or is stopped, every process it started is
killed, also one that left the session. The trained model is moved out of the child's reach
before anyone grades it.
"""
import contextlib
import json
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tfexam.data import store, tfds_offline
from tfexam.sandbox import limits
from tfexam.sandbox.child import KERAS_VARIABLE, RESULT_FILE, model_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOG_TAIL_LINES = 25
POLL_SECONDS = 0.1
DEFAULT_MEMORY_LIMIT_BYTES = 8 * limits.GIB  # all of a training's processes; twice the largest reference peak (README)


@dataclass
class Training:
    """What one training run produced: a model file, or the reason there is none."""
    model_path: Path | None
    reason: str | None
    train_seconds: float | None
    wall_seconds: float
    log_tail: str = ""
    peak_memory_bytes: int = 0  # the most the training's processes held at once, sampled
    history: dict | None = None  # per epoch: loss, metrics, val_*, over every fit() of the model
    modules: tuple[str, ...] = ()  # files of the local modules it imported (the cache key's)
    cached: bool = False  # reused from an earlier run, not trained in this one
    keras_version: int = 3  # the Keras it trained on
    # A failure on Keras 3 that Keras 2 would not have: the use ("lr= (...)") and the error with its line
    keras2_use: str = ""
    keras3_failure: str = ""
    keras_note: str = ""  # e.g. "ran under Keras 2: on Keras 3 ...", set by whoever chose the Keras

    @property
    def ok(self) -> bool:
        return self.model_path is not None


def default_threads() -> int:
    """Threads per training: the cores this process may use, divided among the run's xdist workers."""
    cores = len(os.sched_getaffinity(0))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    return max(1, cores // workers)


def child_environment(seed: int, workdir: str | None = None, token: str = "", threads: int | None = None,
                      keras_version: int = 3) -> dict:
    env = dict(os.environ)
    env[KERAS_VARIABLE] = str(keras_version)
    if threads:  # TensorFlow's two thread pools and OpenMP's (oneDNN), read when TensorFlow starts
        for variable in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            env[variable] = str(threads)
    env[limits.TOKEN_VARIABLE] = token  # marks every process of this run, see limits.py
    if workdir:  # keras.utils.get_file's cache, private to this run (parallel runs don't race on it)
        env["KERAS_HOME"] = str(Path(workdir) / ".keras")
    env["TFDS_DATA_DIR"] = str(tfds_offline.data_dir().resolve())  # where the grader prepared tfds datasets
    # The training runs in a folder of its own: a relative mirror or cache path must still lead there
    if env.get(store.DATA_DIR_VAR):
        env[store.DATA_DIR_VAR] = os.pathsep.join(str(folder.resolve()) for folder in store.mirror_dirs())
    env[store.CACHE_DIR_VAR] = str(store.cache_dir().resolve())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = str(seed)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["CUDA_VISIBLE_DEVICES"] = ""
    env["MPLBACKEND"] = "Agg"  # exam-era files plot their curves; plt.show() must not wait for a window
    return env


def train(solution: Path, grade_dir: Path, budget_seconds: float, seed: int,
          memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES, threads: int | None = None,
          keras_version: int = 3, function: str = "") -> Training:
    """Run solution_model() (or `function`) from `solution` in a sandboxed process; keep the model in grade_dir."""
    grade_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="tfexam-train-") as workdir:
        out_dir = Path(workdir) / ".tfexam-out"
        out_dir.mkdir()
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "tfexam.sandbox.child", str(solution.resolve()), str(out_dir), str(seed), function],
            cwd=workdir, env=child_environment(seed, workdir, token, threads, keras_version),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        log = limits.CappedLog(process.stdout, grade_dir / "training.log")
        watch = _supervise(process, budget_seconds, memory_limit_bytes)
        limits.kill_everything(process.pid, token)  # also whatever the solution started
        process.wait()
        log.close()
        wall = time.monotonic() - started
        result = _read_result(out_dir)
        model = out_dir / model_file(keras_version)
        if result.get("ok") and model.is_file() and not watch.stopped_by:
            kept = grade_dir / model.name
            shutil.move(model, kept)
            return Training(kept, None, result["train_seconds"], wall, history=result.get("history"),
                            peak_memory_bytes=watch.peak_memory_bytes, modules=tuple(result.get("modules", ())),
                            keras_version=keras_version)
    reason = _failure_reason(process.returncode, watch, result, budget_seconds, memory_limit_bytes)
    return Training(None, reason, None, wall, log_tail=tail(grade_dir / "training.log"),
                    peak_memory_bytes=watch.peak_memory_bytes, keras_version=keras_version,
                    keras2_use="" if watch.stopped_by else result.get("keras2_use", ""),
                    keras3_failure="" if watch.stopped_by else result.get("keras3_failure", ""))


@dataclass
class Watch:
    """What the supervisor saw: which limit stopped the process, if any, and its peak memory."""
    stopped_by: str | None = None  # "time" or "memory"
    peak_memory_bytes: int = 0


def _supervise(process: subprocess.Popen, budget_seconds: float, memory_limit_bytes: int) -> Watch:
    """Wait for the training process, stopping it at its time budget or its memory limit."""
    watch = Watch()
    deadline = time.monotonic() + budget_seconds
    with _exit_waiter(process) as exited_within:
        while not exited_within(POLL_SECONDS):
            memory = limits.resident_bytes(limits.session_members(process.pid))
            watch.peak_memory_bytes = max(watch.peak_memory_bytes, memory)
            if memory > memory_limit_bytes:
                watch.stopped_by = "memory"
                break
            if time.monotonic() > deadline:
                watch.stopped_by = "time"
                break
    return watch


@contextlib.contextmanager
def _exit_waiter(process: subprocess.Popen):
    """exited_within(seconds): True once the process has exited, waiting at most `seconds`.

    On Linux it sleeps on a pidfd, waking once per poll. Popen.wait(timeout) instead wakes
    every few milliseconds, and on a machine whose cores all train, each wake-up stalls the
    training's threads that wait for each other: it cost trainings up to a fifth of their time.
    """
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # not Linux 5.3+: Popen's own polling
        def exited_within(seconds):
            try:
                process.wait(timeout=seconds)
                return True
            except subprocess.TimeoutExpired:
                return False
        yield exited_within
        return
    try:
        yield lambda seconds: bool(select.select([pidfd], [], [], seconds)[0])
    finally:
        os.close(pidfd)


def _read_result(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / RESULT_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _failure_reason(returncode: int, watch: Watch, result: dict, budget_seconds: float,
                    memory_limit_bytes: int) -> str:
    if watch.stopped_by == "time":
        return (f"time budget exceeded: training was stopped after {budget_seconds:.0f} s "
                "(train for fewer epochs or a smaller model; --time-budget-scale changes every budget)")
    if watch.stopped_by == "memory":
        return (f"memory limit exceeded ({memory_limit_bytes / limits.GIB:.3g} GiB): training was stopped "
                f"holding {watch.peak_memory_bytes / limits.GIB:.1f} GiB (load less data at once, use smaller "
                "batches or a smaller model; --memory-limit-scale changes the limit)")
    if result.get("reason"):
        return result["reason"]
    if returncode < 0:
        name = signal.Signals(-returncode).name
        return f"the training process was killed by {name} before it returned a model"
    return f"the training process exited with code {returncode} before it returned a model"


# TensorFlow's start-up chatter, printed before absl logging is set up, so no environment
# variable silences it (oneDNN, CUDA drivers, CPU instructions): never the reason for a failure.
STARTUP_NOISE = re.compile(r"^(?:[IW]\d{4} [\d:.]+ +\d+ [\w.]+:\d+\]|E\d{4} [\d:.]+ +\d+ cuda\w*\.cc:\d+\]"
                           r"|WARNING: All log messages before absl"
                           r"|To enable the following instructions|This TensorFlow binary is optimized)")


def tail(log_path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a training log, without TensorFlow's start-up chatter."""
    try:
        with open(log_path, "rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - 64 * 1024))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    # Split at newlines only: a progress bar rewrites its line with \r, and only its last state counts
    last_states = (line.rstrip("\r").rpartition("\r")[2] for line in text.split("\n"))
    kept = [line for line in last_states if line and not STARTUP_NOISE.match(line)]
    return "\n".join(kept[-lines:])
