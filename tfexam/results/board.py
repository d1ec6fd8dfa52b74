"""The score table and the JSON results, built from test reports.

Workers attach a summary of their category to every report (user_properties), so the
controller builds the same scoreboard from a serial run and from a pytest-xdist run.
"""
from dataclasses import asdict, dataclass, field, fields

from tfexam import rules
from tfexam.questions import QUESTIONS
from tfexam.questions.ladder import measured
from tfexam.results import record, status

PROPERTY = "tfexam"


@dataclass
class CategoryResult:
    number: int
    category: str
    title: str
    source: str
    metric: str
    higher_is_better: bool
    thresholds: list
    budget_seconds: float
    question: str = ""  # the question's id: a category grades one question of its pool
    default_question: bool = True
    question_note: str = ""  # how the question was chosen, when it was assumed
    points: int = 0
    max_points: int = rules.POINTS_PER_CATEGORY
    value: float | None = None
    train_seconds: float | None = None
    cached: bool = False  # the trained model was reused from an earlier run (its train_seconds)
    peak_memory_gib: float | None = None  # the training processes' resident memory at its peak, sampled
    grade_seconds: float = 0.0
    first_failure: str | None = None
    history: dict | None = None  # loss and metrics per epoch, from the training process
    keras: int | None = None  # the Keras that trained the model: 3, or 2 (--keras 2, or auto on Keras 2 code)
    keras_note: str = ""  # why it is not 3 under --keras auto: "ran under Keras 2: on Keras 3 it fails ..."
    device: str | None = None  # what TensorFlow trained on: "CPU" or "GPU:0 (NVIDIA ...)" (None: not trained here)
    # The budget ran out inside fit(), which stopped at the end of a batch; the model was graded as trained
    stopped_by_budget: bool = False
    epochs_completed: int | None = None  # of the fit() it stopped, where stopped_by_budget
    epochs_planned: int | None = None
    budget_note: str = ""  # "the budget ran out in epoch 12 of 30; graded the model as trained so far; ..."
    details: dict = field(default_factory=dict)  # a confusion matrix, or predictions beside the truth
    checks: list = field(default_factory=list)  # per check: its name (docstring), test, status word, message
    runs_by_worker: dict = field(default_factory=dict)

    @classmethod
    def from_record(cls, graded: dict) -> "CategoryResult":
        """A category read back from a results file (its "categories" entry)."""
        known = {f.name for f in fields(cls)}
        result = cls(**{key: value for key, value in graded.items() if key in known})
        result.runs_by_worker = {"main": graded.get("training_runs", 0)}
        result.first_failure = graded.get("message") if graded.get("status") == "error" else None
        return result

    @classmethod
    def not_graded(cls, question_id: str, reason: str, source: str = "") -> "CategoryResult":
        """A category scored 0 without a grading (never submitted, no file for it): `reason` says why."""
        question = QUESTIONS[question_id]
        ladder = question.ladder
        return cls(number=question.slot.number, category=question.slot.folder, title=question.title,
                   source=source or "not submitted", metric=ladder.metric, higher_is_better=ladder.higher_is_better,
                   thresholds=list(ladder.thresholds), budget_seconds=question.budget_seconds,
                   question=question_id, first_failure=reason)

    @property
    def training_runs(self) -> int:
        """Training processes started for this category, over every xdist worker."""
        return sum(self.runs_by_worker.values())

    @property
    def status(self) -> str:
        if self.value is None:
            return "error"
        return {self.max_points: "pass", 0: "fail"}.get(self.points, "partial")

    @property
    def message(self) -> str:
        """One line: why points were lost, or '' with full marks."""
        if self.first_failure:
            return self.first_failure
        missed = [c["message"] for c in self.checks if c["status"] == status.FAILED and c["message"]]
        return missed[0] if missed else ""

    @property
    def check_counts(self) -> str:
        """e.g. '1 failed, 8 not run'; '' when every check passed or had nothing to check."""
        statuses = [c["status"] for c in self.checks]
        return "" if set(statuses) <= {status.PASSED, status.NOT_APPLICABLE} else status.counts(statuses)

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("first_failure")
        data.pop("runs_by_worker")
        data.update(status=self.status, message=self.message, training_runs=self.training_runs)
        return data


