"""tfexam.grade(model, "x-plus-6"): grade a model inside Jupyter or Colab, without training.

The model (in memory, or a saved .keras/.h5 file) goes through the same steps as
`pytest assessments/<category> --model FILE`: it is saved, loaded back safely (the exam's Lambda
rule), its shapes are checked, and it is scored on the question's held-out data against its ladder.
"""
import html
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tfexam.data import DataError
from tfexam.grading.grade import CategoryGrade, NotGraded, Source
from tfexam.grading.models import MODEL_SUFFIXES
from tfexam.questions import QUESTIONS, Question
from tfexam.questions.base import Scored
from tfexam.questions.ladder import measured

__all__ = ["NotebookGrade", "Rung", "grade"]

IN_MEMORY = "the model in memory"
SAVE_HINT = "save it with model.save('mymodel.keras') and pass the path, or pass the model itself"


@dataclass(frozen=True)
class Rung:
    """One threshold of the ladder: one point when the model meets it."""
    threshold: float
    label: str   # e.g. 'MAE<=0.05'
    met: bool
    reason: str  # e.g. 'MAE 0.0712 does not reach <= 0.05', or 'not scored'


@dataclass(frozen=True, repr=False)
class NotebookGrade:
    """A question's grade: points, the metric's value, the ladder, and why points were lost."""
    question: str
    title: str
    source: str
    metric: str
    higher_is_better: bool
    points: int
    max_points: int
    value: float | None  # None: the model was not scored (see message)
    message: str         # one line: why points were lost, or '' with full marks
    rungs: tuple[Rung, ...]
    details: dict = field(default_factory=dict)  # a confusion matrix, or predictions beside the truth
    failure: str = ""    # why the model was not scored, in full (Keras's loading errors run to many lines)

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(rung.threshold for rung in self.rungs)

    @property
    def value_text(self) -> str:
        return measured(self.metric, self.value, "not scored")

    def __str__(self) -> str:
        lines = [f"{self.question}: {self.points}/{self.max_points} ({self.value_text})"]
        if self.value is None:
            lines += [f"  {line}" for line in (self.failure or self.message).splitlines() if line.strip()]
        for rung in self.rungs:
            mark = "✓" if rung.met else "✗"
            lines.append(f"  {mark} {rung.label}" + ("" if rung.met or self.value is None else f": {rung.reason}"))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = "#1e8449" if self.points == self.max_points else "#c0392b"
        rows = "".join(
            f'<tr><td style="color:{"#1e8449" if r.met else "#c0392b"}">{"✓" if r.met else "✗"}</td>'
            f"<td>{_e(r.label)}</td><td>{_e(r.reason)}</td></tr>" for r in self.rungs)
        better = "higher" if self.higher_is_better else "lower"
        reason = (f'<p class="tfexam-reason" style="background:#fdecea;padding:.4em .7em;white-space:pre-wrap;'
                  f'border-left:4px solid #c0392b">{_e(self.failure or self.message)}</p>') if self.message else ""
        return f"""<div class="tfexam-grade">
<h3>{_e(self.question)}: {_e(self.title)}: \
<span class="tfexam-points" style="color:{colour}">{self.points}/{self.max_points}</span></h3>
<p class="tfexam-value">{_e(self.value_text)} ({better} is better). Graded: {_e(self.source)}.</p>
{reason}
<table class="tfexam-ladder">
<thead><tr><th></th><th>threshold</th><th>result</th></tr></thead>
<tbody>{rows}</tbody>
</table>
{_figures_html(self.details)}
</div>"""


def grade(model, question: str) -> NotebookGrade:
    """Grade `model` (a Keras model, or the path of a .keras/.h5 file) against `question`, an id
    that `python -m tfexam questions` lists. No training: the checks of `pytest --model` do the rest.

    A model that fails a check (its shapes, a Lambda layer) scores 0, and the result says why.
    """
    chosen = _question(question, model)
    path = _model_path(model)
    label = IN_MEMORY if path is None else str(model)
    _load_held_out(chosen)
    with tempfile.TemporaryDirectory(prefix="tfexam-notebook-") as work:
        work_dir = Path(work)
        if path is None:
            path = work_dir / "model.keras"
            try:
                model.save(path)
            except Exception as error:
                return result(chosen, label, f"the model could not be saved: {type(error).__name__}: {error}", None)
        graded = CategoryGrade(chosen, Source(path, is_model=True, label=label), work_dir / "graded",
                               chosen.budget_seconds)
        _run_checks(graded)
        return result(chosen, label, graded.first_failure, graded.scored_if_done)


