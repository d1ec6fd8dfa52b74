"""The training process: run a learner's solution_model() and save what it returns.

Run by the grader as `python -m tfexam.sandbox.child SOLUTION OUT_DIR SEED [FUNCTION]`, in a
fresh interpreter and a temporary working directory, on Keras 3 or, when TFEXAM_KERAS=2, on
Keras 2 (see keras2.py). FUNCTION is the function to call (--function); without it,
solution_model(), or the file's one solution_*() function (the Dicoding simulation's
solution_A1() and so on). It always tries to leave OUT_DIR/result.json saying what happened; the
parent treats a missing result as a crash. A failure that Keras 2 would not have had names it
(`keras2_use`), so that the grader can train again on Keras 2.
"""
import importlib.util
import json
import math
import os
import site
import sys
import sysconfig
import threading
import time
import traceback
from pathlib import Path
from typing import Any

RESULT_FILE = "result.json"
KERAS_VARIABLE = "TFEXAM_KERAS"  # "2" or "3": the Keras a training runs on
# Starts the line the training prints to its output after each epoch, read by the grader (runner.py)
# as it drains the output: {"epoch": 12, "epochs": 500, "loss": 0.03}. Only for the progress line.
PROGRESS_MARKER = "tfexam-progress: "
# The file whose existence tells the training its budget ran out (runner.py makes it; read-only here)
STOP_FILE_VARIABLE = "TFEXAM_BUDGET_STOP_FILE"


def model_file(keras_version: int) -> str:
    """Keras 3 saves .keras; Keras 2's .keras files are not Keras 3's, its .h5 files load in both."""
    return "model.h5" if keras_version == 2 else "model.keras"


def keras_version() -> int:
    return 2 if os.environ.get(KERAS_VARIABLE) == "2" else 3


DEFAULT_FUNCTION = "solution_model"


class SolutionError(Exception):
    """What went wrong, phrased for the learner; for a Keras 2 use failing on Keras 3, which one."""

    def __init__(self, reason: str, keras2_use: str = "", keras3_failure: str = ""):
        super().__init__(reason)
        self.keras2_use = keras2_use          # e.g. "lr= (Keras 3 takes learning_rate=)"
        self.keras3_failure = keras3_failure  # e.g. "ValueError: ... (solution.py, line 12)"


def _where(error: BaseException, solution: Path) -> str:
    """' (solution.py, line 12)' for the deepest frame in the learner's file, else ''."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == solution]
    return f" ({solution.name}, line {frames[-1].lineno})" if frames else ""


def _failed(what: str, error: BaseException, solution: Path) -> SolutionError:
    """The learner's error, where it happened in their file, and what it most likely means."""
    from tfexam.sandbox import keras2
    message = f"{type(error).__name__}: {error}"
    failure = message + _where(error, solution)
    use = keras2.keras2_use(message) if keras_version() == 3 else ""
    hint = keras2.keras2_hint(message) if use else (keras2.removed_api_hint(message) or _missing_package_hint(error)
                                                    or _data_file_not_downloaded_hint(error))
    return SolutionError(f"{what} {failure}" + (f": {hint}" if hint else ""), use, failure if use else "")


def _missing_package_hint(error: BaseException) -> str:
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return ""
    package = error.name.partition(".")[0]
    return (f"the grader's training environment has no package {package!r} (it has TensorFlow, Keras 2 and 3, "
            "tensorflow-datasets, NumPy, pandas, scikit-learn, SciPy, Pillow, matplotlib and IPython): "
            f"remove the import, or install {package} into the grader's environment (.venv/bin/pip install ...)")


def _data_file_not_downloaded_hint(error: BaseException) -> str:
    """For a file opened where the learner kept it (Colab's /tmp, beside the notebook) that is an exam file."""
    if not isinstance(error, FileNotFoundError) or not error.filename:
        return ""
    from tfexam.data.registry import lookup
    registered = lookup(Path(os.fsdecode(error.filename)).name)
    if registered is None:
        return ""
    return (f"{registered.name} is the exam's data file, and the grader trains in a folder of its own where no "
            f"copy of it lies: download it in your function as the exam's starter does, e.g. "
            f"urllib.request.urlretrieve('{registered.url}', '{registered.name}') (the grader serves it offline)")


def entry_point(module, requested: str | None, solution: Path):
    """The function to call: the one asked for, else solution_model(), else the file's only solution_*()."""
    if requested:
        function = getattr(module, requested, None)
        if not callable(function):
            raise SolutionError(f"{solution.name} defines no function {requested}() (--function {requested})")
        return function
    if callable(getattr(module, DEFAULT_FUNCTION, None)):
        return getattr(module, DEFAULT_FUNCTION)
    candidates = sorted(name for name, value in vars(module).items()
                        if name.startswith("solution_") and callable(value)
                        and getattr(value, "__module__", None) == module.__name__)
    if len(candidates) == 1:
        return getattr(module, candidates[0])
    if candidates:
        raise SolutionError(f"{solution.name} defines {', '.join(c + '()' for c in candidates)}: choose the one "
                            f"to grade with --function NAME, e.g. --function {candidates[0]}")
    raise SolutionError(f"{solution.name} defines no solution_model() function")


