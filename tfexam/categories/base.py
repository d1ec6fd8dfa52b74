"""What a category is: its budget, the shapes it accepts, how it scores a model."""
from dataclasses import dataclass
from typing import Callable

from tfexam.grading.ladder import Ladder

Shape = tuple


@dataclass(frozen=True)
class Category:
    number: int
    name: str              # the folder under assessments/ and the file under solutions/
    title: str
    budget_seconds: float  # wall clock for the training process on a 2-core CPU
    inputs: tuple[Shape, ...]   # accepted input shapes, batch dimension included
    outputs: tuple[Shape, ...]  # accepted output shapes
    ladder: Ladder
    score: Callable        # score(model) -> metric value on held-out data
    shape_hint: Callable = lambda input_shape, output_shape: ""

    def input_problem(self, shape: Shape) -> str | None:
        return _mismatch("input", shape, self.inputs)

    def output_problem(self, shape: Shape) -> str | None:
        return _mismatch("output", shape, self.outputs)


def _mismatch(what: str, shape: Shape, accepted: tuple[Shape, ...]) -> str | None:
    if shape in accepted:
        return None
    wanted = " or ".join(str(s) for s in accepted)
    return f"{what} shape mismatch: the model's {what} is {shape}, the question expects {wanted}"