def _question(question_id, model) -> Question:
    if isinstance(question_id, str) and question_id in QUESTIONS:
        return QUESTIONS[question_id]
    if isinstance(model, str) and model in QUESTIONS:
        raise ValueError(f"the model comes first: tfexam.grade(model, {model!r})")
    raise ValueError(f"{question_id!r} is not a question id; `python -m tfexam questions` lists them "
                     f"(in a notebook: !python -m tfexam questions): {', '.join(QUESTIONS)}")


def _model_path(model) -> Path | None:
    """The saved model file to grade, or None for a Keras model in memory."""
    if isinstance(model, (str, os.PathLike)):
        path = Path(model).expanduser()
        if not path.is_file():
            raise ValueError(f"{model}: no such file (relative to {Path.cwd()}); {SAVE_HINT}")
        if path.suffix not in MODEL_SUFFIXES:
            raise ValueError(f"{model}: expected a .keras or .h5 file saved with model.save('mymodel.keras')")
        return path.resolve()
    keras = sys.modules.get("keras")  # a Keras model exists only once Keras was imported
    if keras is None or not isinstance(model, keras.Model):
        raise TypeError(f"tfexam.grade grades a Keras 3 model (tf.keras.Model) or a saved model file, "
                        f"not {type(model).__module__}.{type(model).__qualname__}; {SAVE_HINT} "
                        "(a Keras 2 tf_keras model: save it as .h5 and pass the path)")
    return None


def _load_held_out(question: Question) -> None:
    """The data the model is scored on, downloaded (and verified) once."""
    try:
        question.held_out()
    except DataError as error:
        raise RuntimeError(f"the held-out data of {question.id} could not be loaded: {error}") from None


def _run_checks(graded: CategoryGrade) -> None:
    """The checks of tfexam/checks.py in order, up to the first that fails (graded.first_failure)."""
    for step in (graded.model_file, graded.model, graded.input_shape, graded.output_shape, graded.scored):
        try:
            step()
        except NotGraded:
            return


def result(question: Question, source: str, failure: str | None, scored: Scored | None) -> NotebookGrade:
    """The grade pytest's score checks give: one point per threshold met, the first lost one's reason."""
    ladder = question.ladder
    if scored is None:
        rungs = tuple(Rung(t, ladder.label(t), False, "not scored") for t in ladder.thresholds)
        failure = failure or "not scored"
        message = failure.splitlines()[0]
    else:
        hint = f" ({scored.hint})" if scored.hint else ""
        rungs = tuple(Rung(t, ladder.label(t), ladder.meets(scored.value, t),
                           ladder.verdict(scored.value, t) + ("" if ladder.meets(scored.value, t) else hint))
                      for t in ladder.thresholds)
        message = next((rung.reason for rung in rungs if not rung.met), "")
    return NotebookGrade(
        question=question.id, title=question.title, source=source, metric=ladder.metric,
        higher_is_better=ladder.higher_is_better, points=sum(rung.met for rung in rungs),
        max_points=len(rungs), value=scored.value if scored else None, message=message, rungs=rungs,
        details=scored.details if scored else {}, failure="" if scored else failure or "not scored")


def _figures_html(details: dict) -> str:
    """The HTML report's confusion matrix or predictions plot, as inline PNGs."""
    if not details:
        return ""
    import matplotlib.pyplot  # noqa: F401  first: the report's plots then keep the notebook's backend
    from tfexam.results import html_report
    figures = []
    if "confusion" in details:
        figures.append(("confusion matrix", html_report.confusion_figure(details["confusion"])))
    if "predictions" in details:
        figures.append(("predictions against the truth", html_report.predictions_figure(details["predictions"])))
    return "\n".join(f'<figure><img alt="{title}" src="{uri}"><figcaption>{title}</figcaption></figure>'
                     for title, uri in figures)


def _e(text) -> str:
    return html.escape(str(text or ""))
