"""The fast tier: the ladder and each category's shapes, hints and scoring arithmetic, without TensorFlow."""
import subprocess
import sys

import numpy as np
import pytest

from tfexam.grading.grade import CategoryGrade, NotGraded, Source
from tfexam.questions import CATEGORIES, QUESTIONS
from tfexam.questions.recognise import is_unchanged_stub
from tfexam.questions.base import (_mismatch, accuracy, confusion, constant_prediction_hint, predicted_classes,
                                    predictions)
from tfexam.questions.ladder import Ladder

ACCURACY = Ladder("accuracy", (0.70, 0.78, 0.83, 0.86, 0.88), higher_is_better=True)
MAE = Ladder("MAE", (1.0, 0.5, 0.2, 0.1, 0.05), higher_is_better=False)


def test_the_modules_under_test_import_without_tensorflow():
    """In a fresh interpreter: this process may have imported TensorFlow for the slow tests."""
    modules = ("tfexam.plugin", "tfexam.questions", "tfexam.rules", "tfexam.results.board", "tfexam.results.exports",
               "tfexam.results.html_report", "tfexam.classes.classroom50", "tfexam.sandbox.runner",
               "tfexam.sandbox.limits", "tfexam.sandbox.keras2", "tfexam.data.store")
    code = (f"import sys, {', '.join(modules)}\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & "
            "{'tensorflow', 'keras', 'tf_keras', 'tensorflow_datasets', 'h5py', 'matplotlib'}))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "[]"


# --- the ladder ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, points", [(0.88, 5), (0.95, 5), (0.8799, 4), (0.83, 3), (0.70, 1), (0.6999, 0)])
def test_a_higher_is_better_ladder_gives_a_point_per_threshold_reached(value, points):
    assert ACCURACY.points(value) == points


@pytest.mark.parametrize("value, points", [(0.05, 5), (0.0, 5), (0.0501, 4), (0.2, 3), (1.0, 1), (1.0001, 0)])
def test_a_lower_is_better_ladder_gives_a_point_per_threshold_reached(value, points):
    assert MAE.points(value) == points


def test_labels_name_the_metric_the_direction_and_the_threshold():
    assert ACCURACY.label(0.7) == "accuracy>=0.7"
    assert MAE.label(0.05) == "MAE<=0.05"


def test_a_verdict_says_passed_or_what_the_value_does_not_reach():
    assert MAE.verdict(0.051, 0.055) == "MAE 0.051 <= 0.055: passed"
    assert MAE.verdict(0.123456, 0.1) == "MAE 0.1235 does not reach <= 0.1"
    assert ACCURACY.verdict(0.65432, 0.7) == "accuracy 0.6543 does not reach >= 0.7"
    assert ACCURACY.verdict(0.7, 0.7) == "accuracy 0.7 >= 0.7: passed"


@pytest.mark.parametrize("name", CATEGORIES)
def test_every_category_ladder_lists_its_thresholds_easiest_first(name):
    ladder = CATEGORIES[name].ladder
    assert [ladder.points(t) for t in ladder.thresholds] == [1, 2, 3, 4, 5]


# --- shapes ------------------------------------------------------------------------------------

def test_the_batch_dimension_is_the_learners_business():
    basic = CATEGORIES["basic"]
    assert basic.input_problem((None, 1)) is None
    assert basic.input_problem((32, 1)) is None
    assert basic.output_problem((1, 1)) is None


def test_a_mismatch_names_the_models_shape_and_the_expected_one():
    assert CATEGORIES["basic"].input_problem((None, 2)) == (
        "input shape mismatch: the model's input is (None, 2), the question expects (None, 1)")
    assert CATEGORIES["fashion"].output_problem((None, 2)) == (
        "output shape mismatch: the model's output is (None, 2), the question expects (None, 10)")


def test_a_mismatch_lists_every_accepted_shape():
    problem = CATEGORIES["timeseries"].input_problem((None, 30))
    assert problem.endswith("the question expects (None, 30, 1) or (None, None, 1)")


def test_a_model_of_another_rank_does_not_match():
    assert CATEGORIES["basic"].input_problem((None,)) is not None
    assert CATEGORIES["basic"].input_problem((None, 1, 1)) is not None


def test_a_scalar_shape_never_matches_even_a_rank_one_shape():
    assert _mismatch("input", (), ((None,),)) is not None


def test_timeseries_takes_a_window_or_any_length_and_outputs_a_value_or_a_sequence():
    timeseries = CATEGORIES["timeseries"]
    assert timeseries.input_problem((None, 30, 1)) is None
    assert timeseries.input_problem((None, None, 1)) is None
    assert timeseries.input_problem((None, 20, 1)) is not None
    for shape in ((None, 1), (None, 30, 1), (None, None, 1)):
        assert timeseries.output_problem(shape) is None


def test_a_text_model_may_take_strings_of_rank_one_or_two():
    nlp = CATEGORIES["nlp"]
    assert nlp.input_problem((None,), "string") is None
    assert nlp.input_problem((None, 1), "string") is None
    assert nlp.input_problem((None, 120)) is None
    assert nlp.input_problem((None, 120), "string") == (
        "input shape mismatch: the model's input is (None, 120), the question expects (None,) or (None, 1)")


def test_a_string_input_is_refused_where_the_question_sends_numbers():
    assert CATEGORIES["fashion"].input_problem((None, 28, 28), "string") == (
        "input mismatch: the model takes strings; this question sends numbers")


# --- shape and training hints -------------------------------------------------------------------

def test_basic_has_no_shape_hint():
    assert CATEGORIES["basic"].shape_hint((None, 2), (None, 1)) == ""


def test_fashion_names_the_exams_28x28_input_rule():
    hint = CATEGORIES["fashion"].shape_hint((None, 28, 28, 1), (None, 10))
    assert "'Your input layer should accept (28,28) as the input shape only'" in hint
    assert "Reshape((28, 28, 1))" in hint


def test_fashion_names_ten_classes_for_a_wrong_output():
    assert "Dense(10, activation='softmax')" in CATEGORIES["fashion"].shape_hint((None, 28, 28), (None, 2))
    assert "then a Flatten layer" in CATEGORIES["fashion"].shape_hint((None, 784), (None, 10))
    assert CATEGORIES["fashion"].shape_hint((None, 28, 28), (None, 10)) == ""


def test_fashion_hints_alike_with_a_fixed_batch_dimension():
    fashion = CATEGORIES["fashion"]
    assert fashion.shape_hint((32, 28, 28, 1), (32, 10)) == fashion.shape_hint((None, 28, 28, 1), (None, 10))


def test_images_names_one_sigmoid_output_then_the_300x300_input():
    images = CATEGORIES["images"]
    assert "keep the last layer Dense(1, activation='sigmoid')" in images.shape_hint((None, 300, 300, 3), (None, 2))
    assert "keras.Input(shape=(300, 300, 3))" in images.shape_hint((None, 150, 150, 3), (None, 1))
    assert images.shape_hint((None, 300, 300, 3), (None, 1)) == ""


def test_nlp_names_one_sigmoid_output_then_the_padding_length():
    nlp = CATEGORIES["nlp"]
    assert "sarcastic or not is one probability" in nlp.shape_hint((None, 120), (None, 2))
    assert nlp.shape_hint((None, 100), (None, 1)) == "headlines are padded to max_length = 120 token ids"
    assert nlp.shape_hint((None,), (None, 1)) == ""  # a string input has no length to pad to


def test_timeseries_names_the_window_shape_for_a_flat_input():
    timeseries = CATEGORIES["timeseries"]
    assert "keras.Input(shape=(30, 1))" in timeseries.shape_hint((None, 30), (None, 1))
    assert timeseries.shape_hint((None, 20, 1), (None, 1)) == ""


@pytest.mark.parametrize("reason", [
    "Received a label value of 9 which is outside the valid range of [0, 1).",
    "Arguments `target` and `output` must have the same shape. Received: target.shape=(None, 1), "
    "output.shape=(None, 10)",
    "Shapes (None, 1) and (None, 10) are incompatible",
])
def test_fashion_names_sparse_labels_behind_a_loss_that_wants_one_hot(reason):
    assert "use loss='sparse_categorical_crossentropy'" in CATEGORIES["fashion"].training_hint(reason)


def test_fashion_has_no_training_hint_for_other_failures():
    assert CATEGORIES["fashion"].training_hint("time budget exceeded: training was stopped after 300 s") == ""


def test_other_categories_have_no_training_hint():
    assert CATEGORIES["basic"].training_hint("Shapes (None, 1) and (None, 10) are incompatible") == ""


# --- scoring arithmetic ------------------------------------------------------------------------

def test_one_sigmoid_column_is_a_class_above_one_half():
    assert predicted_classes(np.array([[0.2], [0.7], [0.5], [0.51]])).tolist() == [0, 1, 0, 1]


def test_softmax_columns_give_the_most_probable_class():
    assert predicted_classes(np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5]])).tolist() == [1, 0, 2]


