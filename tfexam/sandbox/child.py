"""The training process: run a learner's solution_model() and save what it returns.

Run by the grader as `python -m tfexam.sandbox.child SOLUTION OUT_DIR SEED`, in a fresh
interpreter and a temporary working directory, on Keras 3 or, when TFEXAM_KERAS=2, on Keras 2
(see keras2.py). It always tries to leave OUT_DIR/result.json saying what happened; the parent
treats a missing result as a crash.
"""
import importlib.util
import json
import math
import os
import site
import sys
import sysconfig
import time
import traceback
from pathlib import Path

RESULT_FILE = "result.json"
KERAS_VARIABLE = "TFEXAM_KERAS"  # "2" or "3": the Keras a training runs on


def model_file(keras_version: int) -> str:
    """Keras 3 saves .keras; Keras 2's .keras files are not Keras 3's, its .h5 files load in both."""
    return "model.h5" if keras_version == 2 else "model.keras"


def keras_version() -> int:
    return 2 if os.environ.get(KERAS_VARIABLE) == "2" else 3


class SolutionError(Exception):
    """What went wrong, phrased for the learner."""


def _where(error: BaseException, solution: Path) -> str:
    """' (solution.py, line 12)' for the deepest frame in the learner's file, else ''."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == solution]
    return f" ({solution.name}, line {frames[-1].lineno})" if frames else ""


def _keras2_hint(error: BaseException) -> str:
    """': this is Keras 2 code ... --keras 2 ...' for a Keras 2 use failing on Keras 3, else ''."""
    if keras_version() == 2:
        return ""
    from tfexam.sandbox.keras2 import keras2_hint
    hint = keras2_hint(f"{type(error).__name__}: {error}")
    return f": {hint}" if hint else ""


def import_solution(solution: Path):
    sys.path.insert(0, str(solution.parent))
    spec = importlib.util.spec_from_file_location("solution", solution)
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
        raise SolutionError(f"{solution.name} could not be imported: {type(error).__name__}: {error}"
                            f"{_where(error, solution)}{_keras2_hint(error)}") from None
    if not callable(getattr(module, "solution_model", None)):
        raise SolutionError(f"{solution.name} defines no solution_model() function")
    return module


def call_solution_model(module, solution: Path):
    try:
        return module.solution_model()
    except NotImplementedError:
        raise SolutionError("solution_model() is not implemented yet: write your model in "
                            f"{solution.name} and return it") from None
    except SystemExit as error:
        raise SolutionError(f"solution_model() called sys.exit({error.code!r}) instead of returning "
                            "a model") from None
    except BaseException as error:
        traceback.print_exc()
        raise SolutionError(f"solution_model() raised {type(error).__name__}: {error}"
                            f"{_where(error, solution)}{_keras2_hint(error)}") from None


def save_model(model, out_dir: Path) -> None:
    import keras
    if not isinstance(model, keras.Model):  # tf_keras.Model on Keras 2
        raise SolutionError(f"solution_model() returned {type(model).__name__}, not a Keras model: "
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


def main(solution: str, out_dir: str, seed: str) -> None:
    solution, out_dir = Path(solution).resolve(), Path(out_dir)
    from tfexam.sandbox import offline
    offline.install()
    if keras_version() == 2:
        from tfexam.sandbox import keras2
        keras2.install()  # before TensorFlow is imported
    import keras
    keras.utils.set_random_seed(int(seed))
    curves = TrainingCurves()
    curves.install()
    started = time.monotonic()
    try:
        module = import_solution(solution)
        model = call_solution_model(module, solution)
        train_seconds = time.monotonic() - started
        save_model(model, out_dir)
    except SolutionError as error:
        write_result(out_dir, {"ok": False, "reason": str(error)})
        return
    write_result(out_dir, {"ok": True, "train_seconds": train_seconds, "history": curves.of(model),
                           "modules": local_module_files()})


if __name__ == "__main__":
    main(*sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # don't wait for threads a solution left behind
