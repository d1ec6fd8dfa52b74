"""Trained models kept between runs, reused only when nothing that decides the result changed.

An entry is keyed by the solution's bytes, the datasets (their registered sha256: every file is
checked against them before anyone reads it), every installed package's version (TensorFlow and
Keras among them), tfexam's own source files (a changed grader is a new training, even where its
version is not), the Python version, the seed, the memory limit, the threads and the Keras the
training runs on (--keras), the function it calls (--function) and the device it trains on
(--device: a GPU-trained model is another training): the run's TrainingSpec, whole. An entry
records which Keras and which device trained it (under --keras auto, 2 where Keras 3 failed on
Keras 2 code).
The budget is not in the key: a training that finished within its budget would have finished the
same within a larger one, so its entry serves a run whose budget is at least the one it trained
under (a run with --time-budget-scale 4 reuses one trained at scale 1), never a smaller one. One
whose fit() the budget stopped (runner.BudgetStop) serves a run with the same budget only.
The local modules the solution imported are known only after it trained: the entry lists them
with their sha256, and a change to any of them is a miss as well.

The cache is the learner's convenience, not a trust boundary: a training process runs as the
same user and could write into it. Graded work for others is trained with --retrain.
"""
import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tfexam.data.registry import FILES
from tfexam.data.store import cache_dir, sha256_of
from tfexam.sandbox.runner import BudgetStop, Training
from tfexam.sandbox.spec import TrainingSpec

FORMAT = 4  # bump when an entry's layout or the meaning of its key changes
ENTRIES_KEPT_PER_CATEGORY = 10
ENTRY_FILE = "entry.json"


@dataclass(frozen=True)
class TrainingKey:
    """Everything, besides the local modules, that decides what a training produces."""
    category: str  # the folder: entries are kept per category
    solution_sha256: str
    question: str  # the question graded: its data is what the training reads
    budget_seconds: float  # compared by lookup(), not part of the digest
    spec: TrainingSpec = TrainingSpec()  # the run's settings (seed, threads, --keras, --function, device, ...)

    def as_record(self) -> dict:
        return {"category": self.category, "solution_sha256": self.solution_sha256, "question": self.question,
                "budget_seconds": self.budget_seconds, **self.spec.key()}

    def digest(self) -> str:
        """The entry's name: everything but the budget, which lookup() compares instead."""
        everything = dict(self.as_record(), format=FORMAT, python=sys.version, packages=installed_packages(),
                          datasets=registered_datasets(), grader=grader_sources())
        del everything["budget_seconds"]
        return hashlib.sha256(json.dumps(everything, sort_keys=True).encode()).hexdigest()


@functools.cache
def installed_packages() -> list[str]:
    """name==version of every installed distribution: TensorFlow, Keras, numpy and the rest."""
    return sorted(_name_and_version(d) for d in importlib.metadata.distributions())


def _name_and_version(distribution) -> str:
    # Read from the metadata's first lines: parsing the whole file (d.metadata), long description
    # included, took most of an unchanged re-run's cache lookup. The same values either way.
    text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line:
            break
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    if fields.get("Name") and fields.get("Version"):
        return f"{fields['Name']}=={fields['Version']}"
    return f"{distribution.metadata['Name']}=={distribution.version}"


@functools.cache
def grader_sources() -> str:
    """One digest of tfexam's own Python files: the code that prepares the data and runs the training."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def registered_datasets() -> list:
    return sorted((f.name, f.sha256, f.content_sha256, f.md5) for f in FILES.values())


def models_dir() -> Path:
    return cache_dir() / "models"


def _module_digests(paths) -> dict[str, str | None]:
    digests: dict[str, str | None] = {}
    for path in paths:
        try:
            digests[path] = sha256_of(Path(path))
        except OSError:
            digests[path] = None  # gone since: a later lookup sees a change only if it comes back
    return digests


def lookup(key: TrainingKey, into: Path) -> Training | None:
    """The cached training for `key`, its model copied into `into`; None on any doubt."""
    entry = models_dir() / key.category / key.digest()
    try:
        record = json.loads((entry / ENTRY_FILE).read_text())
        if record["key"]["budget_seconds"] > key.budget_seconds:
            return None  # trained under a larger budget than this run's: it might not have finished within it
        budget_stop = BudgetStop(**record["budget_stop"]) if record["budget_stop"] else None
        if budget_stop and record["key"]["budget_seconds"] != key.budget_seconds:
            return None  # stopped by its budget: a larger one would have trained it further
        if _module_digests(list(record["modules"])) != record["modules"]:
            return None
        model = entry / Path(record["model_file"]).name
        if sha256_of(model) != record["model_sha256"]:
            return None
        into.mkdir(parents=True, exist_ok=True)
        kept = into / model.name
        shutil.copyfile(model, kept)
        os.utime(entry)  # most recently used: kept longest
        return Training(kept, None, record["train_seconds"], wall_seconds=0.0, history=record["history"],
                        peak_memory_bytes=record["peak_memory_bytes"], modules=tuple(record["modules"]), cached=True,
                        keras_version=record["keras_version"], keras_note=record["keras_note"],
                        device=record.get("device", ""), budget_stop=budget_stop)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: TrainingKey, training: Training) -> None:
    """Keep a successful training; a failure to store is never a failure to grade."""
    assert training.model_path, "only a training that returned a model is kept"
    category_dir = models_dir() / key.category
    partial = None
    try:
        category_dir.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=category_dir))
        model = partial / training.model_path.name
        shutil.copyfile(training.model_path, model)
        record = {"model_file": model.name, "model_sha256": sha256_of(model),
                  "modules": _module_digests(training.modules),
                  "train_seconds": training.train_seconds, "peak_memory_bytes": training.peak_memory_bytes,
                  "history": training.history, "keras_version": training.keras_version,
                  "keras_note": training.keras_note, "device": training.device, "stored": time.time(),
                  "budget_stop": asdict(training.budget_stop) if training.budget_stop else None,
                  "key": key.as_record()}
        (partial / ENTRY_FILE).write_text(json.dumps(record))
        entry = category_dir / key.digest()
        shutil.rmtree(entry, ignore_errors=True)
        os.rename(partial, entry)
    except OSError:
        if partial:
            shutil.rmtree(partial, ignore_errors=True)
        return
    _prune(category_dir)


def _prune(category_dir: Path) -> None:
    """Keep the most recently used entries of a category."""
    try:
        entries = sorted((p for p in category_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for stale in entries[ENTRIES_KEPT_PER_CATEGORY:]:
        shutil.rmtree(stale, ignore_errors=True)
