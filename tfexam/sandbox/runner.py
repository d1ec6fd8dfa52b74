"""The grader's side of training: start the child, hold it to its limits, read what it left.

Training never runs inside pytest's process. Each run gets a fresh interpreter in its own
session and working directory, inside the sandbox isolation.py chooses (namespaces, or a
process only), with an allow-listed environment. It is held to a budget in CPU time with a
clock backstop, a memory limit and a process limit, all counted over every process it started
and sampled every POLL_SECONDS. Its output is drained into a capped log. When it ends or is
stopped, every process it started is killed, also one that left the session. The trained model
is moved out of the child's reach before anyone grades it.
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
from typing import Callable

from tfexam.data import store
from tfexam.sandbox import isolation, limits
from tfexam.sandbox.child import KERAS_VARIABLE, PROGRESS_MARKER, RESULT_FILE, STOP_FILE_VARIABLE, model_file
from tfexam.sandbox.jail import STATUS_FILE
from tfexam.sandbox.spec import DEFAULT_MEMORY_LIMIT_BYTES, TrainingSpec  # noqa: F401  (its default, here too)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOG_TAIL_LINES = 25
POLL_SECONDS = 0.1
WALL_BACKSTOP = 3  # x the budget, waiting on the clock, neither computing nor held back: docs/sandbox.md
BUSY_BACKSTOP = 10  # x the budget on the clock, all of it: a machine too busy to train it at all
GRACE_FRACTION, GRACE_MIN_SECONDS = 0.1, 10  # after fit() was stopped at the budget, for the code after it
LAUNCHER_PROCESSES = 2  # unshare and jail.py, in a namespaces sandbox


@dataclass
class Training:
    """What one training run produced: a model file, or the reason there is none."""
    model_path: Path | None
    reason: str | None
    train_seconds: float | None
    wall_seconds: float
    log_tail: str = ""
    peak_memory_bytes: int = 0  # the most the training's processes held at once, sampled
    cpu_seconds: float = 0.0  # used by all its processes, as last sampled
    history: dict | None = None  # per epoch: loss, metrics, val_*, over every fit() of the model
    modules: tuple[str, ...] = ()  # files of the local modules it imported (the cache key's)
    cached: bool = False  # reused from an earlier run, not trained in this one
    keras_version: int = 3  # the Keras it trained on
    # A failure on Keras 3 that Keras 2 would not have: the use ("lr= (...)") and the error with its line
    keras2_use: str = ""
    keras3_failure: str = ""
    keras_note: str = ""  # e.g. "ran under Keras 2: on Keras 3 ...", set by whoever chose the Keras
    device: str = ""  # what TensorFlow trained on, as the training saw it: "CPU" or "GPU:0 (NVIDIA ...)"
    budget_stop: "BudgetStop | None" = None  # the budget ended its fit() early: graded as trained so far
    waiting_seconds: float = 0.0  # on the clock, neither computing nor held back (the clock backstop's count)

    @property
    def ok(self) -> bool:
        return self.model_path is not None


@dataclass(frozen=True)
class BudgetStop:
    """The budget ran out inside fit(): it stopped at the end of a batch and the model was graded as trained."""
    epoch: int | None = None  # the epoch it stopped in, from 1 (None: the budget ran out between fits)
    epochs: int | None = None  # the epochs that fit() asked for

    @property
    def epochs_completed(self) -> int | None:
        return self.epoch - 1 if self.epoch else None

    @property
    def note(self) -> str:
        where = f" in epoch {self.epoch} of {self.epochs}" if self.epoch and self.epochs else ""
        return (f"the budget ran out{where}; graded the model as trained so far; "
                "train fewer epochs or a smaller model for the whole run")

    @classmethod
    def from_child(cls, stopped) -> "BudgetStop":
        """From the training's own record ({"epoch": 12, "epochs": 30}), which it could have forged:
        whole numbers or nothing."""
        stopped = stopped if isinstance(stopped, dict) else {}
        return cls(*(value if type(value) is int and 0 < value < 10 ** 9 else None
                     for value in (stopped.get("epoch"), stopped.get("epochs"))))


def default_threads() -> int:
    """Threads per training: the cores this process may use, divided among the run's xdist workers."""
    cores = len(os.sched_getaffinity(0))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    return max(1, cores // workers)


def child_environment(spec: TrainingSpec, layout: isolation.Layout, token: str = "") -> dict:
    """The training's whole environment: the allow-list (isolation.py) and what tfexam tells it."""
    env = isolation.base_environment(spec.seed, layout.workdir)
    env[KERAS_VARIABLE] = str(spec.keras_version)
    if spec.threads:  # TensorFlow's two thread pools and OpenMP's (oneDNN), read when TensorFlow starts
        for variable in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            env[variable] = str(spec.threads)
    env[limits.TOKEN_VARIABLE] = token  # marks every process of this run, see limits.py
    env["KERAS_HOME"] = f"{layout.workdir}/.keras"  # get_file's cache, private to this run
    env[store.CACHE_DIR_VAR] = layout.cache_dir
    env["TFDS_DATA_DIR"] = f"{layout.cache_dir}/tensorflow_datasets"  # where prepared tfds datasets are
    env[store.DATA_DIR_VAR] = os.pathsep.join(layout.mirrors)
    env["TF_CPP_MIN_LOG_LEVEL"] = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(spec.device.environment())  # the CPU hides every GPU from TensorFlow
    env["MPLBACKEND"] = "Agg"  # exam-era files plot their curves; plt.show() must not wait for a window
    return env


def process_layout(workdir: Path) -> isolation.Layout:
    """Without namespaces the training uses the grader's own cache and mirrors, by absolute path."""
    return isolation.Layout(str(workdir), str(workdir / ".tfexam-out"), str(store.cache_dir().resolve()),
                            [str(folder.resolve()) for folder in store.mirror_dirs()])


@dataclass
class Launch:
    """How to start one training, and where its files will be once it ended."""
    argv: list[str]
    env: dict
    cwd: Path
    out_dir: Path
    stop_file: Path  # made when the budget ran out inside fit(): the training stops fitting (child.BudgetStop)


def _launch(spec: TrainingSpec, sandbox: isolation.Sandbox, solution: Path, scratch: Path, token: str) -> Launch:
    in_namespaces = sandbox.mode == "namespaces"
    layout = isolation.inside_layout(scratch) if in_namespaces else process_layout(scratch)
    env = child_environment(spec, layout, token)
    # The same path inside the namespaces (the scratch folder's name is the training's /tmp folder), read-only
    control = scratch / "control"
    control.mkdir()
    env[STOP_FILE_VARIABLE] = str(control / "budget-spent")
    argv = [sys.executable, "-m", "tfexam.sandbox.child", str(solution), layout.out_dir, str(spec.seed), spec.function]
    if not in_namespaces:
        Path(layout.out_dir).mkdir()
        return Launch(argv, env, scratch, Path(layout.out_dir), control / "budget-spent")
    host_root, host_out = scratch / "root", scratch / "out"
    host_root.mkdir()
    host_out.mkdir()
    instructions = isolation.plan(sandbox, solution, layout, host_root, host_out, argv, env,
                                  [RESULT_FILE, model_file(spec.keras_version)],
                                  spec.device.nodes if spec.device.kind == "gpu" else (), read_only=[str(control)])
    launcher_env = {name: env[name] for name in ("PATH", "PYTHONPATH", limits.TOKEN_VARIABLE)}
    return Launch(isolation.command(scratch / "plan.json", instructions), launcher_env, scratch, host_out,
                  control / "budget-spent")


def train(solution: Path, grade_dir: Path, budget_seconds: float, spec: TrainingSpec = TrainingSpec(),
          progress: "Callable[[Progress], None] | None" = None) -> Training:
    """Run solution_model() (or the spec's function) from `solution` in a sandboxed process, as the spec
    says; keep the model in grade_dir.

    progress: called at each sample of the supervisor with the last epoch the training announced, and
    once when it ended.
    """
    spec = spec.with_sandbox()
    sandbox = spec.sandbox
    assert sandbox, "with_sandbox() chose one"
    solution = solution.resolve()
    grade_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="tfexam-train-") as scratch:
        launch = _launch(spec, sandbox, solution, Path(scratch), token)
        started = time.monotonic()
        process = subprocess.Popen(launch.argv, cwd=launch.cwd, env=launch.env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        output = EpochTap(process.stdout)
        log = limits.CappedLog(output, grade_dir / "training.log")
        budget = Budget(budget_seconds, spec.threads or len(os.sched_getaffinity(0)))
        report = _reporter(progress, output, budget)
        fit = FitControl(output, launch.stop_file)
        watch = _supervise(process, budget, spec.memory_limit_bytes, sandbox.max_processes, report, fit)
        limits.kill_everything(process.pid, token)  # also whatever the solution started
        process.wait()
        log.close()
        report(watch, True)  # with the last epoch it printed: its output is all read now
        wall = time.monotonic() - started
        result = _read_json(launch.out_dir / RESULT_FILE)
        status = _read_json(launch.out_dir / STATUS_FILE)  # namespaces: the training's own exit, or a setup error
        returncode = status.get("returncode", process.returncode)
        if status.get("sandbox_error"):
            result = {"reason": f"the sandbox could not be set up on this machine: {status['sandbox_error']} "
                                "(not the solution's fault; --sandbox process grades without namespaces)"}
        model = launch.out_dir / model_file(spec.keras_version)
        if result.get("ok") and model.is_file() and not watch.stopped_by:
            kept = grade_dir / model.name
            shutil.move(model, kept)
            return Training(kept, None, result["train_seconds"], wall, history=result.get("history"),
                            peak_memory_bytes=watch.peak_memory_bytes, modules=tuple(result.get("modules", ())),
                            keras_version=spec.keras_version, cpu_seconds=watch.cpu_seconds,
                            device=str(result.get("device", "")),
                            budget_stop=BudgetStop.from_child(result.get("budget_stop")) if watch.fit_stopped else None,
                            waiting_seconds=watch.waiting_seconds)
    reason = _failure_reason(returncode, watch, result, budget, spec.memory_limit_bytes,
                             sandbox.max_processes)
    return Training(None, reason, None, wall, log_tail=tail(grade_dir / "training.log"),
                    peak_memory_bytes=watch.peak_memory_bytes, cpu_seconds=watch.cpu_seconds,
                    keras_version=spec.keras_version, waiting_seconds=watch.waiting_seconds,
                    keras2_use="" if watch.stopped_by else result.get("keras2_use", ""),
                    keras3_failure="" if watch.stopped_by else result.get("keras3_failure", ""))


@dataclass(frozen=True)
class Budget:
    """A training's time: CPU seconds of all its processes, so that how busy the machine is does
    not change the verdict, with a clock backstop for a training that waits instead of computing
    (sleeps, blocks), which counts only its waiting (limits.Activity). Where the budget runs
    out inside fit(), fit() stops and the code after it has a grace. docs/sandbox.md, the budget's rule."""
    seconds: float  # the question's budget, scaled: its wall-clock time on an idle machine
    threads: int  # the CPU threads the training may use

    @property
    def cpu_seconds(self) -> float:
        return self.seconds * self.threads

    @property
    def wall_seconds(self) -> float:
        """Waiting on the clock: neither computing nor held back by the machine."""
        return self.seconds * WALL_BACKSTOP

    @property
    def busy_seconds(self) -> float:
        """On the clock, all of it: past this the machine, not the training, is at fault."""
        return self.seconds * BUSY_BACKSTOP

    @property
    def grace_seconds(self) -> float:
        """After fit() was stopped at the budget, for the solution's code after it (and saving the model)."""
        return max(GRACE_MIN_SECONDS, GRACE_FRACTION * self.seconds)

    def longest_seconds(self) -> float:
        """The most a training can last on the clock."""
        return self.busy_seconds + self.grace_seconds


@dataclass
class Watch:
    """What the supervisor saw: which limit stopped the process, if any, and the most it used."""
    stopped_by: str | None = None  # "cpu", "wall", "busy", "memory" or "processes"
    peak_memory_bytes: int = 0
    peak_processes: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    waiting_seconds: float = 0.0  # on the clock, neither computing nor held back by the machine (limits.Activity)
    held_back_seconds: float = 0.0  # on the clock, while the machine held it back
    fit_stopped: bool = False  # its budget ran out inside fit(), which was told to stop: a grace began


class FitControl:
    """The supervisor's side of child.BudgetStop: is a fit() running, and the request to end it."""

    def __init__(self, output: "EpochTap", stop_file: Path):
        self.output, self.stop_file = output, stop_file

    @property
    def fitting(self) -> bool:
        return self.output.fitting

    def stop(self) -> None:
        """Never blocks or follows a link: in the process sandbox the training could put a FIFO or a
        symlink there (then, or if it removed the folder, the hard stop follows the grace)."""
        try:
            os.close(os.open(self.stop_file, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600))
        except OSError:
            pass


def _supervise(process: subprocess.Popen, budget: Budget, memory_limit_bytes: int, max_processes: int,
               report: Callable[[Watch, bool], None] = lambda watch, finished: None,
               fit: FitControl | None = None) -> Watch:
    """Wait for the training, stopping it at its time budget, its memory limit or its process limit.

    Memory, processes and CPU time count everything the training started, also in a session of its own.
    Where the CPU budget runs out while a fit() runs, fit() is told to stop and the hard stop waits a grace.
    """
    watch = Watch()
    started = time.monotonic()
    activity = limits.Activity()
    with _exit_waiter(process) as exited_within:
        while not exited_within(POLL_SECONDS):
            tree = limits.training_processes(process.pid)
            memory = limits.resident_bytes(tree.pids)
            watch.peak_memory_bytes = max(watch.peak_memory_bytes, memory)
            watch.peak_processes = max(watch.peak_processes, len(tree.pids))
            watch.cpu_seconds = max(watch.cpu_seconds, tree.cpu_seconds)
            watch.wall_seconds = time.monotonic() - started
            activity.sample(tree.pids, watch.cpu_seconds)
            watch.waiting_seconds, watch.held_back_seconds = activity.waiting_seconds, activity.held_back_seconds
            if fit and not watch.fit_stopped and watch.cpu_seconds > budget.cpu_seconds and fit.fitting:
                fit.stop()
                watch.fit_stopped = True
            watch.stopped_by = _limit_reached(watch, memory, budget, memory_limit_bytes, max_processes)
            if watch.stopped_by:
                break
            report(watch, False)
    return watch


@dataclass(frozen=True)
class Epoch:
    """The last epoch a training announced (child.py's progress line)."""
    epoch: int
    epochs: int | None = None  # of its current fit(), where known
    loss: float | None = None


@dataclass(frozen=True)
class Progress:
    """What a progress display is told at each sample of the supervisor."""
    epoch: Epoch | None  # None before the first epoch ended (importing, loading data, the first epoch)
    cpu_seconds: float
    budget: Budget
    finished: bool = False  # the training ended (or was stopped): the display clears


class EpochTap:
    """The training's output pipe, read through on its way to the log: keeps the last epoch announced.

    Read by CappedLog's thread; `latest` is replaced whole, so the supervisor reads it without a lock.
    A solution can print a progress line of its own: it only changes what the display shows.
    """
    MAX_PARTIAL_BYTES = 4096  # a line longer than this is no progress line

    def __init__(self, pipe):
        self.pipe = pipe
        self.latest: Epoch | None = None
        self.fitting = False  # a fit() runs (child.BudgetStop says so)
        self._partial = b""

    def read1(self, size: int = -1) -> bytes:
        chunk = self.pipe.read1(size)
        *lines, partial = (self._partial + chunk).split(b"\n")
        self._partial = partial[-self.MAX_PARTIAL_BYTES:]
        for line in lines:
            if MARKER_BYTES in line:
                fields = _announced(line.rpartition(MARKER_BYTES)[2])
                self.latest = _parse_epoch(fields) or self.latest
                self.fitting = bool(fields["fit"]) if "fit" in fields else self.fitting
        return chunk


MARKER_BYTES = PROGRESS_MARKER.encode()


def _announced(text: bytes) -> dict:
    """A progress line's JSON object (child.py), or {} where the line is none."""
    try:
        fields = json.loads(text)
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def _parse_epoch(fields: dict) -> Epoch | None:
    try:
        epochs, loss = fields.get("epochs"), fields.get("loss")
        return Epoch(int(fields["epoch"]), int(epochs) if epochs else None, float(loss) if loss is not None else None)
    except (ValueError, TypeError, KeyError):
        return None


def _reporter(progress: Callable[[Progress], None] | None, output: EpochTap,
              budget: Budget) -> Callable[[Watch, bool], None]:
    """The supervisor's call to the progress display; a display that fails never stops a training."""
    def report(watch: Watch, finished: bool) -> None:
        if progress is None:
            return
        try:
            progress(Progress(output.latest, watch.cpu_seconds, budget, finished))
        except Exception:
            pass
    return report


def _limit_reached(watch: Watch, memory: int, budget: Budget, memory_limit_bytes: int,
                   max_processes: int) -> str | None:
    if memory > memory_limit_bytes:
        return "memory"
    if watch.peak_processes > max_processes + LAUNCHER_PROCESSES:
        return "processes"
    grace = budget.grace_seconds if watch.fit_stopped else 0
    if watch.cpu_seconds > budget.cpu_seconds + grace * budget.threads:
        return "cpu"
    if watch.waiting_seconds > budget.wall_seconds + grace:
        return "wall"
    if watch.wall_seconds > budget.busy_seconds + grace:
        return "busy"
    return None


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


def _read_json(path: Path) -> dict:
    """A JSON object the training process (or jail.py) left, or {} where there is none."""
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _failure_reason(returncode: int | None, watch: Watch, result: dict, budget: Budget,
                    memory_limit_bytes: int, max_processes: int = isolation.DEFAULT_MAX_PROCESSES) -> str:
    if watch.stopped_by == "cpu":
        after_fit = (f", and {budget.grace_seconds:.0f} s more after its fit() was stopped at the budget"
                     if watch.fit_stopped else "")
        return (f"time budget exceeded: training was stopped after {budget.cpu_seconds:.0f} CPU seconds, its "
                f"budget of {budget.seconds:.0f} s on {budget.threads} thread{'s' * (budget.threads > 1)}"
                f"{after_fit} ({watch.wall_seconds:.0f} s on the clock; train for fewer epochs or a smaller model; "
                "--time-budget-scale changes every budget)")
    if watch.stopped_by == "wall":
        return (f"time budget exceeded: training was stopped after waiting {budget.wall_seconds:.0f} s on the clock, "
                f"{WALL_BACKSTOP}x its {budget.seconds:.0f} s budget, neither computing nor held back by the machine "
                f"({watch.wall_seconds:.0f} s in all, {watch.cpu_seconds:.0f} CPU seconds used): it waited instead "
                "of computing (sleep, input(), a lock or a download that never ends)")
    if watch.stopped_by == "busy":
        return (f"the machine was too busy to train it: stopped after {watch.wall_seconds:.0f} s on the clock, "
                f"{BUSY_BACKSTOP}x its {budget.seconds:.0f} s budget, having used {watch.cpu_seconds:.0f} of its "
                f"{budget.cpu_seconds:.0f} CPU seconds while other processes held it back for "
                f"{watch.held_back_seconds:.0f} s (not the solution's fault: grade it again on a quieter machine, "
                "or with fewer xdist workers)")
    if watch.stopped_by == "memory":
        return (f"memory limit exceeded ({memory_limit_bytes / limits.GIB:.3g} GiB): training was stopped "
                f"holding {watch.peak_memory_bytes / limits.GIB:.1f} GiB (load less data at once, use smaller "
                "batches or a smaller model; --memory-limit-scale changes the limit)")
    if watch.stopped_by == "processes":
        return (f"process limit exceeded: training was stopped running {watch.peak_processes} processes, "
                f"over its {max_processes} (a training needs one; tf.data and Keras use threads, not processes)")
    if result.get("reason"):
        return result["reason"]
    if returncode is not None and returncode < 0:
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
    text = re.sub(re.escape(PROGRESS_MARKER) + r"[^\n]*", "", text)  # the grader's, not the learner's
    # Split at newlines only: a progress bar rewrites its line with \r, and only its last state counts
    last_states = (line.rstrip("\r").rpartition("\r")[2] for line in text.split("\n"))
    kept = [line for line in last_states if line and not STARTUP_NOISE.match(line)]
    return "\n".join(kept[-lines:])
