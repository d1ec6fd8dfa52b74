"""One unit of a class's grading: a student's category, sent whole to wherever it is graded.

A unit carries its files' bytes (not paths), so a Dask worker on another machine grades it as a
local thread does: in a fresh workspace written by its own tfexam, with the grader's pytest run,
in the sandbox. Its key is the content it grades and the settings it is graded with, so two
identical submissions are one grading and a rerun skips what is already graded.
"""
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tfexam.classes import workspace
from tfexam.grading.cache import grader_sources
from tfexam.results import record
from tfexam.template import export_template


@dataclass(frozen=True)
class Settings:
    """How every unit of the run is graded: the grader's own options, resolved once by the command."""
    training_threads: int = 1
    time_budget_scale: float = 1.0
    keras: str = "auto"
    seed: int = 0

    def pytest_arguments(self) -> list[str]:
        return ["--retrain", "--training-threads", str(self.training_threads),
                "--time-budget-scale", f"{self.time_budget_scale:g}", "--keras", self.keras, "--seed", str(self.seed)]


@dataclass(frozen=True)
class Unit:
    """A student's category: the files it grades ({name in the category's folder: bytes}) and the settings."""
    category: str
    files: dict[str, bytes]
    settings: Settings = field(default_factory=Settings)
    refused: tuple[str, ...] = ()  # local modules not sent, with why

    @property
    def key(self) -> str:
        """The unit's content key: its files, its category, the settings and the grader's own sources."""
        files = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(self.files.items())}
        described = {"category": self.category, "settings": self.settings.pytest_arguments(),
                     "grader": grader_sources(), "files": files}
        return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


def unit_of(category: str, solution: Path, settings: Settings) -> Unit:
    """The unit that grades `solution` (and the local modules it imports) for `category`."""
    files, refused = workspace.graded_files(solution)
    return Unit(category, workspace.contents(files), settings, tuple(workspace.not_taken(refused, solution.parent)))


def grade(unit: Unit) -> dict:
    """Grade the unit where this runs: {"result": the category's results record, or None; "problem": why not;
    "sandbox": the sandbox its training ran in}."""
    with tempfile.TemporaryDirectory(prefix="tfexam-class-") as scratch:
        root = Path(scratch) / "workspace"
        export_template(root)
        workspace.write_into(root / "assessments" / unit.category, unit.files)
        run = record.run_grader([*workspace.grader_arguments([unit.category]), *unit.settings.pytest_arguments()],
                                Path(scratch) / "results.json", cwd=root)
    graded = (run.results or {}).get("categories", {}).get(unit.category)
    if graded is None:
        tail = " ".join(run.output.strip().splitlines()[-3:])[-500:]
        return {"result": None, "problem": f"not graded: the grader stopped (pytest exit code {run.returncode}"
                                           f"{', ' + run.problem if run.problem else ''}): {tail}"}
    return {"result": graded, "problem": "", "sandbox": (run.results or {}).get("sandbox", {}).get("mode", "")}
