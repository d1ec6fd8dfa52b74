"""ImageNet weights for transfer learning: registered as Keras publishes them, read from a solution's source."""
import ast
import importlib.util
from pathlib import Path

import pytest

from tfexam.data.pretrained import imagenet_weights_loaded_by
from tfexam.data.registry import IMAGENET_NOTOP, lookup

VGG16 = IMAGENET_NOTOP["VGG16"][0]
MODULES = {"InceptionV3": "inception_v3", "VGG16": "vgg16", "VGG19": "vgg19", "ResNet50": "resnet",
           "Xception": "xception", "DenseNet121": "densenet", "EfficientNetB0": "efficientnet"}


def _string_constants(package: str, module: str) -> set[str]:
    """The strings of a Keras Applications module, read as text: importing Keras would start TensorFlow."""
    spec = importlib.util.find_spec(package)
    assert spec and spec.submodule_search_locations, f"{package} is not installed"
    path = Path(spec.submodule_search_locations[0]) / "src" / "applications" / f"{module}.py"
    return {node.value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


@pytest.mark.parametrize("package", ["keras", "tf_keras"])
@pytest.mark.parametrize("model", IMAGENET_NOTOP)
def test_each_models_weights_are_registered_at_the_url_and_md5_keras_downloads_them_by(package, model):
    url, md5 = IMAGENET_NOTOP[model]
    strings = _string_constants(package, MODULES[model])
    assert md5 in strings
    assert any(url.startswith(s) for s in strings if s.startswith("https://"))
    assert any(url.endswith(s) for s in strings if s.endswith("notop.h5"))
    entry = lookup(url)
    assert entry is not None and entry.md5 == md5 and not entry.sha256


@pytest.mark.parametrize("source, weights", [
    ("from tensorflow.keras.applications import VGG16\n"
     "base = VGG16(weights='imagenet', include_top=False, input_shape=(224, 224, 3))\n", [VGG16]),
    ("base = tf.keras.applications.ResNet50(include_top=False)\n",
     [IMAGENET_NOTOP["ResNet50"][0]]),
    ("from tensorflow.keras.applications import Xception as Base\nbase = Base(False, 'imagenet')\n",
     [IMAGENET_NOTOP["Xception"][0]]),
    ("a = VGG16(include_top=False)\nb = keras.applications.InceptionV3(include_top=False, input_shape=(150, 150, 3))\n",
     [IMAGENET_NOTOP["InceptionV3"][0], VGG16]),
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
