"""Classroom 50, the open-source successor of GitHub Classroom: tfexam's grade as its result.json.

Classroom 50 runs an assignment's `autograder.py` in the student's checkout and publishes what it
writes: `result.json` (the score and one row per test) and `release-body.md` (the Markdown of the
submission's Release). examples/classroom50/autograder.py, from the instructor's bundle, runs
`python -m tfexam.classes.classroom50 CHECKOUT` with the instructor's installed tfexam: `main()`
grades the checkout's solutions in a workspace of its own (classes/workspace.py: nothing else of
the checkout is imported, collected or run), converts tfexam's `--results` JSON and writes both
files into the checkout.

How the exam appears: one row per category graded, worth 20 (4 per threshold met, as the exam
weighs its five categories equally), so the score is out of 100 when all five are graded and
equals tfexam's exam score. A 0-point row states the pass mark and the verdict, and the Release
opens with the exam score, PASS or FAIL, and the reason for every lost point.
"""
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

from tfexam.classes import workspace
from tfexam.questions import CATEGORIES, SLOTS, folders_named
from tfexam import rules
from tfexam.results import record
from tfexam.results.summary import cell, is_number, one_line as _one_line, value_text

SCHEMA = "classroom50/result/v1"
ENVIRONMENT = {"classroom": "CLASSROOM", "assignment": "ASSIGNMENT", "submission": "SUBMISSION_TAG",
               "commit": "COMMIT_URL", "release": "RELEASE_URL", "review": "REVIEW_URL"}
WRITTEN_KEYS = ("schema", *ENVIRONMENT, "score", "max-score", "tests")
RUNNER_STAMPED_KEYS = ("owner", "assignment_type", "datetime", "graded_at", "submitted_by")  # set by Classroom 50
ROW_KEYS = ("test-name", "passed", "score", "max-score")
WEIGHT_PER_POINT = round(rules.EXAM_WEIGHT_PER_POINT)  # 5 thresholds x 4 = 20 per category, 100 for the exam's five
VERDICT_TEST = f"pass mark {rules.PASS_MARK}%"
INTEGRITY_ROW = "grading files unchanged"
SANDBOX_ROW = "trainings in the namespaces sandbox"
GRADER_ROW = "tfexam grader"

CATEGORIES_VARIABLE = "TFEXAM_CATEGORIES"   # e.g. "basic" or "1,3": the categories this assignment grades
SECONDS_VARIABLE = "TFEXAM_AUTOGRADER_SECONDS"  # grading stops here, leaving time to publish
DEFAULT_SECONDS = 600  # of the 15-minute grade job, which also installs TensorFlow and publishes
WORKERS_VARIABLE = "TFEXAM_WORKERS"
HTML_REPORT = "tfexam-report.html"  # attach it with the assignment's release_assets


class EnvironmentMissing(Exception):
    """Not run by Classroom 50: the variables it sets are missing."""


class ConfigurationError(Exception):
    """The assignment's configuration (TFEXAM_* variables) is wrong; the message says how."""


# --- the submission Classroom 50 describes ----------------------------------------------------

def submission_from_environment(environ) -> dict:
    """The result's identity fields, from the variables Classroom 50's runner sets."""
    values = {key: environ.get(name, "") for key, name in ENVIRONMENT.items()}
    values["review"] = values["review"] or values["commit"]  # no baseline to compare: the commit
    missing = [ENVIRONMENT[key] for key, value in values.items() if not value]
    if missing:
        raise EnvironmentMissing(
            f"{', '.join(missing)} not set: Classroom 50's runner sets "
            f"{', '.join(ENVIRONMENT.values())} for autograder.py. To try it outside Classroom 50, set "
            "them, e.g. CLASSROOM=demo ASSIGNMENT=tf-exam SUBMISSION_TAG=submit/try "
            "COMMIT_URL=local RELEASE_URL=local python autograder.py")
    if not values["submission"].startswith("submit/"):
        raise EnvironmentMissing(f"SUBMISSION_TAG={values['submission']}: Classroom 50 submission tags start "
                                 "with submit/ (e.g. submit/2026-09-01T10-00-00Z-abc1234)")
    return values


def selected_categories(environ) -> list[str]:
    """The category folders TFEXAM_CATEGORIES names (folders or numbers), else all five."""
    text = environ.get(CATEGORIES_VARIABLE, "")
    try:
        return folders_named(text)
    except ValueError as error:
        raise ConfigurationError(f"{CATEGORIES_VARIABLE}={text.strip()}: {error}") from None


# --- tfexam's results as Classroom 50 rows ----------------------------------------------------

