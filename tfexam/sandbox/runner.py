"""The grader's side of training: start the child, hold it to its budget, read what it left.

Training never runs inside pytest's process. Each run gets a fresh interpreter in its own
session (process group), a temporary working directory, and a wall-clock budget; when the
budget runs out the whole group is killed. The trained model is moved out of the child's
reach before anyone grades it.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tfexam.data import tfds_offline
from tfexam.sandbox.child import MODEL_FILE, RESULT_FILE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOG_TAIL_LINES = 25


@dataclass
class Training:
    """What one training run produced: a model file, or the reason there is none."""
    model_path: Path | None
    reason: str | None
    train_seconds: float | None
    wall_seconds: float
    log_tail: str = ""
    history: dict | None = None  # per epoch: loss, metrics, val_*, over every fit() of the model

    @property
    def ok(self) -> bool:
        return self.model_path is not None


def child_environment(seed: int, workdir: str | None = None) -> dict:
    env = dict(os.environ)
    if workdir:  # keras.utils.get_file's cache, private to this run (parallel runs don't race on it)
        env["KERAS_HOME"] = str(Path(workdir) / ".keras")
    env["TFDS_DATA_DIR"] = str(tfds_offline.data_dir())  # where the grader prepared tfds datasets
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = str(seed)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["CUDA_VISIBLE_DEVICES"] = ""
    return env


def train(solution: Path, grade_dir: Path, budget_seconds: float, seed: int) -> Training:
    """Run solution_model() from `solution` in a sandboxed process; keep the model in grade_dir."""
    grade_dir.mkdir(parents=True, exist_ok=True)
    log_path = grade_dir / "training.log"
    with tempfile.TemporaryDirectory(prefix="tfexam-train-") as workdir, open(log_path, "wb") as log:
        out_dir = Path(workdir) / ".tfexam-out"
        out_dir.mkdir()
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "tfexam.sandbox.child", str(solution.resolve()), str(out_dir), str(seed)],
            cwd=workdir, env=child_environment(seed, workdir), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        timed_out = _wait(process, budget_seconds)
        wall = time.monotonic() - started
        result = _read_result(out_dir)
        model = out_dir / MODEL_FILE
        if result.get("ok") and model.is_file() and not timed_out:
            kept = grade_dir / MODEL_FILE
            shutil.move(model, kept)
            return Training(kept, None, result["train_seconds"], wall, history=result.get("history"))
    reason = _failure_reason(process.returncode, timed_out, result, budget_seconds)
    return Training(None, reason, None, wall, log_tail=tail(log_path))


def _wait(process: subprocess.Popen, budget_seconds: float) -> bool:
    """Wait for the child within its budget; kill its whole process group either way."""
    try:
        process.wait(timeout=budget_seconds)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    try:
        os.killpg(process.pid, signal.SIGKILL)  # also whatever the solution started
    except ProcessLookupError:
        pass
    process.wait()
    return timed_out


def _read_result(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / RESULT_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _failure_reason(returncode: int, timed_out: bool, result: dict, budget_seconds: float) -> str:
    if timed_out:
        return (f"time budget exceeded: training was stopped after {budget_seconds:.0f} s "
                "(train for fewer epochs or a smaller model; --time-budget-scale changes every budget)")
    if result.get("reason"):
        return result["reason"]
    if returncode < 0:
        name = signal.Signals(-returncode).name
        return f"the training process was killed by {name} before it returned a model"
    return f"the training process exited with code {returncode} before it returned a model"


# TensorFlow's start-up chatter, printed before absl logging is set up, so no environment
# variable silences it (oneDNN, CUDA drivers, CPU instructions): never the reason for a failure.
STARTUP_NOISE = re.compile(r"^(?:[IW]\d{4} [\d:.]+ +\d+ [\w.]+:\d+\]|WARNING: All log messages before absl"
                           r"|To enable the following instructions|This TensorFlow binary is optimized)")


def tail(log_path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a training log, without TensorFlow's start-up chatter."""
    try:
        with open(log_path, "rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - 64 * 1024))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [line.rpartition("\r")[2] for line in text.splitlines() if not STARTUP_NOISE.match(line)]
    return "\n".join(kept[-lines:])
