"""One category's grade, built step by step: train, load, check shapes, score.

Each step runs at most once and remembers its failure, so every later check reports the same
root cause ("training failed: ...") instead of a traceback of its own.
"""
import contextlib
import functools
import json
import math
import os
import shutil
import socket
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from tfexam.questions.base import Question, Scored
from tfexam.questions.recognise import is_unchanged_stub
from tfexam.data import DataError, fetch
from tfexam.data.pretrained import imagenet_weights_loaded_by
from tfexam.data.store import sha256_of
from tfexam.grading import cache
from tfexam.grading.models import ModelRejected, import_keras, io_shapes, load_for_grading
from tfexam.sandbox import isolation, limits, runner
from tfexam.sandbox.spec import TrainingSpec


GRADER_DIED = ("the grading process died while this category trained (a solution that kills its grader, "
               "or the machine ran out of memory): it scores 0")


class NotGraded(Exception):
    """A step could not be completed; the message is the learner-facing reason."""
    reported_by: str | None = None  # the title of the check that reported it first (checks.py)


LIVE_GRADER = ("another grading process of this run (pid {pid}) is training this category right now: xdist gave "
               "the category's checks to two workers, which happens with a --dist mode other than loadgroup; "
               "grade with --dist loadgroup (the project's default)")


@contextlib.contextmanager
def _attempt(marker: Path | None):
    """Mark a training as under way; a marker left behind by a dead process means a grading process
    died in it. The marker names its owner, so that a live one is not taken for a dead one."""
    if marker is None:
        yield
        return
    if marker.exists():
        owner = _read_owner(marker)
        if owner and _owner_alive(owner):
            # Refused rather than waited for: waiting would only queue a second training of the same
            # category behind the first, doubling the run past its timeouts. The cause is a dist mode
            # other than loadgroup, which the plugin refuses up front; this guards the ways around that.
            raise NotGraded(LIVE_GRADER.format(pid=owner["pid"]))
        raise NotGraded(GRADER_DIED)
    written = marker.with_name(f"{marker.name}.{os.getpid()}")  # then renamed: never seen half written
    written.write_text(json.dumps(_this_process()))
    written.replace(marker)
    try:
        yield
    finally:  # not reached when the process dies, which is the point
        marker.unlink(missing_ok=True)


def _this_process() -> dict:
    pid = os.getpid()
    return {"pid": pid, "host": socket.gethostname(), "started": _start_time(limits.stat_fields(pid))}


def _read_owner(marker: Path) -> dict | None:
    """The owner a marker names, or None for an unreadable one (e.g. an empty marker of an older grader)."""
    try:
        owner = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) and isinstance(owner.get("pid"), int) else None


def _owner_alive(owner: dict) -> bool:
    """True when the owner still runs: same host, its pid alive, and the same start time (a pid reused
    by a later process has another)."""
    if owner.get("host") != socket.gethostname():
        return False
    stat = limits.stat_fields(owner["pid"])
    return stat is not None and stat[0] not in ("Z", "X") and _start_time(stat) == owner.get("started")


def _start_time(stat: list[str] | None) -> str | None:
    """The process's start time in clock ticks since boot: /proc/<pid>/stat's field 22."""
    return stat[19] if stat and len(stat) > 19 else None


@dataclass(frozen=True)
class Source:
    """What is graded: a solution file to train, or a saved model file."""
    path: Path
    is_model: bool
    label: str  # e.g. 'solutions/x-plus-6.py' or '--model mymodel.h5'


def _remembered(step):
    """Run a step once; later calls return its value or raise its NotGraded again."""
    @functools.wraps(step)
    def wrapper(self):
        if step.__name__ not in self._steps:
            try:
                self._steps[step.__name__] = (step(self), None)
            except NotGraded as failure:
                self.first_failure = self.first_failure or str(failure)
                self._steps[step.__name__] = (None, failure)
        value, refusal = self._steps[step.__name__]
        if refusal:
            raise refusal
        return value
    return wrapper


