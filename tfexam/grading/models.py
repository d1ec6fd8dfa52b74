"""Loading a model for grading: safe deserialisation, the exam's Lambda rule, its shapes."""
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

LAMBDA_MESSAGE = "Lambda layers are not supported by the grading infrastructure"
MODEL_SUFFIXES = (".keras", ".h5")
# Keras imports these, when installed, only for what grading never does (plots, pandas inputs,
# scikit-learn wrappers, notebook display); they are about a third of its import.
NOT_FOR_GRADING = ("matplotlib", "pandas", "sklearn", "IPython")


class ModelRejected(Exception):
    """The model file cannot be graded; the message says why and what to do."""


def model_config(path: Path) -> dict:
    """The architecture stored in a .keras or .h5 file, read without building the model."""
    try:
        if path.suffix == ".keras":
            with zipfile.ZipFile(path) as archive:
                return json.loads(archive.read("config.json"))
        import h5py
        with h5py.File(path, "r") as h5:
            raw = h5.attrs["model_config"]
            return json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    except Exception as error:
        raise ModelRejected(f"{path.name} is not a readable Keras model file ({type(error).__name__}: "
                            f"{error}); save it again with model.save('mymodel.keras')") from None


def import_keras():
    """Keras, and TensorFlow behind it, imported without the packages in NOT_FOR_GRADING.

    Keras imports each of them in a try block and does without it; a package this process has
    already imported is left as it is, and all are importable again afterwards.
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    blocked = [name for name in NOT_FOR_GRADING if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        import keras
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return keras


def layer_classes(config) -> set[str]:
    """Every class_name in a (nested) Keras config."""
    found = set()
    if isinstance(config, dict):
        if isinstance(config.get("class_name"), str):
            found.add(config["class_name"])
        for value in config.values():
            found |= layer_classes(value)
    elif isinstance(config, list):
        for value in config:
            found |= layer_classes(value)
    return found


def load_for_grading(path: Path, frozen_lambda: dict | None = None):
    """The model in `path`, loaded with safe_mode, or ModelRejected with the reason.

    frozen_lambda: for a question whose frozen last layer is a Lambda (the 2020 sunspots
    question's `Lambda(lambda x: x * 400)`), the built-in layer that computes what the frozen code
    does. That last Lambda is replaced by it, unread: a Lambda's code is never deserialised here.
    """
    if path.suffix not in MODEL_SUFFIXES:
        raise ModelRejected(f"{path.name} is not a .keras or .h5 model file")
    if frozen_lambda and "Lambda" in layer_classes(model_config(path)):
        path = _with_frozen_lambda_replaced(path, frozen_lambda)
    if "Lambda" in layer_classes(model_config(path)):
        raise ModelRejected(f"{LAMBDA_MESSAGE}: use built-in layers (e.g. Rescaling or Reshape) instead")
    keras = import_keras()
    # The exam's starter code wrote Dense(10, activation=tf.nn.softmax); Keras 3 saves that
    # TensorFlow op by its function name, which only this mapping turns back into an activation.
    tf_ops = {"softmax_v2": keras.activations.softmax, "log_softmax_v2": keras.activations.log_softmax}
    dropped: set[tuple[str, str]] = set()
    while True:
        try:
            return keras.models.load_model(path, custom_objects=tf_ops, compile=False, safe_mode=True)
        except Exception as error:
            keras2_only = _keras2_only_arguments(error) if path.suffix == ".h5" else None
            if not keras2_only or {(keras2_only[0], name) for name in keras2_only[1]} <= dropped:
                raise ModelRejected(f"{path.name} could not be loaded: {type(error).__name__}: {error}") from None
            path = _without_arguments(path, *keras2_only)
            dropped |= {(keras2_only[0], name) for name in keras2_only[1]}


def _with_frozen_lambda_replaced(path: Path, stand_in: dict) -> Path:
    """A copy of the model file whose last layer, a Lambda, is the stand-in layer of the same name."""
    config = model_config(path)
    layers = config.get("config", {}).get("layers") if isinstance(config.get("config"), dict) else None
    if not layers or layers[-1].get("class_name") != "Lambda":
        return path  # a Lambda elsewhere: the exam's rule rejects it
    last = layers[-1]
    layers[-1] = {key: value for key, value in last.items() if key in ("module", "registered_name")}
    layers[-1].update(class_name=stand_in["class_name"],
                      config=dict(stand_in["config"], name=last["config"]["name"],
                                  dtype=last["config"].get("dtype", "float32"), trainable=True))
    return with_config(path, config, path.with_name(f"{path.stem}.frozen-lambda{path.suffix}"))


def with_config(path: Path, config: dict, copy: Path) -> Path:
    """`copy`: the model file `path` (.keras or .h5) with its architecture replaced by `config`."""
    if path.suffix == ".h5":
        import h5py
        if copy != path:
            shutil.copyfile(path, copy)
        with h5py.File(copy, "r+") as h5:
            h5.attrs["model_config"] = json.dumps(config)
        return copy
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = json.dumps(config).encode() if item.filename == "config.json" else source.read(item)
            target.writestr(item, data)
    return copy


# Keras 2 saved settings that Keras 3's layers no longer take (LSTM and GRU's time_major):
# Keras 3 refuses the whole file for them, though they change nothing the model computes.
KERAS3_COPY = ".keras3.h5"
_UNRECOGNISED = re.compile(r"Unrecognized keyword arguments passed to (\w+): \{(.*)\}", re.S)


def _keras2_only_arguments(error: Exception) -> tuple[str, set[str]] | None:
    """(layer class, argument names) from Keras 3's refusal of a Keras 2 layer's saved config."""
    match = _UNRECOGNISED.search(str(error))
    if not match:
        return None
    names = set(re.findall(r"'(\w+)':", match.group(2)))
    return (match.group(1), names) if names else None


def _without_arguments(path: Path, class_name: str, names: set[str]) -> Path:
    """A copy of a Keras 2 .h5 file whose config leaves out these arguments of every class_name layer."""
    config = model_config(path)
    _drop_arguments(config, class_name, names)
    copy = path if path.name.endswith(KERAS3_COPY) else path.with_name(path.stem + KERAS3_COPY)
    return with_config(path, config, copy)


def _drop_arguments(config, class_name: str, names: set[str]) -> None:
    if isinstance(config, dict):
        if config.get("class_name") == class_name and isinstance(config.get("config"), dict):
            for name in names:
                config["config"].pop(name, None)
        for value in config.values():
            _drop_arguments(value, class_name, names)
    elif isinstance(config, list):
        for value in config:
            _drop_arguments(value, class_name, names)


def _shape(value) -> tuple:
    return tuple(None if d is None else int(d) for d in value)


def io_shapes(model) -> tuple[tuple, tuple, str]:
    """(input shape, output shape, input dtype) of a single-input, single-output model."""
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError):
        inputs = outputs = None
    if not inputs or not outputs:
        raise ModelRejected("the model has no defined input shape: it was never built; start it with "
                            "keras.Input(shape=...)")
    if len(inputs) != 1 or len(outputs) != 1:
        raise ModelRejected(f"the model has {len(inputs)} inputs and {len(outputs)} outputs; "
                            "the grader expects one of each")
    return _shape(inputs[0].shape), _shape(outputs[0].shape), str(inputs[0].dtype)
