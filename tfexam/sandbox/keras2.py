"""Keras 2 inside the training process, for solutions written for the exam (2020-2024).

With --keras 2 the training process runs on tf-keras, the Keras 2 that TensorFlow still ships
as a package, behind the switch TensorFlow provides (TF_USE_LEGACY_KERAS=1 makes tf.keras
tf-keras). Exam-era files also import `keras` and `keras_preprocessing` themselves; both names
are served from tf-keras, so `keras.layers.Dense` and `tf.keras.layers.Dense` are one class.
The model is saved as .h5, which the grader's Keras 3 loads like any other.

Without it, known Keras-2-only uses are recognised in the error they raise, and the message
names them and the option.
"""
import importlib
import importlib.abc
import importlib.util
import os
import re
import sys

LEGACY_SWITCH = "TF_USE_LEGACY_KERAS"
ALIASES = {"keras": "tf_keras", "keras_preprocessing": "tf_keras.preprocessing"}


class _Aliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `keras.x` as the already-importable `tf_keras.x`: one module object under two names."""

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in ALIASES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        top, _, rest = spec.name.partition(".")
        return importlib.import_module(ALIASES[top] + ("." + rest if rest else ""))

    def exec_module(self, module):
        pass  # already executed under its tf_keras name


def install() -> None:
    """Before TensorFlow is imported: tf.keras, keras and keras_preprocessing become tf-keras."""
    os.environ[LEGACY_SWITCH] = "1"
    for name in list(sys.modules):
        if name.partition(".")[0] in ALIASES:
            del sys.modules[name]
    sys.meta_path.insert(0, _Aliases())


# (what the error says, what the learner wrote), for errors Keras 3 raises on code Keras 2 runs
KERAS2_ONLY = (
    (r"No module named 'keras_preprocessing", "keras_preprocessing (merged into Keras 2.6, gone in Keras 3)"),
    (r"cannot import name '\w+' from 'keras\.(?:src\.)?(?:api\.)?preprocessing|No module named 'keras\.preprocessing\.",
     "a keras.preprocessing name Keras 3 no longer has"),
    (r"not recognized.*'lr'|unexpected keyword argument 'lr'", "lr= (Keras 3 takes learning_rate=)"),
    (r"has no attribute '(fit|evaluate|predict)_generator'", "model.{0}_generator() (Keras 3 has only {0}())"),
    (r"has no attribute 'experimental'", "tf.keras.experimental or layers.experimental (removed in Keras 3)"),
    (r"Unrecognized data type: x=\[", "a Python list given to predict() or fit() (Keras 3 takes NumPy arrays)"),
    (r"must end in `\.weights\.h5`|filepath provided must end in `\.keras`",
     "a ModelCheckpoint path Keras 3 refuses (it wants .weights.h5 or .keras)"),
    (r"Invalid filepath extension for saving", "model.save() without .keras or .h5 (a Keras 2 SavedModel folder)"),
    (r"File format not supported: filepath=", "load_weights() of a TensorFlow checkpoint"),
    (r"metrics' has no attribute '(\w+)'",
     "tf.keras.metrics.{0}() (Keras 3 keeps the metric classes, not the functions)"),
    (r"unexpected keyword argument '(workers|use_multiprocessing|max_queue_size)'",
     "fit(..., {0}=) (Keras 3 removed it)"),
    (r"Expected `metrics` argument to be a list, tuple, or dict\. Received instead: metrics=(\w+)",
     "compile(metrics='{0}') (Keras 3 takes a list: metrics=['{0}'])"),
)

# (what the error says, what to write instead), for exam-era code that neither Keras runs any more
REMOVED_EVERYWHERE = (
    (r"has no attribute 'predict_classes'",
     "model.predict_classes() was removed in TensorFlow 2.6: use np.argmax(model.predict(x), axis=-1), "
     "or (model.predict(x) > 0.5).astype(int) for a sigmoid output"),
    (r"decay is deprecated in the new", "the optimizer's decay= argument was removed: use a learning-rate "
     "schedule, e.g. learning_rate=tf.keras.optimizers.schedules.ExponentialDecay(...)"),
)


def keras2_use(message: str) -> str:
    """What Keras 2 use an error Keras 3 raised names ('lr= (Keras 3 takes learning_rate=)'), else ''."""
    for pattern, what in KERAS2_ONLY:
        match = re.search(pattern, message)
        if match:
            return what.format(*match.groups())
    return ""


def keras2_hint(message: str) -> str:
    """For an error a Keras 2 use raises under Keras 3: what it is and that --keras 2 runs it."""
    what = keras2_use(message)
    if what:
        return (f"this is Keras 2 code, {what}: grade it with --keras 2 (or TFEXAM_KERAS=2) "
                "to run it as written, or port it to Keras 3")
    return ""


def removed_api_hint(message: str) -> str:
    """For exam-era code that no Keras runs any more: what to write instead, else ''."""
    return next((fix for pattern, fix in REMOVED_EVERYWHERE if re.search(pattern, message)), "")
