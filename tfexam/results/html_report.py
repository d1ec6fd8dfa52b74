"""--html-report PATH: one self-contained HTML file that shows why each point was won or lost.

Per category: the points, the reason for the first lost point, each check by its name with its
status (passed, failed, not run, not applicable, error) and message, hints read off the training
curves and the budget, the threshold ladder with the model's value on it, the training curves
(loss and metric per epoch, training and validation), and a confusion matrix or the predictions
beside the truth. Plots are matplotlib PNGs inlined as data URIs: the file needs no network and
no script.
"""
import base64
import html
import io
import sys
from datetime import datetime, timezone

from tfexam import rules
from tfexam.questions.ladder import measured
from tfexam.results.board import CategoryResult, ScoreBoard

NEAR_BUDGET = 0.75      # of the budget: a hint that a slower machine may stop the training
OVERFIT_RISE = 1.10     # the final validation loss this far above its best, while training loss fell


def write(board: ScoreBoard, path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(board), encoding="utf-8")


def render(board: ScoreBoard) -> str:
    sections = "\n".join(_category_section(result) for result in board.ordered)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tfexam report: {board.total}/{board.max_total}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>tfexam report</h1>
<p class="generated">Generated {generated}.</p>
{_score_table(board)}
{sections}
</body>
</html>
"""


def _score_table(board: ScoreBoard) -> str:
    rows = "\n".join(
        f'<tr id="score-{r.category}" class="{r.status}"><td>{r.number}</td>'
        f'<td><a href="#{r.category}">{_e(r.category)}</a></td><td>{_e(r.question)}</td><td class="points">{r.points}/{r.max_points}</td>'
        f"<td>{_e(_value_text(r))}</td><td>{_e(r.message) or 'full marks'}</td></tr>"
        for r in board.ordered)
    exam = ""
    if board.complete_exam:
        exam = (f'<p id="exam-score">Exam score: <strong>{board.exam_score:g}/100 {rules.verdict(board.passed)}'
                f"</strong> (pass mark {rules.PASS_MARK}; each category weighs {rules.CATEGORY_WEIGHT}).</p>")
    return f"""<table class="scores">
<thead><tr><th>#</th><th>category</th><th>question</th><th>points</th><th>value</th><th>why points were lost</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p id="total">Total: <strong>{board.total}/{board.max_total}</strong> over {len(board.results)} of {rules.CATEGORY_COUNT} categories.</p>
{exam}"""


def _category_section(r: CategoryResult) -> str:
    figures = [("the threshold ladder", _ladder_figure(r))]
    if r.history:
        figures.append(("training curves", _curves_figure(r.history)))
    if "confusion" in r.details:
        figures.append(("confusion matrix", _confusion_figure(r.details["confusion"])))
    if "predictions" in r.details:
        figures.append(("predictions against the truth", _predictions_figure(r.details["predictions"])))
    images = "\n".join(f'<figure><img alt="{_e(r.category)}: {title}" src="{uri}">'
                       f"<figcaption>{title}</figcaption></figure>" for title, uri in figures)
    hint_items = "".join(f"<li>{_e(h)}</li>" for h in hints(r))
    reason = f'<p class="reason">{_e(r.message)}</p>' if r.message else ""
    return f"""<section id="{r.category}">
<h2>{r.number} {_e(r.category)}, {_e(r.question)}: {_e(r.title)}: <span class="points">{r.points}/{r.max_points}</span></h2>
<p class="source">Graded: {_e(r.source)}. {_e(_value_text(r))}. {_e(_seconds_text(r))}{_e(_budget_text(r))}{_e(_keras_text(r))}</p>
{reason}
{f'<p class="question-note">{_e(r.question_note)}</p>' if r.question_note else ''}
{_checks_table(r)}
{f'<ul class="hints">{hint_items}</ul>' if hint_items else ''}
<div class="figures">
{images}
</div>
</section>"""


def _checks_table(r: CategoryResult) -> str:
    """Each check by its name, the test that ran it beside it, its status word and its message."""
    rows = "\n".join(
        f'<tr class="{c["status"].replace(" ", "-")}"><td>{_e(c["name"])} <code>{_e(c.get("test"))}</code></td>'
        f'<td class="status">{_e(c["status"])}</td><td>{_e(c["message"])}</td></tr>' for c in r.checks)
    return f"""<table class="checks">
