"""Exam-era files grade unchanged: each idiom real files use, in a fixture of its own
(fixtures/solutions/idioms/, the idiom's line marked `# idiom`), graded to a real score."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import FIXTURE_SOLUTIONS, ROOT, clean_environment, run_grader
from tfexam.grading.models import load_for_grading


IDIOMS = FIXTURE_SOLUTIONS / "idioms"
TFDS_RETRY_SECONDS = 210  # what a tfds.load of an unserved dataset cost before it failed fast


def idiom_line(name: str) -> int:
    lines = (IDIOMS / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if "# idiom" in line)


def graded(grade, category: str, name: str, *args) -> dict:
    run = grade(f"assessments/{category}", "--submission", str(IDIOMS / name), *args)
    return dict(run.category(category), output=run.output, seconds=run.seconds)


@pytest.mark.parametrize("category, name, use", [
    ("basic", "predict_list.py", "a Python list given to predict() or fit()"),
    ("nlp", "checkpoint_h5.py", "a ModelCheckpoint path Keras 3 refuses"),
    # also an LSTM saved by Keras 2, whose .h5 Keras 3 refuses as saved (time_major)
    ("timeseries", "metrics_function_lstm.py", "tf.keras.metrics.mean_absolute_error()"),
])
def test_keras_2_code_that_fails_on_keras_3_is_trained_again_on_keras_2_and_scored(grade, category, name, use):
    result = graded(grade, category, name)
    assert result["value"] is not None and result["status"] != "error", result["output"]
    assert (result["keras"], result["training_runs"]) == (2, 2)
    assert result["keras_note"].startswith("ran under Keras 2: on Keras 3 it fails with ")
    assert f"({name}, line {idiom_line(name)}), {use}" in result["keras_note"]
    assert result["keras_note"] in result["output"]  # the score table says it too


def test_a_colab_notebooks_packages_are_there(grade):
    """requests, pandas, scikit-learn, IPython.display and plt.show() in a headless training."""
    result = graded(grade, "nlp", "notebook_packages.py")
    assert result["value"] is not None, result["output"]
    assert (result["keras"], result["training_runs"], result["keras_note"]) == (3, 1, "")


def test_a_dicoding_file_is_graded_by_its_one_solution_function(grade):
    result = graded(grade, "basic", "dicoding_one_function.py")
    assert result["value"] is not None and result["training_runs"] == 1, result["output"]


def test_several_solution_functions_ask_for_function_which_chooses(grade):
    unchosen = graded(grade, "basic", "dicoding_several_functions.py")
    assert unchosen["message"] == ("training failed: dicoding_several_functions.py defines solution_B1(), "
                                   "solution_C1(): choose the one to grade with --function NAME, "
                                   "e.g. --function solution_B1")
    chosen = graded(grade, "basic", "dicoding_several_functions.py", "--function", "solution_B1")
    assert chosen["value"] is not None, chosen["output"]


@pytest.mark.parametrize("category, name, named", [
    ("images", "tfds_unserved.py",
     "tfds.load('rock_paper_scissors'): rock_paper_scissors is rock-paper-scissors through tensorflow-datasets"),
    ("nlp", "keras_datasets_unserved.py", "imdb.npz is IMDB reviews, tf.keras.datasets.imdb"),
    ("nlp", "requests_unserved.py", "imdb.npz is IMDB reviews, tf.keras.datasets.imdb"),
])
def test_a_download_the_grader_cannot_serve_fails_at_once_naming_the_dataset(grade, category, name, named):
    result = graded(grade, category, name)
    assert (result["points"], result["status"]) == (0, "error")
    assert named in result["message"] and "which no tfexam question serves yet" in result["message"]
    assert result["training_runs"] == 1  # not a Keras 2 matter
    assert result["seconds"] < TFDS_RETRY_SECONDS / 2, "the whole grading run, pytest's start included"


def test_imagenet_weights_keras_downloads_come_from_the_data_layer_and_a_bad_copy_is_named(tmp_path):
    """The training has no network: VGG16's weights reach Keras' get_file only through the data layer,
    which checks them by Keras' md5 (a copy with the right md5 cannot be made here; a bad one shows the path)."""
    weights = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / weights).write_bytes(b"an interrupted download")
    mirrors = os.pathsep.join([str(tmp_path / "mirror"), os.environ.get("TFEXAM_DATA_DIR", "")])
    run = run_grader(tmp_path, "assessments/images", "--submission", str(IDIOMS / "imagenet_weights.py"),
                     env={"TFEXAM_DATA_DIR": mirrors})
    result = run.category("images")
    assert (result["points"], result["status"]) == (0, "error"), run.output
    assert f"mirror/{weights} is not a good copy of {weights}: its md5 is" in result["message"]
    assert f"keras-applications/vgg16/{weights}" in result["message"]
    assert result["training_runs"] == 1


KERAS2_RNNS = textwrap.dedent("""
    import os, sys
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import numpy as np, tensorflow as tf
    L = tf.keras.layers
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        L.Conv1D(8, 3, padding="causal", input_shape=[24, 7]), L.LSTM(8, return_sequences=True),
        L.GRU(8, return_sequences=True), L.SimpleRNN(8, return_sequences=True), L.Bidirectional(L.LSTM(4)),
        L.Dense(7)])
    assert tf.keras.__name__.startswith("tf_keras"), tf.keras.__name__
    model.save(sys.argv[1])
    np.save(sys.argv[2], model.predict(np.linspace(0, 1, 5 * 24 * 7).reshape(5, 24, 7), verbose=0))
""")


def test_a_keras_2_h5_with_recurrent_layers_loads_and_predicts_as_keras_2_did(tmp_path):
    """Keras 2 saves time_major in LSTM, GRU and SimpleRNN configs, which Keras 3 refuses."""
    model_file, predictions = tmp_path / "mymodel.h5", tmp_path / "keras2.npy"
    subprocess.run([sys.executable, "-c", KERAS2_RNNS, str(model_file), str(predictions)], check=True,
                   cwd=ROOT, env=clean_environment(), capture_output=True, timeout=300)
    model = load_for_grading(model_file)
    inputs = np.linspace(0, 1, 5 * 24 * 7).reshape(5, 24, 7).astype("float32")
    np.testing.assert_allclose(np.asarray(model(inputs)), np.load(predictions), rtol=1e-4, atol=1e-5)