def import_solution(solution: Path):
    sys.path.insert(0, str(solution.parent))
    spec = importlib.util.spec_from_file_location("solution", solution)
    assert spec and spec.loader, solution  # a .py path always has both
    module = importlib.util.module_from_spec(spec)
    sys.modules["solution"] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise SolutionError(f"{solution.name} has a syntax error at line {error.lineno}: {error.msg}") from None
    except SystemExit as error:
        raise SolutionError(f"{solution.name} called sys.exit({error.code!r}) while being imported") from None
    except BaseException as error:
        traceback.print_exc()
        raise _failed(f"{solution.name} could not be imported:", error, solution) from None
    return module


def call_solution(function, solution: Path):
    name = f"{function.__name__}()"
    try:
        return function()
    except NotImplementedError:
        raise SolutionError(f"{name} is not implemented yet: write your model in "
                            f"{solution.name} and return it") from None
    except SystemExit as error:
        raise SolutionError(f"{name} called sys.exit({error.code!r}) instead of returning "
                            "a model") from None
    except BaseException as error:
        traceback.print_exc()
        raise _failed(f"{name} raised", error, solution) from None


def save_model(model, out_dir: Path, function_name: str) -> None:
    import keras
    if not isinstance(model, keras.Model):  # tf_keras.Model on Keras 2
        raise SolutionError(f"{function_name}() returned {type(model).__name__}, not a Keras model: "
                            "end it with `return model`")
    try:
        model.save(out_dir / model_file(keras_version()))
    except Exception as error:
        raise SolutionError(f"the returned model could not be saved: {type(error).__name__}: {error}") from None


class TrainingCurves:
    """Every epoch's logs (loss, metrics, val_*), per model, over all its fit() calls.

    Keras keeps only the last fit()'s History, and solutions that fit one epoch at a time are
    common, so the grader records each epoch as Keras's own History callback sees it.
    """
    MAX_EPOCHS = 2000

    def __init__(self):
        self.models: dict[int, tuple] = {}  # id(model) -> (model, [logs per epoch]); holding the model keeps ids unique
        self.last_trained = None

    def install(self) -> None:
        from keras.callbacks import History
        keras_on_epoch_end = History.on_epoch_end
        record = self.record

        def on_epoch_end(history, epoch, logs=None):
            keras_on_epoch_end(history, epoch, logs)
            record(history.model, logs)
            announce_epoch(epoch, getattr(history, "params", None), logs)
        History.on_epoch_end = on_epoch_end

    def record(self, model, logs) -> None:
        try:
            epochs = self.models.setdefault(id(model), (model, []))[1]
            epochs.append({key: _finite_or_none(value) for key, value in (logs or {}).items()})
            del epochs[:-self.MAX_EPOCHS]
            self.last_trained = model
        except Exception:  # the record is for the report; it must never break training
            pass

    def of(self, model) -> dict[str, list]:
        """{'loss': [...], 'val_loss': [...], ...} for `model`, else for the last model trained."""
        _, epochs = self.models.get(id(model)) or self.models.get(id(self.last_trained), (None, []))
        keys = list(dict.fromkeys(key for logs in epochs for key in logs))
        return {key: [logs.get(key) for logs in epochs] for key in keys}


def announce_epoch(epoch: int, params, logs) -> None:
    """Tell the grader, through the output it reads, which epoch ended (epoch counts from 0)."""
    try:
        epochs = (params or {}).get("epochs")
        loss = (logs or {}).get("loss")
        _announce({"epoch": int(epoch) + 1, "epochs": int(epochs) if epochs else None,
                   "loss": _finite_or_none(loss) if loss is not None else None})
    except Exception:  # a progress line must never break training
        pass


def _announce(fields: dict) -> None:
    try:
        sys.stdout.flush()  # after what the solution printed so far
        os.write(1, f"{PROGRESS_MARKER}{json.dumps(fields)}\n".encode())  # not sys.stdout: a solution may replace it
    except Exception:  # a solution closed its output: the grader is told less, training goes on
        pass


