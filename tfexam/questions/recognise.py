"""Which question a file was written for, read from its source without running it.

What a file loads names its question: the dataset URLs and file names in its strings, the
tf.keras.datasets and tfds.load names it uses, and in category 1 the line its training arrays
follow. A stub names its question in a frozen line instead (QUESTION_LINE).
"""
import ast
import re
from pathlib import Path

import numpy as np

from tfexam.questions import POOL, QUESTIONS, Question

QUESTION_LINE = re.compile(r"^# tfexam question: ([\w-]+)", re.M)  # the stubs' frozen first line


def stub_question(source: str) -> Question | None:
    """The question a stub names in its frozen line."""
    match = QUESTION_LINE.search(source)
    return QUESTIONS.get(match.group(1)) if match else None


def is_unchanged_stub(source: bytes) -> bool:
    """The file is one of the pool's stubs as shipped: whitespace at line ends and the file's end aside."""
    return _lines(source) in {_lines(q.stub.read_bytes()) for q in POOL if q.stub.is_file()}


def _lines(source: bytes) -> tuple[bytes, ...]:
    return tuple(line.rstrip() for line in source.rstrip().splitlines())


def recognise(path: Path) -> Question | None:
    """The question `path` was written for, or None when nothing in it names one."""
    try:
        source = path.read_text(errors="replace")
    except OSError:
        return None
    named = stub_question(source)
    if named:
        return named
    loads = _what_it_loads(source)
    signed = [q for q in POOL if any(_names(load, sig) for sig in q.signatures for load in loads)
              and q.recognises(source)]
    if signed:
        return signed[0]
    line = _training_line(source)
    if line:
        slope, intercept = line
        return next((q for q in POOL if q.line and abs(q.line[0] - slope) < 1e-3 and abs(q.line[1] - intercept) < 1e-3),
                    None)
    return None


def _names(load: str, signature: str) -> bool:
    """A string the file loads names a signature: equal to it, or a path or URL ending in it."""
    return load == signature or load.endswith("/" + signature) or load.split(":")[0] == signature


def _what_it_loads(source: str) -> set[str]:
    """The string constants and the dotted names (tf.keras.datasets.mnist) in the source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # still recognisable; training will report the error
        return set(re.findall(r"['\"]([^'\"\s]+)['\"]", source)) | set(re.findall(r"datasets\.(\w+)", source))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value.strip().split("?")[0])
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
              and node.value.attr == "datasets"):
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".datasets"):
            found.update(alias.name for alias in node.names)  # from tensorflow.keras.datasets import mnist
    return found


def _training_line(source: str) -> tuple[float, float] | None:
    """(slope, intercept) of the first two equally long number arrays that lie on a line."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    arrays = [values for node in ast.walk(tree) if (values := _numbers(node)) and len(values) >= 3]
    for i, xs in enumerate(arrays):
        for ys in arrays[i + 1:]:
            if len(xs) == len(ys) and len(set(xs)) > 1:
                slope, intercept = np.polyfit(xs, ys, 1)
                if np.allclose(np.polyval((slope, intercept), xs), ys, atol=1e-6):
                    return round(float(slope), 6), round(float(intercept), 6)
    return None


def _numbers(node) -> list[float] | None:
    """The numbers of a list literal such as [-1.0, 0.0, 1.0] (also negative ones), else None."""
    if not isinstance(node, ast.List) or not node.elts:
        return None
    values = []
    for element in node.elts:
        try:
            value = ast.literal_eval(element)
        except ValueError:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        values.append(float(value))
    return values
