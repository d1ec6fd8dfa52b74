"""ImageNet weights for transfer learning: registered as Keras publishes them, read from a solution's source."""
import ast
import importlib.util
import warnings
from pathlib import Path

import pytest

from tfexam.data.pretrained import imagenet_weights_loaded_by
from tfexam.data.registry import IMAGENET_NOTOP, lookup

VGG16 = IMAGENET_NOTOP["VGG16"][0]
# Where Keras keeps a model's notop weights: in a get_file call of a module, or in a module's
# WEIGHTS_HASHES table under a key, the file named after the key as the module's code names it
IN_A_CALL = {"InceptionV3": "inception_v3", "InceptionResNetV2": "inception_resnet_v2", "VGG16": "vgg16",
             "VGG19": "vgg19", "Xception": "xception", "DenseNet121": "densenet", "DenseNet169": "densenet",
             "DenseNet201": "densenet"}
IN_A_TABLE = {**{f"ResNet{d}": ("resnet", f"resnet{d.lower()}", "{key}_weights_tf_dim_ordering_tf_kernels_notop.h5")
                 for d in ("50", "101", "152", "50V2", "101V2", "152V2")},
              **{f"EfficientNetB{n}": ("efficientnet", f"b{n}", "efficientnet{key}_notop.h5") for n in range(8)}}


def _applications(package: str) -> Path:
    """Keras Applications' source folder, read as text: importing Keras would start TensorFlow."""
    spec = importlib.util.find_spec(package)
    assert spec and spec.submodule_search_locations, f"{package} is not installed"
    return Path(spec.submodule_search_locations[0]) / "src" / "applications"


def _module(package: str, name: str) -> ast.Module:
    return ast.parse((_applications(package) / f"{name}.py").read_text())


def _module_names(module: ast.Module) -> dict:
    return {t.id: n.value for n in module.body if isinstance(n, ast.Assign) for t in n.targets
            if isinstance(t, ast.Name)}


def _value(node: ast.expr, names: dict) -> str | None:
    """A string expression's value: literals, names assigned before it, their sums and f-strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [_value(p.value if isinstance(p, ast.FormattedValue) else p, names) for p in node.values]
        return None if None in parts else "".join(parts)  # type: ignore[arg-type]
    if isinstance(node, ast.Name) and node.id in names:
        return _value(names[node.id], names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _value(node.left, names), _value(node.right, names)
        return left + right if left is not None and right is not None else None
    return None


def _get_file_call(statement: ast.stmt) -> ast.Call | None:
    call = getattr(statement, "value", None)
    if isinstance(call, ast.Call) and getattr(call.func, "attr", getattr(call.func, "id", None)) == "get_file":
        return call
    return None


def _downloads(module: ast.Module) -> dict[str, str | None]:
    """Each get_file call's URL and the file_hash it checks, its names resolved within its own block."""
    found = {}
    blocks = [block for node in ast.walk(module) for field in ("body", "orelse")
              if isinstance(block := getattr(node, field, None), list)]
    for block in blocks:
        names = _module_names(module)
        for statement in block:
            if isinstance(statement, ast.Assign):
                names.update({t.id: statement.value for t in statement.targets if isinstance(t, ast.Name)})
            call = _get_file_call(statement)
            file_hash = next((k.value for k in call.keywords if k.arg == "file_hash"), None) if call else None
            if call and len(call.args) > 1 and file_hash and (url := _value(call.args[1], names)):
                found[url] = _value(file_hash, names)
    return found


def _from_table(module: ast.Module, key: str, file_name: str) -> tuple[str | None, str]:
    names = _module_names(module)
    url = _value(names["BASE_WEIGHTS_PATH"], names)
    return url and url + file_name.format(key=key), ast.literal_eval(names["WEIGHTS_HASHES"])[key][1]


def test_every_registered_model_says_where_keras_keeps_its_weights():
    assert IN_A_CALL.keys() | IN_A_TABLE.keys() == IMAGENET_NOTOP.keys()


@pytest.mark.parametrize("package", ["keras", "tf_keras"])
@pytest.mark.parametrize("model", IMAGENET_NOTOP)
def test_each_models_weights_are_registered_at_the_url_and_md5_keras_downloads_them_by(package, model):
    url, md5 = IMAGENET_NOTOP[model]
    if model in IN_A_CALL:
        assert _downloads(_module(package, IN_A_CALL[model])).get(url) == md5
    else:
        name, key, file_name = IN_A_TABLE[model]
        assert _from_table(_module(package, name), key, file_name) == (url, md5)
    entry = lookup(url)
    assert entry is not None and entry.md5 == md5 and not entry.sha256


@pytest.mark.parametrize("package", ["keras", "tf_keras"])
def test_include_top_and_weights_are_each_registered_models_first_two_parameters(package):
    """The positions the scan reads a positional call by."""
    constructors = {node.name: [a.arg for a in node.args.args[:2]]
                    for path in _applications(package).glob("*.py") for node in ast.parse(path.read_text()).body
                    if isinstance(node, ast.FunctionDef) and node.name in IMAGENET_NOTOP}
    assert constructors == {model: ["include_top", "weights"] for model in IMAGENET_NOTOP}


@pytest.mark.parametrize("source, weights", [
    ("from tensorflow.keras.applications import VGG16\n"
     "base = VGG16(weights='imagenet', include_top=False, input_shape=(224, 224, 3))\n", [VGG16]),
    ("base = tf.keras.applications.ResNet50(include_top=False)\n", [IMAGENET_NOTOP["ResNet50"][0]]),
    ("from tensorflow.keras.applications import Xception as Base\nbase = Base(False, 'imagenet')\n",
     [IMAGENET_NOTOP["Xception"][0]]),
    ("a = VGG16(include_top=False)\nb = keras.applications.InceptionV3(include_top=False, input_shape=(150, 150, 3))\n",
     [IMAGENET_NOTOP["InceptionV3"][0], VGG16]),
    ("base = applications.efficientnet.EfficientNetB3(include_top=False, weights='imagenet')\n",
     [IMAGENET_NOTOP["EfficientNetB3"][0]]),
    # weights of its own, none, or a top Keras would download with them: nothing to fetch beforehand
    ("base = InceptionV3(input_shape=(150, 150, 3), include_top=False, weights=None)\n", []),
    ("base = InceptionV3(include_top=False, weights=local_weights_file)\n", []),
    ("base = VGG16(weights='imagenet')\n", []),
    ("base = VGG16(include_top=use_top)\n", []),
    ("base = MobileNetV2(include_top=False)\n", []),
    ("def solution_model(:\n    VGG16(include_top=False)\n", []),
])
def test_the_weights_a_source_downloads_are_read_from_its_calls(source, weights):
    assert imagenet_weights_loaded_by(source) == weights
    assert imagenet_weights_loaded_by(source.encode()) == weights


def test_a_files_own_warnings_are_left_to_its_training():
    source = "pattern = '\\d+'\nbase = VGG16(include_top=False)\n"  # an invalid escape: Python warns
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        assert imagenet_weights_loaded_by(source) == [VGG16]
    assert shown == []