def _import_what_grades(sandbox: isolation.Sandbox | None) -> None:
    """Keras and h5py, imported before any learner code runs where a training could otherwise change the
    installed files that grade it: without namespaces. In namespaces it sees them read-only, so Keras is
    imported when there is a model to grade (a training that fails is told 5 s sooner)."""
    if sandbox and sandbox.mode == "namespaces":
        return
    import_keras()
    import h5py  # noqa: F401  (Keras imports it only when it first reads an .h5 file)


class CategoryGrade:
    def __init__(self, question: Question, source: Source, work_dir: Path, budget_seconds: float,
                 spec: TrainingSpec = TrainingSpec(), *, training_marker: Path | None = None,
                 reuse_cached: bool = True, question_note: str = "", progress=None):
        self.question = question
        self.question_note = question_note  # how the question was chosen, when it was assumed
        self.source = source
        self.work_dir = work_dir
        self.budget_seconds = budget_seconds
        # How it trains: seed, limits, threads, the Keras ("auto": 3, and 2 again where 3 fails on Keras 2
        # code; grading is always Keras 3), the function, the device and the sandbox
        self.spec = spec
        # Exists while this category trains; shared by the run's xdist workers, so that a worker
        # taking over from one that died in training does not train (and die) again.
        self.training_marker = training_marker
        self.progress = progress  # called while it trains (runner.Progress), e.g. progress.InPlaceLine
        self.reuse_cached = reuse_cached  # False: train even when the cache holds this training (--retrain)
        self.first_failure: str | None = None
        self.training: runner.Training | None = None
        self.training_runs = 0
        self.grade_seconds = 0.0  # loading and scoring, not training
        self._steps: dict = {}

    @_remembered
    def model_file(self) -> Path:
        if self.source.is_model:
            kept = self.work_dir / self.source.path.name
            self.work_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.source.path, kept)
            return kept
        key = self._training_key()
        if key and self.reuse_cached and (cached := cache.lookup(key, self.work_dir)) and cached.model_path:
            self.training = cached
            return cached.model_path
        self._refuse_what_cannot_train()
        self._prepare_data()
        self.spec = self.spec.with_sandbox()
        _import_what_grades(self.spec.sandbox)
        self.training = self._train(self.spec.keras_version)
        if not self.training.ok and self.training.keras2_use and self.spec.keras == "auto":
            on_keras3 = self.training
            self.training = self._train(2)
            self.training.keras_note = (f"ran under Keras 2: on Keras 3 it fails with {on_keras3.keras3_failure}, "
                                        f"{on_keras3.keras2_use}")
        if self.training.model_path is None:
            self._training_failed(self.training.reason or "", self.training.keras_note)
        if key:
            cache.store(key, self.training)
        return self.training.model_path

    def _prepare_data(self) -> None:
        """The question's data, and the ImageNet weights the solution's Keras Applications download,
        ready before it trains: the training has no network."""
        try:
            self.question.prepare()
            self.question.held_out()
        except DataError as error:
            raise NotGraded(f"the question's data could not be prepared: {error}") from None
        self._fetch_imagenet_weights()

    def _fetch_imagenet_weights(self) -> None:
        """Where they can be had. A call that never runs (another function's, a __main__ block's) must
        not cost a solution its score; one that runs and lacks them fails in training, naming the file."""
        try:
            source = self.source.path.read_bytes()
        except OSError:
            return  # the training says what is wrong with the file
        for weights in imagenet_weights_loaded_by(source):
            with contextlib.suppress(DataError):
                fetch(weights)

    def _refuse_what_cannot_train(self) -> None:
        """A stub as shipped, or a file Python cannot compile, fails as its training would, without one
        (compiling runs none of its code): a learner hears in a second what a training says in ten."""
        name = self.source.path.name
        try:
            source = self.source.path.read_bytes()
            if is_unchanged_stub(source):
                self._training_failed(f"solution_model() is not implemented yet: write your model in {name} "
                                      "and return it")
            with warnings.catch_warnings():  # the training shows them, once
                warnings.simplefilter("ignore")
                compile(source, name, "exec", dont_inherit=True)
        except OSError:
            return  # the training says what is wrong with the file
        except SyntaxError as error:
            self._training_failed(f"{name} has a syntax error at line {error.lineno}: {error.msg}")

    def _training_failed(self, reason: str, keras_note: str = "") -> NoReturn:
        hint = self.question.training_hint(reason)
        notes = "".join(f" ({note})" for note in (hint, keras_note) if note)
        raise NotGraded(f"training failed: {reason}{notes}")

    def _train(self, keras_version: int) -> runner.Training:
        with _attempt(self.training_marker):
            self.training_runs += 1
            return runner.train(self.source.path, self.work_dir, self.budget_seconds,
                                self.spec.on_keras(keras_version), self.progress)

    def _training_key(self) -> cache.TrainingKey | None:
        try:
            solution_sha256 = sha256_of(self.source.path)
        except OSError:  # training will say what is wrong with the file
            return None
        return cache.TrainingKey(self.question.slot.folder, solution_sha256, self.question.id, self.budget_seconds,
                                 self.spec)

    @_remembered
    def model(self):
        path = self.model_file()
        import_keras()  # importing Keras, once per process, is not grading
        started = time.monotonic()
        try:
            return load_for_grading(path, self.question.frozen_lambda)
        except ModelRejected as error:
            raise NotGraded(f"model rejected: {error}") from None
        finally:
            self.grade_seconds += time.monotonic() - started

    @_remembered
    def shapes(self) -> tuple:
        try:
            return io_shapes(self.model())
        except ModelRejected as error:
            raise NotGraded(f"model rejected: {error}") from None

    @_remembered
    def input_shape(self) -> tuple:
        input_shape, output_shape, dtype = self.shapes()
        self._check_shape(self.question.input_problem(input_shape, dtype), input_shape, output_shape)
        return input_shape

    @_remembered
    def output_shape(self) -> tuple:
        input_shape, output_shape, _ = self.shapes()
        self._check_shape(self.question.output_problem(output_shape), input_shape, output_shape)
        return output_shape

    def _check_shape(self, problem: str | None, input_shape, output_shape) -> None:
        if problem:
            hint = self.question.shape_hint(input_shape, output_shape)
            raise NotGraded(problem + (f"; {hint}" if hint else ""))

    @_remembered
    def scored(self) -> Scored:
        self.input_shape()
        self.output_shape()
        started = time.monotonic()
        try:
            scored = self.question.score(self.model())
        except Exception as error:
            raise NotGraded(f"the model could not be scored: {type(error).__name__}: {error}") from None
        finally:
            self.grade_seconds += time.monotonic() - started
        if not math.isfinite(scored.value):
            raise NotGraded(f"the model's predictions are not finite ({self.question.ladder.metric} is "
                            f"{scored.value}): its weights are probably NaN; lower the learning rate")
        return scored

    @property
    def scored_if_done(self) -> Scored | None:
        scored, _ = self._steps.get("scored", (None, None))
        return scored

    @property
    def history(self) -> dict | None:
        """Loss and metrics per epoch, when the grader watched the training."""
        return self.training.history if self.training else None

    @property
    def peak_memory_gib(self) -> float | None:
        return round(self.training.peak_memory_bytes / limits.GIB, 2) if self.training else None

    @property
    def cached(self) -> bool:
        return bool(self.training and self.training.cached)

    @property
    def keras_version(self) -> int | None:
        """The Keras that trained the model (None for --model)."""
        return self.training.keras_version if self.training else None

    @property
    def trained_on(self) -> str | None:
        """The device the model trained on, as TensorFlow reported it: "CPU" or "GPU:0 (NVIDIA ...)"."""
        return (self.training.device or None) if self.training else None

    @property
    def keras_note(self) -> str:
        return self.training.keras_note if self.training else ""

    @property
    def budget_stop(self) -> runner.BudgetStop | None:
        """Where the budget ended its fit(): the model was graded as trained so far."""
        return self.training.budget_stop if self.training else None

    @property
    def train_seconds(self) -> float | None:
        return self.training.train_seconds if self.training else None
