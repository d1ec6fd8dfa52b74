"""The ImageNet weights a solution's Keras Applications will download, read from its source.

A training has no network (the sandbox's own network namespace), so the data layer can serve it
only a file already in a mirror or the cache. Transfer learning downloads its weights inside
`VGG16(include_top=False)` and the like, by a URL no solution spells out: the grader reads which
models the source builds, without running it, and fetches their registered weights beforehand.
Where they cannot be had, or a call the scan misses, the training's own download asks the data
layer, which serves a copy from a mirror or the cache or fails naming the file and its URL.
"""
import ast
import warnings

from tfexam.data.registry import IMAGENET_NOTOP

_INCLUDE_TOP, _WEIGHTS = 0, 1  # their positions in each registered model's constructor (a unit test checks)
_LARGEST_SOURCE = 1 << 20  # a solution is a few kB; a larger file is not parsed a second time in the grader
_UNREADABLE = (SyntaxError, ValueError, TypeError, RecursionError, MemoryError)


def imagenet_weights_loaded_by(source: str | bytes) -> list[str]:
    """The URLs of the registered weights of the models `source` builds with ImageNet weights and no top.

    A call counts where it passes include_top=False and leaves weights at 'imagenet' (its default);
    weights=None or a file of its own downloads nothing.
    """
    if len(source) > _LARGEST_SOURCE:
        return []
    try:
        with warnings.catch_warnings():  # the training shows the file's own warnings, once
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except _UNREADABLE:
        return []
    imported_as = {alias.asname: alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   for alias in node.names if alias.asname}
    models = {imported_as.get(name, name) for call in ast.walk(tree) if isinstance(call, ast.Call)
              if (name := _called_name(call.func)) and _downloads_imagenet_without_top(call)}
    return sorted(IMAGENET_NOTOP[model][0] for model in models & IMAGENET_NOTOP.keys())


def _called_name(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else None


def _downloads_imagenet_without_top(call: ast.Call) -> bool:
    return _argument(call, "include_top", _INCLUDE_TOP, True) is False \
        and _argument(call, "weights", _WEIGHTS, "imagenet") == "imagenet"


def _argument(call: ast.Call, name: str, position: int, default: object) -> object:
    """The literal value of an argument, its default where absent; None where it is not a literal, which
    is neither include_top=False nor weights='imagenet'."""
    node = next((keyword.value for keyword in call.keywords if keyword.arg == name), None)
    if node is None and len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        node = call.args[position]
    if node is None:
        return default
    try:
        return ast.literal_eval(node)
    except _UNREADABLE:
        return None