def row_name(folder: str, category: dict | None = None) -> str:
    """'3 · a CNN on real images — horses-or-humans': the category and the question it graded."""
    slot = SLOTS.get(folder)
    number = category.get("number") if category else (slot.number if slot else "?")
    title = slot.title if slot else (category or {}).get("title", folder)
    question = (category or {}).get("question") or (CATEGORIES[folder].id if folder in CATEGORIES else "")
    return f"{number} · {title} — {question}" if question else f"{number} · {title}"


def one_line(text: str, limit: int = 300) -> str:
    return _one_line(text, limit)


def category_row(folder: str, category: dict) -> dict:
    points, max_points = int(category["points"]), int(category["max_points"])
    value = category.get("value")
    return {"test-name": row_name(folder, category), "passed": points == max_points,
            "score": points * WEIGHT_PER_POINT, "max-score": max_points * WEIGHT_PER_POINT,
            "message": one_line(category.get("message", "")), "status": category.get("status", ""),
            "question": category.get("question", ""), "metric": category.get("metric", ""),
            "value": value if is_number(value) else None}


def missing_row(folder: str, reason: str) -> dict:
    """A selected category the run did not report on: 0, with the reason."""
    return {"test-name": row_name(folder), "passed": False, "score": 0,
            "max-score": rules.POINTS_PER_CATEGORY * WEIGHT_PER_POINT,
            "message": reason, "status": "error", "question": CATEGORIES[folder].id}


def to_result(results: dict, submission: dict, selected: list[str] | None = None,
              integrity_failure: str | None = None, missing_reason: str = "") -> dict:
    """A result-v1 dict: one row per category (20 each), the integrity check and the verdict (0 each).

    `selected`: the categories the assignment grades; one the results lack scores 0 with
    `missing_reason`. `integrity_failure`: None when the check was not run, "" when it passed.
    """
    categories = results.get("categories", {})
    folders = list(categories) + [f for f in selected or [] if f not in categories]
    rows = [category_row(f, categories[f]) if f in categories else missing_row(f, missing_reason)
            for f in sorted(folders, key=lambda f: categories.get(f, {}).get("number") or SLOTS[f].number)]
    if integrity_failure is not None:
        rows.append({"test-name": INTEGRITY_ROW, "passed": not integrity_failure, "score": 0, "max-score": 0,
                     "message": one_line(integrity_failure)})
    if sandbox := results.get("sandbox"):  # a fall-back to the process sandbox is the instructor's to see
        rows.append({"test-name": SANDBOX_ROW, "passed": sandbox["mode"] == "namespaces", "score": 0,
                     "max-score": 0, "message": one_line(sandbox["description"], 1000)})
    score, max_score = sum(r["score"] for r in rows), sum(r["max-score"] for r in rows)
    passed = rules.passes(score, max_score)
    rows.append({"test-name": VERDICT_TEST, "passed": passed, "score": 0, "max-score": 0,
                 "message": f"{score}/{max_score}: {rules.verdict(passed)} (pass mark {rules.PASS_MARK}%)"})
    return {"schema": SCHEMA, **submission, "score": score, "max-score": max_score, "tests": rows}


def error_result(submission: dict, reason: str) -> dict:
    """A result for a run tfexam could not grade: 0 of 0 (no grade), the reason on one row.

    Not a 0 of 100: the fault is not the student's. The teacher regrades once it is fixed.
    """
    row = {"test-name": GRADER_ROW, "passed": False, "score": 0, "max-score": 0,
           "message": one_line(reason, 1000), "status": "error"}
    return {"schema": SCHEMA, **submission, "score": 0, "max-score": 0, "tests": [row]}


# --- the contract's rules ---------------------------------------------------------------------

