"""The fast tier: how exam-era idioms are recognised, without starting a training.

Which Keras 2 uses Keras 3 refuses (and so train again on Keras 2), what no Keras runs any
more, which function a file is graded by, what a download the grader cannot serve says, and
how a Keras 2 .h5 file's config is made loadable by Keras 3."""
import json
import sys
import types
from pathlib import Path

import pytest

from tfexam.grading.models import _drop_arguments, _keras2_only_arguments
from tfexam.results.board import ScoreBoard
from tfexam.sandbox import import_hooks
from tfexam.sandbox.child import SolutionError, _failed, entry_point
from tfexam.sandbox.keras2 import keras2_hint, keras2_use, removed_api_hint
from tfexam.sandbox.offline import not_served
from unit.test_reporting import reported

# Each is the text Keras 3.15 raises for the idiom (measured on it), and what the learner wrote.
KERAS3_REFUSALS = [
    ("ValueError: Unrecognized data type: x=[10.0] (of type <class 'list'>)", "a Python list given to predict()"),
    ("ValueError: When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
     "`.weights.h5` (Keras weights format). Received: filepath=mymodel.h5", "a ModelCheckpoint path"),
    ("ValueError: The filepath provided must end in `.keras` (Keras model format). Received: filepath=best_model",
     "a ModelCheckpoint path"),
    ("ValueError: Invalid filepath extension for saving. Please add either a `.keras` extension ... "
     "Received: filepath=mymodel.", "model.save() without .keras or .h5"),
    ("ValueError: File format not supported: filepath=checkpoint.ckpt. Keras 3 only supports V3 `.keras` files",
     "load_weights() of a TensorFlow checkpoint"),
    ("AttributeError: module 'keras._tf_keras.keras.metrics' has no attribute 'mean_absolute_error'",
     "tf.keras.metrics.mean_absolute_error()"),
    ("TypeError: TensorFlowTrainer.fit() got an unexpected keyword argument 'workers'", "fit(..., workers=)"),
    ("AttributeError: module 'keras._tf_keras.keras.layers' has no attribute 'experimental'",
     "layers.experimental"),
    ("ValueError: Expected `metrics` argument to be a list, tuple, or dict. Received instead: metrics=accuracy of "
     "type <class 'str'>", "compile(metrics='accuracy') (Keras 3 takes a list: metrics=['accuracy'])"),
]


@pytest.mark.parametrize("error, use", KERAS3_REFUSALS)
def test_a_keras2_idiom_keras3_refuses_is_named_for_a_retry_on_keras2(error, use):
    assert use in keras2_use(error)
    assert "grade it with --keras 2" in keras2_hint(error)


@pytest.mark.parametrize("error", [
    "ValueError: Input 0 of layer dense is incompatible with the layer",
    "AttributeError: 'Sequential' object has no attribute 'predict_classes'",  # gone in Keras 2 too
    "KeyError: 'accuracy'",
])
def test_an_error_keras2_would_have_too_is_not_retried(error):
    assert keras2_use(error) == ""


@pytest.mark.parametrize("error, fix", [
    ("AttributeError: 'Sequential' object has no attribute 'predict_classes'", "np.argmax(model.predict(x), axis=-1)"),
    ("ValueError: decay is deprecated in the new TF-Keras optimizer", "learning-rate schedule"),
])
def test_what_no_keras_runs_any_more_says_what_to_write_instead(error, fix):
    assert fix in removed_api_hint(error)


def opening(path: str) -> FileNotFoundError:
    try:
        open(path, "rb")
    except FileNotFoundError as error:
        return error
    raise AssertionError(f"{path} exists")


def test_an_exam_file_opened_where_the_learner_kept_it_is_named_with_the_download_to_write_instead():
    """A learner's Colab copy of the zip (one folder up, /tmp) is not in the grader's training folder."""
    failure = str(_failed("solution_model() raised", opening("../satellitehurricaneimages.zip"), Path("s.py")))
    assert "satellitehurricaneimages.zip is the exam's data file" in failure
    assert ("urlretrieve('https://storage.googleapis.com/download.tensorflow.org/data/certificate/"
            "satellitehurricaneimages.zip', 'satellitehurricaneimages.zip')") in failure
    unknown = str(_failed("solution_model() raised", opening("/tmp/no-such-tfexam-file.zip"), Path("s.py")))
    assert "exam's data file" not in unknown and "no-such-tfexam-file.zip" in unknown


