"""The fast tier: tfexam.grade's result as a terminal and a notebook show it, and the argument errors
a learner can make, without TensorFlow."""
import subprocess
import sys

import pytest

import tfexam
from tfexam.notebook import NotebookGrade, result
from tfexam.questions import QUESTIONS
from tfexam.questions.base import Scored, confusion, predictions

from conftest import ROOT

X_PLUS_6 = QUESTIONS["x-plus-6"]


def graded(value=None, hint="", details=None, failure=None, question=X_PLUS_6) -> NotebookGrade:
    scored = Scored(value, hint, details or {}) if value is not None else None
    return result(question, "the model in memory", failure, scored)


def test_full_marks_read_as_the_score_and_a_ladder_of_ticks():
    grade = graded(0.0123)
    assert (grade.points, grade.max_points, grade.value, grade.metric, grade.message) == (5, 5, 0.0123, "MAE", "")
    assert str(grade).splitlines() == ["x-plus-6: 5/5 (MAE 0.0123)", "  ✓ MAE<=1", "  ✓ MAE<=0.5", "  ✓ MAE<=0.2",
                                       "  ✓ MAE<=0.1", "  ✓ MAE<=0.05"]
    assert repr(grade) == str(grade)


def test_a_lost_point_names_its_threshold_the_value_and_the_hint():
    grade = graded(0.074, hint="train longer")
    assert grade.points == 4
    assert grade.message == "MAE 0.074 does not reach <= 0.05 (train longer)"
    assert [(r.threshold, r.met) for r in grade.rungs] == [(1.0, True), (0.5, True), (0.2, True), (0.1, True),
                                                            (0.05, False)]
    assert str(grade).splitlines()[0] == "x-plus-6: 4/5 (MAE 0.074)"
    assert "  ✗ MAE<=0.05: MAE 0.074 does not reach <= 0.05 (train longer)" in str(grade).splitlines()


def test_a_model_not_scored_gets_0_and_the_reason_once():
    grade = graded(failure="model rejected: Lambda layers are not supported by the grading infrastructure")
    assert (grade.points, grade.value) == (0, None)
    assert grade.message.startswith("model rejected: Lambda")
    lines = str(grade).splitlines()
    assert lines[:2] == ["x-plus-6: 0/5 (not scored)", "  " + grade.message]
    assert lines[2:] == [f"  ✗ {X_PLUS_6.ladder.label(t)}" for t in X_PLUS_6.ladder.thresholds]
    assert "not scored" in grade._repr_html_() and "<img" not in grade._repr_html_()


def test_html_shows_the_score_the_ladder_and_the_predictions_plot():
    details = predictions([-10.0, 7.0], [-4.0, 13.0], [-3.9, 13.2], "x")
    page = graded(0.15, details=details)._repr_html_()
    assert ">3/5</span>" in page
    assert "MAE 0.15 (lower is better)" in page
    assert "<td>MAE&lt;=0.1</td><td>MAE 0.15 does not reach &lt;= 0.1</td>" in page
    assert page.count("✓") == 3 and page.count("✗") == 2
    assert 'alt="predictions against the truth" src="data:image/png;base64,' in page


def test_html_shows_a_classifier_s_confusion_matrix():
    import numpy as np
    fashion = QUESTIONS["fashion-mnist"]
    classes = ("T-shirt/top", "Trouser") + tuple(f"c{i}" for i in range(8))
    details = confusion(np.eye(10)[[0, 1, 1]], np.array([0, 1, 0]), classes)
    page = graded(0.874, details=details, question=fashion)._repr_html_()
    assert "fashion-mnist" in page and ">4/5</span>" in page
    assert 'alt="confusion matrix" src="data:image/png;base64,' in page


def test_a_long_failure_is_one_line_in_message_and_whole_when_shown():
    grade = graded(failure="model rejected: could not be loaded\n\nException encountered: Could not locate class 'Bad'")
    assert grade.message == "model rejected: could not be loaded"
    assert grade.failure.endswith("Could not locate class 'Bad'")
    assert "  Exception encountered: Could not locate class 'Bad'" in str(grade).splitlines()
    assert "Could not locate class &#x27;Bad&#x27;" in grade._repr_html_()


def test_html_escapes_the_learner_s_text():
    page = graded(failure="could not be loaded: <script>alert(1)</script>")._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("arguments, error, words", [
    (("model.keras", "x-plus-7"), ValueError, ["'x-plus-7' is not a question id", "python -m tfexam questions",
                                               "x-plus-6"]),
    (("x-plus-6", "model.keras"), ValueError, ["the model comes first: tfexam.grade(model, 'x-plus-6')"]),
    (("no-such-model.keras", "x-plus-6"), ValueError, ["no-such-model.keras: no such file", "model.save("]),
    (({"layers": 1}, "x-plus-6"), TypeError, ["not builtins.dict", "model.save('mymodel.keras')"]),
])
def test_argument_errors_say_what_to_do(arguments, error, words):
    with pytest.raises(error) as raised:
        tfexam.grade(*arguments)
    for word in words:
        assert word in str(raised.value)


def test_a_file_that_is_not_a_saved_model_is_refused(tmp_path):
    weights = tmp_path / "model.pt"
    weights.write_bytes(b"not keras")
    with pytest.raises(ValueError, match=r"model\.pt: expected a \.keras or \.h5 file saved with model\.save"):
        tfexam.grade(str(weights), "x-plus-6")


def test_import_tfexam_stays_cheap_and_exposes_grade():
    code = ("import sys, tfexam; assert tfexam.grade.__module__ == 'tfexam.notebook'; "
            "assert tfexam.NotebookGrade.__name__ == 'NotebookGrade'; from tfexam import grade; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'matplotlib')))")
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "[]"
    with pytest.raises(AttributeError, match="no attribute 'grades'"):
        tfexam.grades  # noqa: B018
