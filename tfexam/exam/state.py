"""The exam's state: one value object, kept in DIR/exam-state.json, written atomically."""
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path

STATE_FILE = "exam-state.json"
FORMAT = 1


class ExamError(Exception):
    """A user error: the message says what is wrong and what to do; the command exits with 2."""


@dataclass(frozen=True)
class Attempt:
    category: str
    question: str
    time: str             # when it was submitted, ISO 8601 UTC
    points: int
    value: float | None   # the metric on held-out data; None when no model was scored
    reason: str           # why points were lost, '' with full marks
    source: str           # what was graded: assessments/<folder>/solution.py, --model PATH, ...
    graded: dict = field(default_factory=dict, compare=False)  # the category's --results entry (HTML report)

    def summary(self) -> dict:
        """The attempt as result.json lists it."""
        return {key: value for key, value in asdict(self).items() if key not in ("category", "graded")}


@dataclass(frozen=True)
class ExamState:
    seed: int | None
    questions: dict          # category folder -> question id, in the exam's order
    started: str             # ISO 8601 UTC
    deadline: str
    attempts: tuple = ()     # of Attempt, in the order they were submitted
    finished: str | None = None

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.started)

    @property
    def deadline_at(self) -> datetime:
        return datetime.fromisoformat(self.deadline)

    def with_attempt(self, attempt: Attempt) -> "ExamState":
        return replace(self, attempts=(*self.attempts, attempt))

    def attempts_of(self, category: str) -> list[Attempt]:
        return [a for a in self.attempts if a.category == category]

    def to_json(self) -> dict:
        return {"format": FORMAT, **asdict(self), "attempts": [asdict(a) for a in self.attempts]}

    @classmethod
    def from_json(cls, data: dict) -> "ExamState":
        data = {key: value for key, value in data.items() if key != "format"}
        return cls(**dict(data, attempts=tuple(Attempt(**a) for a in data.get("attempts", ()))))


def state_path(workspace: Path) -> Path:
    return Path(workspace) / STATE_FILE


def is_exam(workspace: Path) -> bool:
    return state_path(workspace).is_file()


def load(workspace: Path) -> ExamState:
    path = state_path(workspace)
    if not path.is_file():
        raise ExamError(f"{workspace} holds no mock exam ({STATE_FILE} is missing): start one with "
                        f"python -m tfexam exam start {workspace}")
    try:
        return ExamState.from_json(json.loads(path.read_text()))
    except (ValueError, TypeError, KeyError) as error:
        raise ExamError(f"{path} cannot be read ({error}): it was edited; restore it from a copy, "
                        "or start a new exam in another folder") from None


def save(workspace: Path, state: ExamState) -> None:
    """Write the state to a temporary file beside it, then replace: a crash leaves the old or the new."""
    path = state_path(workspace)
    handle, temporary = tempfile.mkstemp(prefix=f".{STATE_FILE}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as file:
            json.dump(state.to_json(), file, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