def test_accuracy_is_the_share_of_labels_predicted():
    assert accuracy(np.array([[0.9], [0.1], [0.8], [0.3]]), np.array([1, 1, 1, 0])) == 0.75


def test_a_confusion_matrix_has_true_classes_as_rows_and_predictions_as_columns():
    probabilities = np.array([[0.9, 0.1, 0.0], [0.1, 0.9, 0.0], [0.1, 0.9, 0.0], [0.0, 0.1, 0.9]])
    details = confusion(probabilities, np.array([0, 0, 1, 2]), ("a", "b", "c"))
    assert details == {"confusion": {"classes": ["a", "b", "c"],
                                     "matrix": [[1, 1, 0], [0, 1, 0], [0, 0, 1]]}}


def test_the_same_output_for_every_input_is_named():
    assert "the same output for every input" in constant_prediction_hint(np.ones((5, 1)))
    assert "softmax over a single unit" in constant_prediction_hint(np.tile([0.2, 0.8], (4, 1)))


def test_outputs_that_vary_in_any_column_get_no_hint():
    assert constant_prediction_hint(np.array([[0.2, 0.8], [0.2, 0.8], [0.3, 0.8]])) == ""


def test_predictions_are_plain_rounded_floats_beside_the_truth():
    details = predictions(range(2), np.array([1.0, 2.0], dtype="float32"), np.array([1.23456789, 2.0]), "x")
    assert details == {"predictions": {"x": [0.0, 1.0], "actual": [1.0, 2.0], "predicted": [1.234568, 2.0],
                                       "x_label": "x"}}
    assert all(type(v) is float for v in details["predictions"]["actual"])