class ScoreBoard:
    def __init__(self, sandbox: dict | None = None):
        self.results: dict[str, CategoryResult] = {}
        self.sandbox = sandbox  # how the run confined its trainings: the results file's "sandbox"

    def add(self, report) -> None:
        summary = dict(report.user_properties).get(PROPERTY)
        # xdist reports a check whose worker died with when="???"
        counted = report.when in ("call", "???") or (report.when == "setup" and not report.passed)
        if summary is None or not counted:
            return
        result = self.results.get(summary["category"])
        if result is None:
            result = self.results[summary["category"]] = CategoryResult(**summary["about"])
        result.value = summary["value"] if summary["value"] is not None else result.value
        result.train_seconds = summary["train_seconds"] or result.train_seconds
        result.cached = summary["cached"] or result.cached
        result.peak_memory_gib = summary["peak_memory_gib"] or result.peak_memory_gib
        result.grade_seconds = max(result.grade_seconds, summary["grade_seconds"])
        result.first_failure = summary["first_failure"] or result.first_failure
        result.history = summary["history"] or result.history
        result.keras = summary["keras"] or result.keras
        result.keras_note = summary["keras_note"] or result.keras_note
        result.device = summary.get("device") or result.device
        if summary.get("stopped_by_budget"):
            result.stopped_by_budget = True
            result.epochs_completed, result.epochs_planned = summary["epochs_completed"], summary["epochs_planned"]
            result.budget_note = summary["budget_note"]
        result.details = summary["details"] or result.details
        result.runs_by_worker[summary["worker"]] = summary["training_runs"]
        result.checks.append({"name": summary.get("title") or summary["check"], "test": summary["check"],
                              "status": summary.get("status") or status.of_report(report),
                              "message": summary["message"]})
        if summary["threshold"] is not None and report.passed:
            result.points += 1

    @property
    def ordered(self) -> list[CategoryResult]:
        return sorted(self.results.values(), key=lambda r: r.number)

    @property
    def total(self) -> int:
        return sum(r.points for r in self.results.values())

    @property
    def max_total(self) -> int:
        return sum(r.max_points for r in self.results.values())

    @property
    def complete_exam(self) -> bool:
        return len(self.results) == rules.CATEGORY_COUNT

    @property
    def exam_score(self) -> float | None:
        return rules.exam_score(self.total) if self.complete_exam else None

    @property
    def passed(self) -> bool:
        """PASS at 90% or more: of the exam's 100 with all five, else of the categories graded."""
        return rules.passes(self.total, self.max_total)

    def as_json(self) -> dict:
        return {
            "schema": record.SCHEMA,
            "categories": {r.category: r.as_json() for r in self.ordered},
            "total": self.total, "max_total": self.max_total,
            "exam_score": self.exam_score, "pass_mark": rules.PASS_MARK, "passed": self.passed,
            "complete_exam": self.complete_exam,
            **({"sandbox": self.sandbox} if self.sandbox else {}),
        }

    def table(self) -> list[str]:
        lines = [f"{'category and question':<36} {'points':>6}  {'value':<16} {'ladder':<34} {'train s':>7}"]
        for r in self.ordered:
            sign = ">=" if r.higher_is_better else "<="
            value = measured(r.metric, r.value)
            ladder = " ".join(f"{t:g}" for t in r.thresholds)
            seconds = f"{r.train_seconds:.1f}" if r.train_seconds is not None else "-"
            seconds += "*" if r.cached else ""
            name = f"{r.category} {r.question}"
            lines.append(f"{r.number} {name:<34} {r.points:>3}/{r.max_points}  {value:<16} "
                         f"{sign} {ladder:<31} {seconds:>7}")
            trained_elsewhere = f"trained on {r.device}" if r.device and r.device != "CPU" else ""
            for note in (r.message, r.budget_note, r.question_note, r.keras_note, trained_elsewhere):
                if note and (note == r.message or note not in r.message):
                    lines.append(f"    {note}")
            if r.check_counts:
                lines.append(f"    checks: {r.check_counts}")
        if any(r.cached for r in self.results.values()):
            lines.append("* unchanged since an earlier run: its trained model was reused from the cache "
                         "(--retrain trains again)")
        lines.append(f"total: {self.total}/{self.max_total} over {len(self.results)} of "
                     f"{rules.CATEGORY_COUNT} categories")
        if self.complete_exam:
            lines.append(f"exam score: {self.exam_score:g}/100 {rules.verdict(self.passed)} (pass mark "
                         f"{rules.PASS_MARK}; each category weighs {rules.CATEGORY_WEIGHT})")
        return lines

