"""--html-report: one self-contained file, opened in a real headless Chromium; and its hints."""
import json

import pytest

from conftest import USES_WHOLE_EXAM
from tfexam.questions import CATEGORIES
from tfexam.results.html_report import hints
from tfexam.results.board import CategoryResult


FIGURES = {  # per category: the ladder, the training curves, then a confusion matrix or predictions
    "basic": ("ladder", "training curves", "predictions"), "fashion": ("ladder", "training curves", "confusion"),
    "images": ("ladder", "training curves", "confusion"), "nlp": ("ladder", "training curves", "confusion"),
    "timeseries": ("ladder", "training curves", "predictions"),
}


def open_report(browser, path) -> dict:
    """Load the report; return what a reader would see and what the browser complained about."""
    browser.get(path.resolve().as_uri())
    return {
        "console": [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")],
        "fetched": browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)"),
        "broken_images": browser.execute_script(
            "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt)"),
        "total": browser.find_element("id", "total").text,
        "points": {name: browser.find_element("css selector", f"#score-{name} .points").text
                   for name in CATEGORIES if browser.find_elements("id", f"score-{name}")},
        "figures": {name: browser.execute_script(
            f"return [...document.querySelectorAll('#{name} img')].map(i => i.alt)")
            for name in CATEGORIES if browser.find_elements("id", name)},
        "text": browser.find_element("tag name", "body").text,
    }


def assert_self_contained_and_clean(page: dict) -> None:
    assert page["console"] == [], page["console"]
    assert page["fetched"] == []  # every image is a data URI: nothing is loaded from anywhere
    assert page["broken_images"] == []


@pytest.fixture(scope="module")
def category_1(tmp_path_factory):
    """Category 1's reference solution, graded once with all three report files."""
    from conftest import run_grader
    directory = tmp_path_factory.mktemp("basic")
    files = {"classroom": directory / "classroom.json", "gradescope": directory / "results.json",
             "html": directory / "report.html"}
    # Any trained model of it will do: on two workers, a training on one thread, as the set-up command's
    # (in CI, from the cache it filled)
    run = run_grader(directory, "assessments/basic", "--solutions", "-n", "2", "--classroom-json",
                     str(files["classroom"]), "--gradescope-json", str(files["gradescope"]), "--html-report",
                     str(files["html"]), retrain=False)
    return run, files


USES_CATEGORY_1 = pytest.mark.xdist_group("category-1")  # one worker grades it once


@USES_CATEGORY_1
def test_category_1_writes_valid_classroom_gradescope_and_html_files(category_1):
    run, files = category_1
    assert run.returncode == 0, run.output
    classroom = json.loads(files["classroom"].read_text())
    assert (classroom["version"], classroom["status"], classroom["max_score"]) == (1, "pass", 5)
    assert sum(test["score"] for test in classroom["tests"]) == 5
    gradescope = json.loads(files["gradescope"].read_text())
    assert sum(test["score"] for test in gradescope["tests"]) == 5 and "score" not in gradescope
    assert files["html"].read_text().startswith("<!DOCTYPE html>")


@USES_CATEGORY_1
def test_the_report_opens_in_chromium_without_errors_and_shows_the_scores(category_1, browser):
    run, files = category_1
    page = open_report(browser, files["html"])
    assert_self_contained_and_clean(page)
    assert page["total"] == "Total: 5/5 over 1 of 5 categories."
    assert page["points"] == {"basic": "5/5"}
    assert [alt.split(": ")[1] for alt in page["figures"]["basic"]] == \
        ["the threshold ladder", "training curves", "predictions against the truth"]
    assert f"MAE {run.category('basic')['value']:.4g}" in page["text"]


@USES_WHOLE_EXAM
def test_the_whole_exam_report_shows_every_category_with_its_plots(whole_exam, browser):
    page = open_report(browser, whole_exam.directory / "report.html")
    assert_self_contained_and_clean(page)
    assert page["points"] == {name: "5/5" for name in CATEGORIES}
    assert "Exam score: 100/100 PASS" in page["text"]
    for name, expected in FIGURES.items():
        shown = page["figures"][name]
        assert len(shown) == len(expected) and all(e in alt for e, alt in zip(expected, shown)), shown


def test_a_failing_solution_s_report_gives_the_reason_and_no_curves(grade, tmp_path, browser):
    html = tmp_path / "report.html"
    grade("assessments/basic", "--html-report", str(html))  # the shipped stub
    page = open_report(browser, html)
    assert_self_contained_and_clean(page)
    assert page["points"] == {"basic": "0/5"}
    assert "solution_model() is not implemented yet" in page["text"]
    assert [alt.split(": ")[1] for alt in page["figures"]["basic"]] == ["the threshold ladder"]


def result(history=None, train_seconds=10.0, message=None, value=0.5) -> CategoryResult:
    return CategoryResult(number=2, category="fashion", title="Fashion-MNIST", source="solution.py",
                          metric="accuracy", higher_is_better=True, thresholds=[0.7, 0.78, 0.83, 0.86, 0.88],
                          budget_seconds=300, value=value, train_seconds=train_seconds, history=history,
                          first_failure=message)


def test_rising_validation_loss_while_training_loss_falls_is_named_overfitting():
    history = {"loss": [1.0, 0.6, 0.4, 0.3, 0.2], "val_loss": [1.0, 0.7, 0.65, 0.8, 0.9]}
    found = hints(result(history))
    assert any(h.startswith("Overfitting: the validation loss was lowest at epoch 3 (0.65)") for h in found), found


def test_a_validation_loss_still_falling_is_not_called_overfitting():
    history = {"loss": [1.0, 0.6, 0.4, 0.3], "val_loss": [1.0, 0.7, 0.6, 0.55]}
    assert not any("Overfitting" in h for h in hints(result(history)))


def test_curves_without_validation_ask_for_validation_data():
    assert any("validation_data" in h for h in hints(result({"loss": [1.0, 0.5]})))


def test_a_nan_loss_names_its_epoch():
    assert any("NaN at epoch 3" in h for h in hints(result({"loss": [1.0, 0.5, None, None]})))


def test_training_close_to_its_budget_is_warned_about():
    assert any("260 s of its 300 s budget" in h for h in hints(result({"loss": [1.0, 0.5]}, train_seconds=260)))
    assert not any("budget" in h for h in hints(result({"loss": [1.0, 0.5]}, train_seconds=100)))


def test_a_saved_model_has_no_curves_and_the_report_says_why():
    assert any("trained elsewhere" in h for h in hints(result(history=None, train_seconds=None)))
