"""`tfexam summary RESULTS`: a run's `--results` JSON as a Markdown score table, for a GitHub job's
summary ($GITHUB_STEP_SUMMARY), a release body or a pull request comment."""
import json
from pathlib import Path


class NoResults(Exception):
    """The results file is missing or unreadable; the message says why and what to do."""


def read_results(path: Path) -> dict:
    try:
        results = json.loads(path.read_text())
    except FileNotFoundError:
        raise NoResults(f"{path} does not exist: the grading run stopped before writing it (read its log)") from None
    except (OSError, ValueError) as error:
        raise NoResults(f"{path} is not a results file of `pytest --results`: {error}") from None
    if not isinstance(results, dict) or not isinstance(results.get("categories"), dict):
        raise NoResults(f"{path} is not a results file of `pytest --results`: it has no categories")
    return results


def markdown(results: dict) -> str:
    """The verdict line, then one row per category graded with the reason for every lost point."""
    rows = [_row(category) for category in results["categories"].values()]
    return "\n".join([f"### tfexam: {_verdict(results)}", "",
                      "| # | category | question | points | value | ladder | why points were lost |",
                      "|---|---|---|---|---|---|---|", *rows, ""])


def _verdict(results: dict) -> str:
    if results.get("exam_score") is not None:
        word = "PASS" if results["passed"] else "FAIL"
        return f"exam score {results['exam_score']:g}/100, {word} (pass mark {results['pass_mark']})"
    graded = len(results["categories"])
    return f"{results['total']}/{results['max_total']} over {graded} of 5 categories"


def _row(category: dict) -> str:
    value = f"{category['metric']} {category['value']:.4g}" if category.get("value") is not None else "-"
    sign = ">=" if category["higher_is_better"] else "<="
    ladder = f"{sign} " + " ".join(f"{t:g}" for t in category["thresholds"])
    cells = [str(category["number"]), category["category"], category["question"],
             f"{category['points']}/{category['max_points']}", value, ladder, category.get("message") or ""]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    """Text that keeps a Markdown table's shape: one line, no column breaks."""
    return " ".join(str(text).split()).replace("|", "\\|")
