"""`tfexam summary RESULTS`: a run's `--results` JSON as a Markdown score table, for a GitHub job's
summary ($GITHUB_STEP_SUMMARY), a release body or a pull request comment."""
import math

from tfexam import rules
from tfexam.questions.ladder import measured


def markdown(results: dict) -> str:
    """The verdict line, then one row per category graded with the reason for every lost point."""
    rows = [_row(category) for category in results["categories"].values()]
    sandbox = results.get("sandbox") or {}
    fell_back = [f"Trainings ran in the {sandbox['description']}", ""] if sandbox.get("mode") == "process" else []
    return "\n".join([f"### tfexam: {_verdict(results)}", "", *fell_back,
                      "| # | category | question | points | value | ladder | why points were lost |",
                      "|---|---|---|---|---|---|---|", *rows, ""])


def _verdict(results: dict) -> str:
    if results.get("exam_score") is not None:
        return (f"exam score {results['exam_score']:g}/100, {rules.verdict(results['passed'])} "
                f"(pass mark {results['pass_mark']})")
    graded = len(results["categories"])
    return f"{results['total']}/{results['max_total']} over {graded} of {rules.CATEGORY_COUNT} categories"


def _row(category: dict) -> str:
    value = value_text(category)
    sign = ">=" if category["higher_is_better"] else "<="
    ladder = f"{sign} " + " ".join(f"{t:g}" for t in category["thresholds"])
    cells = [str(category["number"]), category["category"], category["question"],
             f"{category['points']}/{category['max_points']}", value, ladder, category.get("message") or ""]
    return "| " + " | ".join(cell(text) for text in cells) + " |"


def one_line(text, limit: int | None = None) -> str:
    """The text on one line, cut to `limit` characters where given."""
    text = " ".join(str(text or "").split())
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def cell(text, limit: int | None = None) -> str:
    """Text that keeps a Markdown table's shape: one line, no column breaks."""
    return one_line(text, limit).replace("|", "\\|")


def value_text(category: dict) -> str:
    """'MAE 0.0412', or '-' for a category that was not scored."""
    value = category.get("value")
    return measured(category.get("metric", ""), value if is_number(value) else None)


def is_number(value) -> bool:
    """A finite number (NaN is not JSON), not a boolean."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
