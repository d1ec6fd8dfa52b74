"""tfexam.grade in a real Jupyter kernel (nbclient), and its held-out scoring against pytest --model's."""
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, run_grader



def partly_right_model(path):
    """y = x + 5.88: a mean absolute error of 0.12 on x-plus-6, which earns 3 of 5 points."""
    import keras
    import numpy as np
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[1.0]]), np.array([5.88])])
    model.save(path)
    return path


def test_grade_scores_a_saved_model_as_pytest_model_does(tmp_path):
    import tfexam
    path = partly_right_model(tmp_path / "mymodel.keras")
    in_notebook = tfexam.grade(path, "x-plus-6")
    by_pytest = run_grader(tmp_path, "assessments/basic", "--model", str(path), "-p", "no:cacheprovider")
    basic = by_pytest.category("basic")
    assert basic["question"] == in_notebook.question == "x-plus-6"
    assert (in_notebook.points, in_notebook.value, in_notebook.message) == (basic["points"], basic["value"],
                                                                           basic["message"])
    assert in_notebook.points == 3, by_pytest.output


NOTEBOOK_CELLS = [
    """
    import sys
    assert sys.executable == {python!r}, sys.executable  # the kernel runs in the project's venv
    import numpy as np
    import tensorflow as tf
    import tfexam
    """,
    """
    tf.keras.utils.set_random_seed(0)
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    ys = xs + 6
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mean_squared_error")
    model.fit(xs, ys, epochs=300, verbose=0)
    tfexam.grade(model, "x-plus-6")
    """,
    """
    wrong_input = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(1)])
    tfexam.grade(wrong_input, "x-plus-6")
    """,
    """
    import matplotlib
    print(matplotlib.get_backend())
    """,
]


@pytest.fixture
def kernel_name(tmp_path, monkeypatch) -> str:
    """A kernel of this venv's Python, found only through this test's JUPYTER_PATH."""
    prefix = tmp_path / "jupyter"
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", "tfexam-test"],
                   check=True, capture_output=True, timeout=120)
    monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    for variable, folder in (("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_DATA_DIR", "data"),
                             ("JUPYTER_CONFIG_DIR", "config"), ("IPYTHONDIR", "ipython")):
        monkeypatch.setenv(variable, str(tmp_path / folder))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # tfexam as a checkout installed with pip would provide it
    monkeypatch.setenv("TFEXAM_DATA_DIR", os.environ.get("TFEXAM_DATA_DIR", ""))
    return "tfexam-test"


def test_a_model_trained_in_a_notebook_is_graded_in_it(tmp_path, kernel_name):
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(textwrap.dedent(cell.format(python=sys.executable)).strip())
                      for cell in NOTEBOOK_CELLS]
    NotebookClient(notebook, timeout=600, kernel_name=kernel_name,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    _, trained, wrong_input, backend = notebook.cells

    shown = only_result(trained)
    plain, page = shown["text/plain"], shown["text/html"]
    assert plain.startswith("x-plus-6: 5/5 (MAE "), plain
    assert "  ✓ MAE<=0.05" in plain.splitlines()
    assert ">5/5</span>" in page and "(lower is better)" in page
    assert page.count("✓") == 5 and "<td>MAE&lt;=0.05</td><td>MAE " in page
    assert 'alt="predictions against the truth" src="data:image/png;base64,' in page

    shown = only_result(wrong_input)
    assert shown["text/plain"].splitlines()[:2] == [
        "x-plus-6: 0/5 (not scored)",
        "  input shape mismatch: the model's input is (None, 2), the question expects (None, 1)"]
    assert "input shape mismatch" in shown["text/html"] and ">0/5</span>" in shown["text/html"]

    # the plots were drawn without taking the notebook's inline backend away
    assert "inline" in "".join(output.get("text", "") for output in backend.outputs)


def only_result(cell) -> dict:
    """The cell's displayed value; a figure the grader drew and left open would show as a second output."""
    displayed = [output for output in cell.outputs if output.output_type in ("execute_result", "display_data")]
    assert [output.output_type for output in displayed] == ["execute_result"], cell.outputs
    return displayed[0]["data"]