def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def validate(result: dict) -> list[str]:
    """What in `result` breaks Classroom 50's result-v1 contract; [] when nothing does.

    The schema's rules and those its runner enforces in code: integers (not booleans or floats)
    that are not negative, score <= max-score on every row and at the top, a submission tag
    starting with submit/, a non-empty test-name, and no top-level key the schema does not name.
    """
    if not isinstance(result, dict):
        return ["the result is not a JSON object"]
    problems = [f"missing key {key!r}" for key in WRITTEN_KEYS if key not in result]
    problems += [f"key {key!r} is not in the contract" for key in result
                 if key not in WRITTEN_KEYS and key not in RUNNER_STAMPED_KEYS]
    if result.get("schema", SCHEMA) != SCHEMA:
        problems.append(f"schema is {result['schema']!r}, not {SCHEMA!r}")
    for key in ("classroom", "assignment", "submission", "commit", "release", "review"):
        if key in result and not (isinstance(result[key], str) and result[key]):
            problems.append(f"{key} must be a non-empty string")
    if isinstance(result.get("submission"), str) and not result["submission"].startswith("submit/"):
        problems.append(f"submission {result['submission']!r} does not start with submit/")
    problems += _score_problems(result, "the result")
    tests = result.get("tests", [])
    if not isinstance(tests, list):
        return problems + ["tests must be a list"]
    for index, row in enumerate(tests):
        if not isinstance(row, dict):
            problems.append(f"tests[{index}] is not an object")
            continue
        problems += [f"tests[{index}] lacks {key!r}" for key in ROW_KEYS if key not in row]
        if "test-name" in row and not (isinstance(row["test-name"], str) and row["test-name"]):
            problems.append(f"tests[{index}]: test-name must be a non-empty string")
        if "passed" in row and not isinstance(row["passed"], bool):
            problems.append(f"tests[{index}]: passed must be true or false")
        problems += _score_problems(row, f"tests[{index}]")
    return problems


def _score_problems(holder: dict, where: str) -> list[str]:
    problems = [f"{where}: {key} must be an integer >= 0 (not a boolean or a float), got {holder[key]!r}"
                for key in ("score", "max-score") if key in holder and not _is_count(holder[key])]
    if not problems and "score" in holder and "max-score" in holder and holder["score"] > holder["max-score"]:
        problems.append(f"{where}: score {holder['score']} exceeds max-score {holder['max-score']}")
    return problems


# --- the Release's Markdown -------------------------------------------------------------------

def lost_points(category: dict) -> list[str]:
    """Why each point was lost: each failed threshold's verdict, or the category's one reason when
    its score checks did not run (the training, the model or a shape failed first)."""
    lost = int(category["max_points"]) - int(category["points"])
    if lost <= 0:
        return []
    failed = [c.get("message", "") for c in category.get("checks", [])
              if c.get("test", "").startswith("test_score[") and c.get("status") == "failed"]
    if len(failed) == lost and not any(reason.startswith("not scored:") for reason in failed):
        return [f"1 point: {one_line(reason)}" for reason in failed]
    reason = category.get("message") or "no reason recorded"
    return [f"{lost} point{'s' * (lost > 1)}: {one_line(reason)}"]


def release_body(result: dict, results: dict | None) -> str:
    """The Release's Markdown: the exam score, the verdict, each category and why points were lost."""
    score, max_score = result["score"], result["max-score"]
    categories = (results or {}).get("categories", {})
    passed = rules.passes(score, max_score)
    complete = len(categories) == len(CATEGORIES) and max_score == 100
    if max_score == 0:
        heading = "### tfexam: not graded (no score: your teacher regrades once this is fixed)"
    elif complete:
        heading = f"### tfexam exam score: {score}/100, {rules.verdict(passed)} (pass mark {rules.PASS_MARK})"
    else:
        heading = (f"### tfexam: {score}/{max_score} ({100 * score / max_score:.0f}%), "
                   f"{rules.verdict(passed)} (pass mark {rules.PASS_MARK}%)")
    lines = [heading, ""]
    if max_score:
        lines += ["Each category is worth 20: 4 per threshold its model meets on held-out data "
                  "(the exam's 5 points, each category weighing 20 of 100).", ""]
    by_name = {row_name(folder, category): category for folder, category in categories.items()}
    lines += ["| category and question | points | score | value | result |", "|---|---|---|---|---|"]
    for row in result["tests"]:
        category = by_name.get(row["test-name"])
        points = f"{category['points']}/{category['max_points']}" if category else "-"
        weighted = f"{row['score']}/{row['max-score']}" if row["max-score"] else "-"
        lines.append(f"| {cell(row['test-name'], 300)} | {points} | {weighted} | "
                     f"{value_text(category) if category else '-'} | {rules.verdict(row['passed'])} |")
    lost = [row for row in result["tests"] if not row["passed"] and row["test-name"] not in (VERDICT_TEST, SANDBOX_ROW)]
    lines += [f"\nTrainings ran in the {row['message']}" for row in result["tests"]
              if row["test-name"] == SANDBOX_ROW and not row["passed"]]
    if lost:
        lines += ["", "#### Why points were lost", ""]
        for row in lost:
            category = by_name.get(row["test-name"])
            if category:
                lines += [f"- **{row['test-name']}**"] + [f"  - {why}" for why in lost_points(category)]
            else:
                lines.append(f"- **{row['test-name']}**: {one_line(row.get('message', ''))}")
    return "\n".join(lines) + "\n"


# --- grading a checkout -----------------------------------------------------------------------