class BudgetStop:
    """Ends every running fit() at the end of its current batch once the grader says the budget ran
    out, as an early-stopping callback would; the solution's code after fit() then runs on.

    The grader asks only while a fit() runs, which this tells it ({"fit": true} and false on the
    output it reads), and then allows a short grace (runner.py). Keras checks model.stop_training
    after each batch, so a thread sets it: no per-batch callback, which would slow every training.
    """
    POLL_SECONDS = 0.25  # seldom: its own wake-ups must not look like waiting for a CPU (limits.Activity)

    def __init__(self, stop_file: str):
        self.stop_file = stop_file
        self.spent = False  # the grader said the budget ran out
        self.fitting: dict[int, Any] = {}  # id(History) -> the History of each fit() running now
        self.stopped: dict | None = None  # {"epoch": 12, "epochs": 30}: where the first stopped fit() was

    def install(self) -> None:
        from keras.callbacks import History
        keras_begin, keras_end = History.on_train_begin, History.on_train_end
        began, ended = self.began, self.ended

        def on_train_begin(history, logs=None):
            keras_begin(history, logs)
            began(history)

        def on_train_end(history, logs=None):
            keras_end(history, logs)
            ended(history)
        History.on_train_begin, History.on_train_end = on_train_begin, on_train_end
        if self.stop_file:
            threading.Thread(target=self._wait_for_the_grader, daemon=True).start()

    def began(self, history) -> None:
        self.fitting[id(history)] = history
        _announce({"fit": True})
        if self.spent:  # a fit() started after the budget ran out trains one batch
            _stop(history.model)

    def ended(self, history) -> None:
        self.fitting.pop(id(history), None)
        if self.spent and self.stopped is None:
            epochs = (getattr(history, "params", None) or {}).get("epochs")
            done = getattr(history, "epoch", None) or [None]  # epoch indexes, from initial_epoch
            self.stopped = {"epoch": done[-1] + 1 if isinstance(done[-1], int) else None, "epochs": epochs}
        if not self.fitting:
            _announce({"fit": False})

    def _wait_for_the_grader(self) -> None:
        while not os.path.exists(self.stop_file):
            time.sleep(self.POLL_SECONDS)
        self.spent = True
        for history in list(self.fitting.values()):
            _stop(history.model)


def _stop(model) -> None:
    """End fit() after this batch, without the epoch's validation: the budget is spent, and the
    validation of a large set could outlast the grace (Keras 3 and tf_keras both ask _should_eval;
    Keras 3 also ends a validation under way at stop_evaluating). Set in the instance's __dict__:
    tf_keras's Layer.__setattr__ briefly deletes an attribute it sets, which the training thread
    could read in between."""
    if hasattr(model, "_should_eval"):
        model.__dict__["_should_eval"] = lambda epoch, validation_freq: False
    if hasattr(model, "stop_evaluating"):
        model.__dict__["stop_evaluating"] = True
    model.__dict__["stop_training"] = True


def trained_on() -> str:
    """The device TensorFlow trained on: 'GPU:0 (NVIDIA GeForce RTX 3060)', or 'CPU'."""
    tf: Any = sys.modules.get("tensorflow")
    try:
        gpus = tf.config.list_logical_devices("GPU") if tf else []
        if not gpus:
            return "CPU"
        physical = tf.config.list_physical_devices("GPU")
        name = tf.config.experimental.get_device_details(physical[0]).get("device_name", "") if physical else ""
        return gpus[0].name.replace("/device:", "") + (f" ({name})" if name else "")
    except Exception:
        return "unknown"


def _finite_or_none(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None  # a diverged epoch: JSON has no NaN


def local_module_files() -> list[str]:
    """The files of every imported module outside the Python installation: the solution's own
    modules (and the grader's), whose changes must reach the cache key."""
    installed = {Path(sysconfig.get_paths()[name]).resolve() for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    installed |= {Path(folder).resolve() for folder in site.getsitepackages() + [site.getusersitepackages()]}
    files = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and os.path.isfile(file):
            path = Path(file).resolve()
            if not any(path.is_relative_to(folder) for folder in installed):
                files.add(str(path))
    return sorted(files)


def write_result(out_dir: Path, result: dict) -> None:
    partial = out_dir / f".{RESULT_FILE}.part"
    partial.write_text(json.dumps(result))
    os.replace(partial, out_dir / RESULT_FILE)


def main(solution_file: str, out_folder: str, seed: str, function_name: str = "") -> None:
    solution, out_dir = Path(solution_file).resolve(), Path(out_folder)
    from tfexam.sandbox import offline, tfds_legacy
    from tfexam.sandbox.import_hooks import after_import
    offline.install()
    after_import("tensorflow_datasets", tfds_legacy.patch)  # the 2020 exam's subsplit(tfds.percent[:80])
    if keras_version() == 2:
        from tfexam.sandbox import keras2
        keras2.install()  # before TensorFlow is imported
    import keras
    keras.utils.set_random_seed(int(seed))
    curves = TrainingCurves()
    curves.install()
    budget = BudgetStop(os.environ.get(STOP_FILE_VARIABLE, ""))
    budget.install()
    started = time.monotonic()
    try:
        function = entry_point(import_solution(solution), function_name or None, solution)
        model = call_solution(function, solution)
        train_seconds = time.monotonic() - started
        save_model(model, out_dir, function.__name__)
    except SolutionError as error:
        write_result(out_dir, {"ok": False, "reason": str(error), "keras2_use": error.keras2_use,
                               "keras3_failure": error.keras3_failure})
        return
    write_result(out_dir, {"ok": True, "train_seconds": train_seconds, "history": curves.of(model),
                           "modules": local_module_files(), "device": trained_on(), "budget_stop": budget.stopped})


if __name__ == "__main__":
    main(*sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # don't wait for threads a solution left behind