def module_with(**functions) -> types.ModuleType:
    module = types.ModuleType("solution")
    for name, body in functions.items():
        body.__name__, body.__module__ = name, "solution"
        setattr(module, name, body)
    return module


def a_function():
    return "model"


def test_solution_model_is_the_entry_point_when_there_is_one():
    module = module_with(solution_model=a_function, solution_A1=lambda: None)
    assert entry_point(module, None, Path("s.py")).__name__ == "solution_model"


def test_a_file_with_one_solution_function_is_graded_by_it():
    assert entry_point(module_with(solution_A1=a_function, helper=lambda: None), None,
                       Path("s.py")).__name__ == "solution_A1"


def test_several_solution_functions_ask_for_function():
    with pytest.raises(SolutionError, match=r"defines solution_B1\(\), solution_C1\(\): choose the one to "
                                            r"grade with --function NAME, e.g. --function solution_B1"):
        entry_point(module_with(solution_C1=lambda: None, solution_B1=lambda: None), None, Path("s.py"))


def test_function_chooses_and_a_missing_one_is_named():
    module = module_with(solution_B1=lambda: None, solution_C1=a_function)
    assert entry_point(module, "solution_C1", Path("s.py")) is module.solution_C1
    with pytest.raises(SolutionError, match=r"s.py defines no function solution_A5\(\) \(--function solution_A5\)"):
        entry_point(module, "solution_A5", Path("s.py"))


def test_an_imported_solution_function_is_not_the_files_own():
    imported = lambda: None  # noqa: E731
    imported.__module__ = "helpers"
    module = module_with()
    module.solution_helper = imported
    with pytest.raises(SolutionError, match="defines no solution_model"):
        entry_point(module, None, Path("s.py"))


@pytest.mark.parametrize("request_name, named", [
    ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz", "IMDB reviews, tf.keras.datasets.imdb"),
    ("rock_paper_scissors", "rock-paper-scissors through tensorflow-datasets"),
    ("rock_paper_scissors:3.0.0", "rock-paper-scissors through tensorflow-datasets"),
])
def test_a_download_the_grader_cannot_serve_names_the_exams_dataset(request_name, named):
    message = not_served(request_name)
    assert named in message and "which no tfexam question serves yet" in message
    assert "grading is offline" in message


def test_any_other_url_is_not_a_registered_dataset_url():
    assert not_served("https://example.com/data.csv").startswith(
        "https://example.com/data.csv is not a registered dataset URL; grading is offline")


def test_a_patch_runs_when_its_module_is_first_imported(tmp_path, monkeypatch):
    (tmp_path / "tfexam_hooked_module.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    patched = []
    import_hooks.after_import("tfexam_hooked_module", lambda module: patched.append(module.VALUE))
    assert patched == []  # not imported for the patch's sake
    import tfexam_hooked_module  # noqa: F401
    assert patched == [1]
    del sys.modules["tfexam_hooked_module"]


def test_a_patch_for_a_module_already_imported_runs_at_once():
    patched = []
    import_hooks.after_import("json", patched.append)
    assert patched == [json]


KERAS2_LSTM_ERROR = ValueError("Unrecognized keyword arguments passed to LSTM: {'time_major': False}")


def test_keras3s_refusal_of_a_keras2_layer_argument_is_read():
    assert _keras2_only_arguments(KERAS2_LSTM_ERROR) == ("LSTM", {"time_major"})
    assert _keras2_only_arguments(ValueError("Could not locate class 'Foo'")) is None


def test_the_argument_is_dropped_from_every_layer_of_that_class_only_nested_too():
    config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "LSTM", "config": {"units": 8, "time_major": False}},
        {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM",
                                                             "config": {"units": 4, "time_major": False}}}},
        {"class_name": "GRU", "config": {"units": 2, "time_major": False}},
    ]}}
    _drop_arguments(config, "LSTM", {"time_major"})
    layers = config["config"]["layers"]
    assert layers[0]["config"] == {"units": 8}
    assert layers[1]["config"]["layer"]["config"] == {"units": 4}
    assert layers[2]["config"] == {"units": 2, "time_major": False}


def test_the_score_table_and_the_json_say_a_model_ran_under_keras_2():
    board = ScoreBoard()
    note = "ran under Keras 2: on Keras 3 it fails with ValueError: Unrecognized data type: x=[10.0]"
    board.add(reported(keras=2, keras_note=note))
    assert f"    {note}" in board.table()
    assert board.as_json()["categories"]["basic"]["keras"] == 2