# --- before training: what cannot train fails without a training --------------------------------

def _grade_before_training(tmp_path, monkeypatch, source: bytes):
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path / "cache"))
    solution = tmp_path / "solution.py"
    solution.write_bytes(source)
    grade = CategoryGrade(QUESTIONS["x-plus-6"], Source(solution, False, "solution.py"), tmp_path / "work", 60)
    with pytest.raises(NotGraded) as failure:
        grade.model_file()
    assert grade.training_runs == 0
    return str(failure.value)


@pytest.mark.parametrize("question", ["x-plus-6", "sunspots", "bbc-news"])
def test_a_stub_as_shipped_is_not_implemented_yet_without_a_training(tmp_path, monkeypatch, question):
    stub = QUESTIONS[question].stub.read_bytes().replace(b"\n", b"  \r\n") + b"\n\n"  # an editor's line ends
    assert _grade_before_training(tmp_path, monkeypatch, stub) == (
        "training failed: solution_model() is not implemented yet: write your model in solution.py and return it")


def test_a_syntax_error_is_named_without_a_training(tmp_path, monkeypatch):
    source = b"import numpy as np\n\ndef solution_model(:\n    return None\n"
    assert _grade_before_training(tmp_path, monkeypatch, source).startswith(
        "training failed: solution.py has a syntax error at line 3: ")


def test_imagenet_weights_that_cannot_be_had_before_training_leave_the_training_to_say_so(mirror, tmp_path):
    """A call the scan finds may never run (another function's, a __main__ block's): it costs no score."""
    (mirror / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5").write_bytes(b"an interrupted download")
    solution = tmp_path / "solution.py"
    solution.write_text("import tensorflow as tf\n\ndef solution_model():\n    return None\n\n"
                        "if __name__ == '__main__':\n    tf.keras.applications.VGG16(include_top=False)\n")
    grade = CategoryGrade(QUESTIONS["x-plus-6"], Source(solution, False, "solution.py"), tmp_path / "work", 60)
    grade._prepare_data()
    assert grade.training_runs == 0 and grade.first_failure is None


def test_an_edited_stub_is_trained(tmp_path):
    edited = QUESTIONS["x-plus-6"].stub.read_bytes().replace(b"raise NotImplementedError", b"return None  #")
    assert not is_unchanged_stub(edited) and is_unchanged_stub(QUESTIONS["x-plus-6"].stub.read_bytes())
