"""Results in the formats classes are graded in: GitHub Classroom's reporter and Gradescope.

Both list every collected grading test under its name as a learner reads it (the check's docstring,
tfexam/checks.py), the pytest node id beside it (Classroom's test_code, Gradescope's extra_data), and
tfexam's status word (tfexam/results/status.py) at the start of its message; their own status fields take
their fixed words. A test that never ran (an xdist worker died, -x stopped the run, it was
interrupted) appears as an error worth 0, with that reason.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from tfexam.results import status
from tfexam.checks import title
from tfexam.questions import CATEGORIES
from tfexam.grading.integrity import INTEGRITY_TEST

SCORE_CHECK = "test_score"  # the parametrized check worth one point per threshold (tfexam/checks.py)
NEVER_REPORTED = "the run stopped before this check (a worker died, -x, or an interrupt): it scores 0"


@dataclass
class TestRecord:
    nodeid: str  # without xdist's '@group' suffix
    status: str  # a word of tfexam/results/status.py
    message: str
    filename: str
    line_no: int
    duration: float
    question: str = ""  # the question its category graded

    @property
    def name(self) -> str:
        """The check's docstring as a learner reads it, after its category: every category runs the same
        checks, and a class's list holds them all ('basic: The model's input shape is ...')."""
        category = category_of(self.nodeid)
        check = title(self.nodeid.split("::")[-1])
        return f"{category}: {check}" if category else check

    @property
    def report(self) -> str:
        """The message as Classroom and Gradescope show it: the status word, the question, the reason."""
        about = f"{self.status} (question {self.question})" if self.question else self.status
        return f"{about}: {self.message}" if self.message else about

    @property
    def max_score(self) -> int:
        return 1 if f"::{SCORE_CHECK}[" in self.nodeid else 0

    @property
    def score(self) -> int:
        return self.max_score if self.status == status.PASSED else 0


def grading_test_name(nodeid: str) -> str | None:
    """The test's name without xdist's '@group' suffix, or None for a test that is not a check."""
    name, _, group = nodeid.rpartition("@")
    name = name if group in CATEGORIES else nodeid
    path = Path(name.split("::")[0])
    is_check = path.parent.name in CATEGORIES and path.name == f"test_{path.parent.name}.py"
    return name if is_check or path.as_posix() == INTEGRITY_TEST else None


def category_of(nodeid: str) -> str | None:
    """The category whose check this test is, or None."""
    name = grading_test_name(nodeid)
    folder = Path(name.split("::")[0]).parent.name if name else None
    return folder if folder in CATEGORIES else None


class TestLedger:
    """Every collected grading test, and what became of it."""

    def __init__(self):
        self.records: dict[str, TestRecord] = {}

    def collected(self, nodeids) -> None:
        for name in filter(None, map(grading_test_name, nodeids)):
            filename = name.split("::")[0]
            self.records.setdefault(name, TestRecord(name, status.ERROR, NEVER_REPORTED, filename, 0, 0.0))

    def add(self, report, message: str, question: str = "", check_status: str | None = None) -> None:
        """Record a report; its status from tfexam's summary of it, else from the report itself."""
        name = grading_test_name(report.nodeid)
        if name is None or (report.when != "call" and report.passed):
            return
        filename, line, _ = report.location
        self.records[name] = TestRecord(name, check_status or status.of_report(report), message, filename,
                                        (line or 0) + 1, round(report.duration, 3), question)

    @property
    def tests(self) -> list[TestRecord]:
        return list(self.records.values())

    def classroom(self) -> dict:
        """GitHub Classroom's autograding reporter contract (version 1)."""
        tests = [{"name": t.name, "status": status.CLASSROOM[t.status], "score": t.score,
                  "message": t.report, "test_code": f"pytest {t.nodeid}", "filename": t.filename,
                  "line_no": t.line_no, "duration": t.duration} for t in self.tests]
        overall = "error" if any(t["status"] == "error" for t in tests) else \
            "fail" if any(t["status"] == "fail" for t in tests) else "pass"
        return {"version": 1, "status": overall, "max_score": sum(t.max_score for t in self.tests),
                "tests": tests}

    def gradescope(self, execution_seconds: float) -> dict:
        """Gradescope's results.json: no top-level score, so Gradescope sums the tests."""
        return {"execution_time": round(execution_seconds),
                "tests": [{"name": t.name, "score": t.score, "max_score": t.max_score,
                           "status": status.GRADESCOPE[t.status], "output": t.report, "visibility": "visible",
                           "extra_data": {"test": t.nodeid, "status": t.status}} for t in self.tests]}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")