<thead><tr><th>check</th><th>status</th><th>message</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>""" if rows else ""


def hints(r: CategoryResult) -> list[str]:
    """What the curves and the clock say, beyond the first failure's own message."""
    found = []
    near_budget = r.train_seconds is not None and r.train_seconds > NEAR_BUDGET * r.budget_seconds
    if near_budget and not r.stopped_by_budget:  # a stopped one has the budget's own note beside the source
        found.append(f"Training took {r.train_seconds:.0f} s of its {r.budget_seconds:.0f} s budget: "
                     "on a slower machine it may be stopped; leave a margin (fewer epochs, a smaller model).")
    if "time budget exceeded" in (r.message or "") or r.stopped_by_budget:
        found.append("Training was stopped at the budget: time one epoch, then set the epochs to fit "
                     "well inside the budget.")
    if "shape mismatch" in (r.message or ""):
        found.append("The shapes are checked before any point is scored: solution.py says the input "
                     "and output the grader uses.")
    if r.history is not None:
        found += _curve_hints(r.history)
    elif r.value is not None and r.train_seconds is None:
        found.append("No training curves: the model was trained elsewhere; the grader only sees the "
                     "training it runs.")
    return found


def _curve_hints(history: dict) -> list[str]:
    loss, val_loss = history.get("loss") or [], history.get("val_loss") or []
    found = []
    if None in loss:
        found.append(f"The loss became NaN at epoch {loss.index(None) + 1}: lower the learning rate.")
        return found
    if len(loss) >= 2 and loss[-1] >= loss[0]:
        found.append("The training loss did not fall: check the learning rate, the labels and the "
                     "input scaling.")
    if not val_loss:
        found.append("No validation curves: pass validation_data to fit() to see overfitting as it happens.")
    elif None not in val_loss and len(val_loss) >= 3:
        best = min(range(len(val_loss)), key=val_loss.__getitem__)
        if val_loss[-1] > OVERFIT_RISE * val_loss[best] and loss[-1] < loss[best]:
            found.append(f"Overfitting: the validation loss was lowest at epoch {best + 1} "
                         f"({val_loss[best]:.3g}) and rose to {val_loss[-1]:.3g} by epoch {len(val_loss)} "
                         "while the training loss kept falling; train fewer epochs, add dropout or "
                         "augmentation, or use EarlyStopping(restore_best_weights=True).")
    return found


def _value_text(r: CategoryResult) -> str:
    return measured(r.metric, r.value, "not scored")


def _keras_text(r: CategoryResult) -> str:
    if r.keras_note:
        return f" {r.keras_note[0].upper()}{r.keras_note[1:]}."
    return f" Trained on Keras {r.keras}." if r.keras else ""


def _budget_text(r: CategoryResult) -> str:
    return f" {r.budget_note[0].upper()}{r.budget_note[1:]}." if r.budget_note else ""


def _seconds_text(r: CategoryResult) -> str:
    if r.train_seconds is None:
        return ""
    return f"Trained in {r.train_seconds:.1f} s of a {r.budget_seconds:.0f} s budget."


def _e(text) -> str:
    return html.escape(str(text or ""))


# --- plots -------------------------------------------------------------------------------------

def _pyplot():
    import matplotlib
    if "matplotlib.pyplot" not in sys.modules:  # else keep its backend: a notebook's (tfexam.notebook)
        matplotlib.use("Agg")  # no display; before pyplot is imported
    import matplotlib.pyplot as plt
    return plt


def _data_uri(figure) -> str:
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bar_chart(counts: list[int], xlabel: str, ylabel: str) -> str:
    """A bar per position of `counts`, as a data: URI (the class page's points per category)."""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(5, 2.4))
    axis.bar(range(len(counts)), counts, color="#2e86c1")
    axis.set_xticks(range(len(counts)))
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    return _data_uri(figure)


