"""Which device trains: the GPU where TensorFlow would see one, else the CPU (--device).

Decided in the grader without importing TensorFlow (the grader stays fast and TensorFlow-free
until it grades): an NVIDIA GPU is visible to TensorFlow when the driver's device nodes exist
(/dev/nvidia0, ...), TensorFlow's CUDA libraries are installed (pip install "tensorflow[and-cuda]"),
nvidia-smi, where it is installed, lists a GPU, and the user's CUDA_VISIBLE_DEVICES does not hide
them all. The training itself reports the device it trained on (child.py), which settles it.
"""
import importlib.metadata
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

DEVICE_VARIABLE = "TFEXAM_DEVICE"  # --device's default
CHOICES = ("auto", "cpu", "gpu")
CUDA_VARIABLE = "CUDA_VISIBLE_DEVICES"
NVIDIA_SMI_TIMEOUT_SECONDS = 5
# The nodes an NVIDIA GPU's user-space driver opens, besides one /dev/nvidiaN per GPU
NVIDIA_CONTROL_NODES = ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset")
CUDA_DISTRIBUTIONS = ("nvidia-cudnn-cu12", "nvidia-cudnn-cu11")  # what tensorflow[and-cuda] installs
CALIBRATION = "budgets are calibrated for a 2-core CPU"


class DeviceUnavailable(Exception):
    """--device gpu where no GPU is visible; the message says why and what to do."""


@dataclass(frozen=True)
class GpuProbe:
    """What this machine shows of NVIDIA GPUs, without TensorFlow."""
    names: tuple[str, ...] = ()  # e.g. ("NVIDIA GeForce RTX 3060",), or ("/dev/nvidia0",) without nvidia-smi
    nodes: tuple[str, ...] = ()  # every NVIDIA device node a training needs, e.g. /dev/nvidia0, /dev/nvidiactl
    why_none: str = ""  # why there is none that TensorFlow could use

    @property
    def found(self) -> bool:
        return not self.why_none


@dataclass(frozen=True)
class Device:
    """The device trainings run on, as chosen in the grader."""
    kind: str  # "cpu" or "gpu"
    requested: str  # auto, cpu or gpu
    gpus: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()  # the NVIDIA device nodes the namespaces sandbox binds (gpu only)
    why: str = ""  # why the CPU under auto: "no NVIDIA GPU or driver, no /dev/nvidia0"
    cores: int = field(default_factory=lambda: len(os.sched_getaffinity(0)))

    def describe(self) -> str:
        """The report header's line."""
        if self.kind == "gpu":
            return (f"device: gpu ({', '.join(self.gpus)}; {CALIBRATION} and measured in CPU time, "
                    "so a GPU has room to spare)")
        because = f"; {self.why}" if self.why else ""
        return f"device: cpu ({self.cores} core{'s' * (self.cores != 1)}{because}; {CALIBRATION})"

    @property
    def cache_name(self) -> str:
        """What of the device the cache key holds: a GPU-trained model is another training."""
        return f"gpu:{','.join(self.gpus)}" if self.kind == "gpu" else "cpu"

    def environment(self, environ=os.environ) -> dict:
        """The variables the training gets for this device."""
        if self.kind == "cpu":
            return {CUDA_VARIABLE: ""}  # TensorFlow sees no GPU at all
        # A user's choice of GPUs goes on; memory growth lets two xdist workers share one GPU
        # (TensorFlow otherwise takes nearly all its memory for the first process)
        env = {"TF_FORCE_GPU_ALLOW_GROWTH": "true"}
        if CUDA_VARIABLE in environ:
            env[CUDA_VARIABLE] = environ[CUDA_VARIABLE]
        return env


def probe(dev: Path = Path("/dev"), environ=os.environ, nvidia_smi: str | None = "",
          cuda_installed: bool | None = None) -> GpuProbe:
    """The NVIDIA GPUs TensorFlow would see here. nvidia_smi: its path ("" looks on PATH, None: not there)."""
    hidden = environ.get(CUDA_VARIABLE)
    if hidden is not None and hidden.strip() in ("", "-1"):
        return GpuProbe(why_none=f"{CUDA_VARIABLE}={hidden!r} hides every GPU")
    gpu_nodes = sorted((p for p in _list(dev) if re.fullmatch(r"nvidia\d+", p)), key=lambda n: int(n[6:]))
    if not gpu_nodes:
        return GpuProbe(why_none=f"no NVIDIA GPU or driver, no {dev}/nvidia0")
    if cuda_installed is None:
        cuda_installed = _cuda_installed()
    if not cuda_installed:
        return GpuProbe(why_none="an NVIDIA GPU is there, but TensorFlow's CUDA libraries are not installed: "
                                 "pip install \"tensorflow[and-cuda]\"")
    nodes = tuple(str(dev / n) for n in gpu_nodes + [c for c in NVIDIA_CONTROL_NODES if c in _list(dev)])
    names = _nvidia_smi_names(shutil.which("nvidia-smi") if nvidia_smi == "" else nvidia_smi)
    if names == ():
        return GpuProbe(why_none="nvidia-smi lists no GPU (is the NVIDIA driver loaded?)")
    return GpuProbe(names or tuple(f"NVIDIA GPU {dev}/{n}" for n in gpu_nodes), nodes)


def choose(requested: str = "", dev: Path = Path("/dev"), environ=os.environ, nvidia_smi: str | None = "",
           cuda_installed: bool | None = None) -> Device:
    """The device for `requested` (or $TFEXAM_DEVICE, or auto); DeviceUnavailable for a GPU there is not."""
    requested = requested or environ.get(DEVICE_VARIABLE) or "auto"
    if requested not in CHOICES:
        raise DeviceUnavailable(f"unknown device {requested!r}: choose one of {', '.join(CHOICES)}")
    if requested == "cpu":
        return Device("cpu", requested)
    found = probe(dev, environ, nvidia_smi, cuda_installed)
    if found.found:
        return Device("gpu", requested, found.names, found.nodes)
    if requested == "gpu":
        raise DeviceUnavailable(f"no GPU is visible to TensorFlow here ({found.why_none}); "
                                "use --device cpu or auto")
    return Device("cpu", requested, why=found.why_none)


def _list(dev: Path) -> list[str]:
    try:
        return os.listdir(dev)
    except OSError:
        return []


def _cuda_installed() -> bool:
    """TensorFlow's pip wheels find CUDA in these packages; a system-wide cuDNN counts too."""
    for name in CUDA_DISTRIBUTIONS:
        try:
            importlib.metadata.version(name)
            return True
        except importlib.metadata.PackageNotFoundError:
            continue
    try:
        return b"libcudnn.so" in Path("/etc/ld.so.cache").read_bytes()
    except OSError:
        return False


def _nvidia_smi_names(command: str | None) -> tuple[str, ...] | None:
    """The GPUs nvidia-smi -L lists (() for none), or None where it cannot tell (absent, hung, failed to start)."""
    if not command:
        return None
    try:
        listed = subprocess.run([command, "-L"], capture_output=True, text=True, timeout=NVIDIA_SMI_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if listed.returncode != 0:
        return ()
    # "GPU 0: NVIDIA GeForce RTX 3060 (UUID: GPU-...)"; a format it does not know: it cannot tell
    names = tuple(m.group(1) for m in re.finditer(r"^GPU \d+: (.+?)(?: \(UUID: [^)]*\))?$", listed.stdout, re.M))
    return names or None