def grade_workspace(root: Path, categories: list[str], results: Path, seconds: float,
                    workers: int) -> tuple[dict | None, str]:
    """Run the grader in the workspace: (its results or None, the reason a selected category was not graded).

    At the time limit pytest is interrupted (Ctrl-C), so it still writes what it graded.
    """
    arguments = [*workspace.grader_arguments(categories, workers), "--retrain", "--html-report", HTML_REPORT]
    print("tfexam classroom50: pytest", " ".join(arguments), flush=True)
    run = record.run_grader(arguments, results, cwd=root, capture=False, timeout=seconds)
    returncode, data = run.returncode, run.results
    stopped = (f"not graded: the autograder's time limit ({seconds:g} s, {SECONDS_VARIABLE}) ran out "
               "before this category was graded") if run.interrupted else ""
    if not stopped and returncode not in (0, 1):  # 1: some checks failed, an ordinary grade
        stopped = f"not graded: the grader stopped before reporting this category (pytest exit code {returncode})"
        if not (data or {}).get("categories"):
            data = None  # it graded nothing (a usage error, say): no grade, whatever results file it left
    return data, stopped or "not graded: the grader did not report this category"


def _seconds(environ) -> float:
    text = environ.get(SECONDS_VARIABLE, str(DEFAULT_SECONDS))
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        raise ConfigurationError(f"{SECONDS_VARIABLE}={text}: give the seconds grading may take, e.g. 600")
    return seconds


def _workers(environ) -> int:
    text = environ.get(WORKERS_VARIABLE, "2")
    if not text.isdigit() or int(text) < 1:
        raise ConfigurationError(f"{WORKERS_VARIABLE}={text}: give the number of categories graded at once, e.g. 2")
    return int(text)


def write(checkout: Path, result: dict, body: str) -> None:
    replace(checkout / "result.json", json.dumps(result, indent=2) + "\n")
    replace(checkout / "release-body.md", body)


def replace(path: Path, text: str) -> None:
    """Write `path` anew: a file or link of that name the checkout holds (a link to a file no one can
    write, say) is removed first, never written through."""
    path.unlink(missing_ok=True)
    path.write_text(text)


def main(environ=None, checkout: Path | None = None) -> int:
    """Grade the checkout (default: cwd) for Classroom 50: write result.json and release-body.md, exit 0.

    Exits 2 without writing anything when Classroom 50's variables are missing.
    """
    environ = os.environ if environ is None else environ
    checkout = Path.cwd() if checkout is None else checkout
    try:
        submission = submission_from_environment(environ)
    except EnvironmentMissing as error:
        print(f"tfexam classroom50: {error}", file=sys.stderr)
        return 2
    try:
        categories, seconds, workers = selected_categories(environ), _seconds(environ), _workers(environ)
    except ConfigurationError as error:
        result = error_result(submission, f"the assignment's configuration: {error}")
        write(checkout, result, release_body(result, None))
        print(f"tfexam classroom50: {error}", file=sys.stderr)
        return 0
    if importlib.util.find_spec("tensorflow") is None:
        reason = (f"TensorFlow is not installed for {sys.executable}, the grader's Python: install the bundle's "
                  "requirements.txt into it (autograder.py does, unless TFEXAM_GRADER_PYTHON names a Python)")
        result = error_result(submission, reason)
        write(checkout, result, release_body(result, None))
        print(f"tfexam classroom50: {reason}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="tfexam-classroom50-") as scratch:
        graded = workspace.build(checkout, Path(scratch) / "workspace", categories)
        print(f"tfexam classroom50: grading {', '.join(graded.taken) or 'no solution file'} of {checkout} "
              f"in {graded.root}", flush=True)
        results, missing_reason = grade_workspace(graded.root, categories, Path(scratch) / "results.json",
                                                  seconds, workers)
        if (graded.root / HTML_REPORT).is_file():
            replace(checkout / HTML_REPORT, (graded.root / HTML_REPORT).read_text())
    if results is None:
        result = error_result(submission, f"{missing_reason.removeprefix('not graded: ')}; "
                                          "read the grade job's log, then regrade")
    else:
        result = to_result(results, submission, categories, graded.tampering(), missing_reason)
        problems = validate(result)
        if problems:  # tfexam's own bug: say so rather than publish a result Classroom 50 rejects
            result = error_result(submission, "tfexam wrote a result Classroom 50 would reject ("
                                  + "; ".join(problems) + "): report this to tfexam")
    write(checkout, result, release_body(result, results if result["max-score"] else None))
    print(f"tfexam classroom50: {result['score']}/{result['max-score']}; wrote result.json and release-body.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(checkout=Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None))