def _ladder_figure(r: CategoryResult) -> str:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(6, 1.6))
    values = list(r.thresholds) + ([r.value] if r.value is not None else [])
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or abs(high) * 0.1 or 0.1
    axis.set_xlim(low - margin, high + margin)
    if not r.higher_is_better:
        axis.invert_xaxis()  # better is always to the right
    for rung, threshold in enumerate(r.thresholds, start=1):
        axis.axvline(threshold, color="#888", linewidth=1)
        height = 0.86 if rung % 2 else 0.7  # alternate, so close rungs stay readable
        axis.text(threshold, height, f"{rung} pt", ha="center", va="bottom", fontsize=8,
                  transform=axis.get_xaxis_transform())
    if r.value is not None:
        axis.plot([r.value], [0.4], marker="v", markersize=12, color="#c0392b" if r.points < r.max_points else "#1e8449")
        axis.text(r.value, 0.05, f"{r.value:.4g}", ha="center", fontsize=9, transform=axis.get_xaxis_transform())
    axis.set_ylim(0, 1)
    axis.set_yticks([])
    axis.set_xlabel(f"{r.metric} ({'higher' if r.higher_is_better else 'lower'} is better, better to the right)")
    return _data_uri(figure)


def _curves_figure(history: dict) -> str:
    plt = _pyplot()
    metrics = [k for k in history if not k.startswith("val_") and k not in ("loss", "learning_rate")]
    panels = ["loss"] + metrics[:1]
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3), squeeze=False)
    for axis, key in zip(axes[0], panels):
        for name, style in ((key, "-"), (f"val_{key}", "--")):
            series = history.get(name)
            if series:
                epochs = range(1, len(series) + 1)
                axis.plot(epochs, [float("nan") if v is None else v for v in series], style,
                          label="validation" if name.startswith("val_") else "training")
        axis.set_title(key)
        axis.set_xlabel("epoch")
        axis.legend(fontsize=8)
    return _data_uri(figure)


def _confusion_figure(confusion: dict) -> str:
    plt = _pyplot()
    classes, matrix = confusion["classes"], confusion["matrix"]
    size = 2.2 + 0.45 * len(classes)
    figure, axis = plt.subplots(figsize=(size, size))
    axis.imshow(matrix, cmap="Blues")
    peak = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            axis.text(j, i, str(count), ha="center", va="center", fontsize=7,
                      color="white" if count > peak / 2 else "black")
    axis.set_xticks(range(len(classes)), classes, rotation=45, ha="right", fontsize=8)
    axis.set_yticks(range(len(classes)), classes, fontsize=8)
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    return _data_uri(figure)


def _predictions_figure(predictions: dict) -> str:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(8, 3))
    x = predictions["x"]
    many = len(x) > 20
    axis.plot(x, predictions["actual"], "-" if many else "o-", label="actual", color="#555")
    axis.plot(x, predictions["predicted"], "-" if many else "x", label="predicted", color="#c0392b",
              markersize=9, zorder=3)
    axis.set_xlabel(predictions["x_label"])
    axis.legend(fontsize=8)
    return _data_uri(figure)


# The plots tfexam.grade shows in a notebook
confusion_figure = _confusion_figure
predictions_figure = _predictions_figure


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
table.scores { border-collapse: collapse; width: 100%; }
table.scores th, table.scores td { border-bottom: 1px solid #ddd; padding: .4em .6em; text-align: left; vertical-align: top; }
tr.pass td.points, h2 .points { font-weight: bold; }
tr.pass td.points { color: #1e8449; } tr.fail td.points, tr.error td.points { color: #c0392b; }
tr.partial td.points { color: #b9770e; }
section { border-top: 2px solid #eee; margin-top: 2em; }
table.checks { border-collapse: collapse; margin: 1em 0; }
table.checks td, table.checks th { border-bottom: 1px solid #eee; padding: .3em .6em; text-align: left; vertical-align: top; }
table.checks code { color: #888; font-size: .8em; }
tr.passed td.status { color: #1e8449; } tr.failed td.status, tr.error td.status { color: #c0392b; }
tr.not-run td.status { color: #b9770e; } tr.not-applicable td.status { color: #666; }
p.reason { background: #fdecea; padding: .5em .8em; border-left: 4px solid #c0392b; }
ul.hints li { margin: .3em 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; } figcaption { font-size: .85em; color: #666; }
p.generated, p.source { color: #666; font-size: .9em; }
"""
