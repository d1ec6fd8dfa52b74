"""What a training process is allowed to see and do, and how that is enforced on this machine.

Two sandboxes:
- "namespaces" (Linux, where unprivileged user namespaces are allowed): the training runs in
  its own user, mount, PID, IPC and network namespaces (util-linux's unshare, then jail.py):
  no network device but a loopback that is down, a filesystem of read-only paths it needs and a
  size-limited writable tmpfs, no way to signal its grader, nothing it started outlives it.
- "process" (elsewhere): a process of its own session, the Python-level network gate
  (offline.py) and the same environment allow-list; the filesystem and network are the
  grading user's.
Both hold the training to its time budget and memory limit (runner.py).
"""
import ast
import functools
import json
import os
import shutil
import site
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tfexam
from tfexam.data import store, tfds_offline

SANDBOX_VARIABLE = "TFEXAM_SANDBOX"  # auto, namespaces or process: --sandbox's default
PASS_ENV_VARIABLE = "TFEXAM_SANDBOX_ENV"  # comma-separated names of further variables a training gets
MODES = ("auto", "namespaces", "process")
UNSHARE = ("unshare", "--user", "--map-root-user", "--mount", "--pid", "--ipc", "--net", "--fork", "--kill-child")
ENFORCED_BY_NAMESPACES = ("network namespace (no network at all)", "private read-only filesystem",
                          "PID namespace (cannot signal the grader; nothing outlives the training)",
                          "limits on processes and on what it writes")
# /etc holds secrets (shadow, keys): only what Python, TensorFlow and name lookups read
ETC_FILES = ("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf",
             "passwd", "group", "hosts", "host.conf", "ssl", "ca-certificates", "mime.types", "os-release", "fonts")
SYSTEM_PATHS = ("/usr", "/bin", "/lib", "/lib32", "/lib64", "/libx32", "/sbin", "/sys/devices/system/cpu")
DEFAULT_WRITE_LIMIT_BYTES = 2 * 1024 ** 3  # the tmpfs everything it writes goes to: zips, extracted images, the model
DEFAULT_MAX_PROCESSES = 256


@dataclass(frozen=True)
class Sandbox:
    """How trainings are confined: the mode in force and the limits only namespaces enforce."""
    mode: str  # "namespaces" or "process"
    write_limit_bytes: int = DEFAULT_WRITE_LIMIT_BYTES
    max_processes: int = DEFAULT_MAX_PROCESSES
    why_process: str = ""  # why namespaces are off, when they are

    def as_record(self) -> dict:
        """The results file's "sandbox"."""
        return {"mode": self.mode, "description": self.describe(),
                **({"why_process": self.why_process} if self.mode == "process" else {})}

    def describe(self) -> str:
        """The report header's line."""
        if self.mode == "namespaces":
            return (f"sandbox: namespaces (no network, read-only filesystem of its own, PID namespace, "
                    f"at most {self.max_processes} processes and {self.write_limit_bytes / 1024 ** 3:.3g} GiB "
                    "written, allow-listed environment)")
        return (f"sandbox: process only{' (' + self.why_process + ')' if self.why_process else ''}; OFF: "
                + "; ".join(ENFORCED_BY_NAMESPACES)
                + "; ON: time budget, memory limit, environment allow-list, Python-level network gate")


class SandboxUnavailable(Exception):
    """--sandbox namespaces on a machine that cannot make them; the message says why."""


@functools.lru_cache(maxsize=1)
def namespaces_problem() -> str:
    """'' where unshare can make the namespaces a training needs, else why not."""
    if not sys.platform.startswith("linux"):
        return f"namespaces are Linux's; this is {sys.platform}"
    if shutil.which("unshare") is None:
        return "util-linux's unshare is not installed"
    try:
        probe = subprocess.run([*UNSHARE, "--mount-proc", "true"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unshare failed: {error}"
    if probe.returncode != 0:
        detail = (probe.stderr.strip().splitlines() or ["no reason given"])[-1]
        return f"this kernel does not let this user make namespaces ({detail})"
    return ""


def choose(requested: str = "", memory_limit_scale: float = 1.0) -> Sandbox:
    """The sandbox for `requested` (or $TFEXAM_SANDBOX, or auto); SandboxUnavailable for an impossible one.

    What a training writes goes to a tmpfs, which is memory: --memory-limit-scale scales it too.
    """
    requested = requested or os.environ.get(SANDBOX_VARIABLE) or "auto"
    if requested not in MODES:
        raise SandboxUnavailable(f"unknown sandbox {requested!r}: choose one of {', '.join(MODES)}")
    write_limit = int(DEFAULT_WRITE_LIMIT_BYTES * memory_limit_scale)
    if requested == "process":
        return Sandbox("process", write_limit, why_process="as asked")
    problem = namespaces_problem()
    if problem and requested == "namespaces":
        raise SandboxUnavailable(f"the namespaces sandbox cannot run here: {problem}; "
                                 "use --sandbox process (fewer protections: docs/sandbox.md)")
    return Sandbox("process", write_limit, why_process=problem) if problem else Sandbox("namespaces", write_limit)


def base_environment(seed: int, home: str) -> dict:
    """The variables every training gets, whatever the grader's own environment holds (tokens, keys)."""
    env = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
           "HOME": home, "PYTHONHASHSEED": str(seed), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(Path(tfexam.__file__).resolve().parents[1]),
           "MPLCONFIGDIR": str(Path(home) / ".matplotlib")}
    passed: tuple[str, ...] = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", store.LAYOUT_COPIES_VAR)
    passed += tuple(filter(None, (name.strip() for name in os.environ.get(PASS_ENV_VARIABLE, "").split(","))))
    env.update({name: os.environ[name] for name in passed if name in os.environ})
    return env


def local_modules(solution: Path) -> list[Path]:
    """The solution's own modules in its folder that it imports, and theirs, found without running them."""
    found, pending = [], [solution]
    while pending:
        try:
            tree = ast.parse(pending.pop().read_bytes())
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):  # the training names the error
            continue
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for name in names:
                top = solution.parent / name.split(".")[0]
                for candidate in (top.with_suffix(".py"), top):
                    if candidate.exists() and candidate not in found:
                        found.append(candidate)
                        if candidate.suffix == ".py":
                            pending.append(candidate)
    return found


