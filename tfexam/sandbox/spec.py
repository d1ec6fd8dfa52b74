"""How a solution is trained: one frozen value, resolved once from pytest's options (or a notebook's
call, a benchmark's arguments) and passed whole from the plugin to the grade, the runner and the cache.

Its fields are everything a user chooses that decides what a training produces, so all of them but
the sandbox (which confines a training, not what it computes) are the body of the cache key. A new
run setting is a field here, its option in OPTIONS, and the code that uses it: two files.
"""
import os
from dataclasses import dataclass, field, fields, replace
from typing import Any

from tfexam.sandbox import device as devices, isolation, limits
from tfexam.sandbox.child import KERAS_VARIABLE

DEFAULT_MEMORY_LIMIT_BYTES = 8 * limits.GIB  # all its processes: twice the largest reference peak (docs/sandbox.md)
KERAS_CHOICES = ("auto", "2", "3")
NOT_KEYED = {"keyed": False}  # a field's metadata: not part of the cache key


class SpecError(ValueError):
    """An option's value cannot be used; the message names it as the user gave it and says what to give."""


@dataclass(frozen=True, kw_only=True)
class TrainingSpec:
    seed: int = 0
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES  # all of a training's processes
    threads: int | None = None  # CPU threads of the training process; None: the cores this process may use
    keras: str = "auto"  # the Keras it trains on: "3", "2", or "auto" (3, and 2 again where 3 fails on Keras 2 code)
    function: str = ""  # the function called instead of solution_model() (--function), or the file's one solution_*()
    device: devices.Device = devices.Device("cpu", "cpu")
    sandbox: isolation.Sandbox | None = field(default=None, metadata=NOT_KEYED)  # None: isolation.choose()

    @property
    def keras_version(self) -> int:
        """The Keras this training runs on: 2 only where asked for ("auto" starts on 3)."""
        return 2 if self.keras == "2" else 3

    def on_keras(self, version: int) -> "TrainingSpec":
        return replace(self, keras=str(version))

    def with_sandbox(self) -> "TrainingSpec":
        """This spec with its sandbox chosen, where it was left to isolation.choose()."""
        return self if self.sandbox else replace(self, sandbox=isolation.choose())

    def key(self) -> dict:
        """What of it decides a training's result: the body of the cache key."""
        keyed = {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("keyed", True)}
        keyed["device"] = self.device.cache_name
        return keyed


# The options that resolve to a spec: (option, its pytest addoption keywords)
OPTIONS: dict[str, dict[str, Any]] = {
    "--seed": dict(type=int, default=0, help="random seed for training (default 0)"),
    "--memory-limit-scale": dict(metavar="F", type=float, default=1.0,
                                 help=f"multiply the memory limit of each training process "
                                      f"({DEFAULT_MEMORY_LIMIT_BYTES // limits.GIB} GiB) by F"),
    "--training-threads": dict(metavar="N", type=int,
                               help="CPU threads per training process (default: the cores divided among the xdist "
                                    "workers)"),
    "--keras": dict(metavar="VERSION", default=os.environ.get(KERAS_VARIABLE, "auto"),
                    help="train on Keras 3, on 2 (tf-keras, for exam-era code: keras_preprocessing, lr=, "
                         "fit_generator, lists to predict()), or auto (default): 3, and 2 again where 3 fails "
                         f"on Keras 2 code; default from ${KERAS_VARIABLE}"),
    "--function": dict(metavar="NAME", default="",
                       help="the function that returns the trained model (default solution_model, or the file's "
                            "one solution_*() function, e.g. the Dicoding simulation's solution_A1)"),
    "--sandbox": dict(metavar="MODE", default=os.environ.get(isolation.SANDBOX_VARIABLE, "auto"),
                      help="how trainings are confined: namespaces (Linux: no network, a read-only filesystem of "
                           "their own, a PID namespace), process (a process of its own only), or auto (default: "
                           f"namespaces where this machine allows them); default from ${isolation.SANDBOX_VARIABLE}"),
    "--device": dict(metavar="DEVICE", default=os.environ.get(devices.DEVICE_VARIABLE, "auto"),
                     help="what trains: auto (default: the GPU where TensorFlow would see one, else the CPU), "
                          f"cpu (hide every GPU) or gpu (require one); default from ${devices.DEVICE_VARIABLE}"),
}


def add_options(group) -> None:
    for name, keywords in OPTIONS.items():
        group.addoption(name, **keywords)


def from_options(option, default_threads: int) -> TrainingSpec:
    """The spec pytest's parsed options give; SpecError for a value that cannot be used."""
    if option.training_threads is not None and option.training_threads < 1:
        raise SpecError("--training-threads must be 1 or more, e.g. 1 per training on -n 2 with 2 cores")
    if option.keras not in KERAS_CHOICES:
        raise SpecError(f"{given_as('--keras', KERAS_VARIABLE, option.keras)}: the training runs on Keras 2 or "
                        "3, or auto (3, then 2 where 3 fails on Keras 2 code); give one of auto, 2, 3")
    if option.function and not option.function.isidentifier():
        raise SpecError(f"--function {option.function}: give the name of a function, e.g. --function solution_A1")
    if option.memory_limit_scale <= 0:
        raise SpecError("--memory-limit-scale must be a positive number, e.g. 2 to double the limit")
    try:
        sandbox = isolation.choose(option.sandbox, option.memory_limit_scale)
    except isolation.SandboxUnavailable as error:
        raise SpecError(f"--sandbox {option.sandbox}: {error}") from None
    try:
        device = devices.choose(option.device)
    except devices.DeviceUnavailable as error:
        raise SpecError(f"{given_as('--device', devices.DEVICE_VARIABLE, option.device)}: {error}") from None
    memory_limit_bytes = int(DEFAULT_MEMORY_LIMIT_BYTES * option.memory_limit_scale)
    return TrainingSpec(seed=option.seed, memory_limit_bytes=memory_limit_bytes, keras=option.keras,
                        threads=option.training_threads or default_threads, function=option.function,
                        device=device, sandbox=sandbox)


def given_as(option: str, variable: str, value: str) -> str:
    """How the user gave an option's value: 'TFEXAM_KERAS=4' when it came from the environment, else '--keras 4'."""
    return f"{variable}={value}" if value == os.environ.get(variable) else f"{option} {value}"
