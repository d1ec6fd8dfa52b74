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


# (what the error says, what the learner wrote), for errors Keras 3 raises on Keras 2 code
KERAS2_ONLY = (
    (r"No module named 'keras_preprocessing", "keras_preprocessing (merged into Keras 2.6, gone in Keras 3)"),
    (r"cannot import name '\w+' from 'keras\.(?:src\.)?(?:api\.)?preprocessing|No module named 'keras\.preprocessing\.",
     "a keras.preprocessing name Keras 3 no longer has"),
    (r"not recognized.*'lr'|unexpected keyword argument 'lr'", "lr= (Keras 3 takes learning_rate=)"),
    (r"has no attribute '(fit|evaluate|predict)_generator'", "model.{0}_generator() (Keras 3 has only {0}())"),
    (r"has no attribute 'experimental'", "tf.keras.experimental (removed in Keras 3)"),
)


def keras2_hint(message: str) -> str:
    """For an error a Keras 2 use raises under Keras 3: what it is and that --keras 2 runs it."""
    for pattern, what in KERAS2_ONLY:
        match = re.search(pattern, message)
        if match:
            what = what.format(*match.groups())
            return (f"this is Keras 2 code, {what}: grade it with --keras 2 (or TFEXAM_KERAS=2) "
                    "to run it as written, or port it to Keras 3")
    return ""