def _python_paths() -> list[str]:
    """The installation and the virtual environment, and installed packages' folders outside them;
    not other sys.path entries (the project's root, the current folder)."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, str(Path(sys.executable).parent)}
    installed = set(site.getsitepackages()) | {site.getusersitepackages()}
    installed |= {entry for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages")}
    paths = {p for p in prefixes | installed if os.path.isdir(p)}
    return sorted(paths | {str(Path(p).resolve()) for p in paths})


def _etc_paths() -> list[str]:
    return [f"/etc/{name}" for name in ETC_FILES if os.path.lexists(f"/etc/{name}")]


@dataclass
class Layout:
    """Where a training's files are, seen from inside the sandbox."""
    workdir: str
    out_dir: str
    cache_dir: str  # private and writable: the shared cache is read-only data only
    mirrors: list[str]


def inside_layout(host_scratch: Path) -> Layout:
    workdir = f"/tmp/{host_scratch.name}"
    return Layout(workdir, f"{workdir}/.tfexam-out", f"{workdir}/.tfexam-cache",
                  [str(f.resolve()) for f in store.mirror_dirs()] + [str(store.data_cache_dir().resolve())])


def _dataset_binds(layout: Layout) -> list[tuple[str, str]]:
    """The data the training may read: mirrors and the verified data cache, and each prepared tfds dataset."""
    binds = [(folder, folder) for folder in layout.mirrors if os.path.isdir(folder)]
    prepared = tfds_offline.data_dir()
    if prepared.is_dir():
        binds += [(str(d.resolve()), f"{layout.cache_dir}/tensorflow_datasets/{d.name}")
                  for d in prepared.iterdir() if d.is_dir() and not d.name.startswith(".") and tfds_offline.lendable(d)]
    return binds


def plan(sandbox: Sandbox, solution: Path, layout: Layout, host_root: Path, host_out: Path,
         argv: list[str], env: dict, copy_out: list[str], gpu_nodes: tuple[str, ...] = (),
         read_only: Sequence[str] = ()) -> dict:
    """jail.py's instructions for one training.

    read_only: further host folders it sees at their own paths, read-only (the grader's requests to it).

    gpu_nodes: the NVIDIA device nodes of --device gpu (device.py), bound into its /dev. The driver's
    user-space libraries (libcuda) are under /usr, and CUDA's pip packages in the environment,
    both already bound read-only; /proc/driver/nvidia is in the training's own /proc.
    """
    paths = [*SYSTEM_PATHS, *_etc_paths(), *_python_paths(), str(Path(tfexam.__file__).resolve().parent),
             str(solution), *map(str, local_modules(solution)), *read_only]
    binds = [(path, path) for path in dict.fromkeys(paths) if os.path.lexists(path)] + _dataset_binds(layout)
    return {"root": str(host_root), "host_out_dir": str(host_out), "read_only": binds,
            "writable": [layout.workdir, layout.out_dir, f"{layout.cache_dir}/tensorflow_datasets"],
            "out_dir": layout.out_dir, "copy_out": copy_out, "cwd": layout.workdir, "argv": argv, "env": env,
            "write_limit_bytes": sandbox.write_limit_bytes, "max_file_bytes": sandbox.write_limit_bytes,
            "devices": [node for node in gpu_nodes if node.startswith("/dev/nvidia")]}


def command(plan_file: Path, instructions: dict) -> list[str]:
    """The command that runs the training under jail.py in new namespaces."""
    plan_file.write_text(json.dumps(instructions))
    return [*UNSHARE, "--", sys.executable, "-m", "tfexam.sandbox.jail", str(plan_file)]

