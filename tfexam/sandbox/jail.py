"""Inside the training's namespaces: build the only filesystem it sees, then start it without privileges.

Run by the grader (isolation.py) as PID 1 of new user, mount, PID, IPC and network namespaces
made by util-linux's unshare, as `python -m tfexam.sandbox.jail PLAN.json`. This is trusted
code that runs before any of the learner's:

1. a size-limited tmpfs becomes the new root; the plan's read-only paths (the Python
   installation, the virtual environment, tfexam, the solution and its local modules, the
   datasets) are bound into it at their own paths, with /proc of the new PID namespace and a
   few devices; the old root is detached, so nothing else of the machine can be reached;
2. the training starts with no capabilities and no way to regain them (root of the user
   namespace only in name), with its process and file-size limits, in the plan's environment;
3. PID 1 reaps every process; when the training ends it kills whatever is left in the
   namespace and copies the files the grader reads out of the tmpfs, through a handle on the
   grader's folder taken before the pivot (the training never sees that folder).
"""
import ctypes
import json
import os
import platform
import resource
import signal
import stat
import sys
from pathlib import Path

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
# statvfs flags a read-only remount must keep: the kernel refuses to clear them in a user namespace
KEPT_FLAGS = {os.ST_NOSUID: MS_NOSUID, os.ST_NODEV: MS_NODEV, os.ST_NOEXEC: MS_NOEXEC,
              os.ST_NOATIME: 1024, os.ST_NODIRATIME: 2048, os.ST_RELATIME: 1 << 21}
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_SECUREBITS = 1, 4, 24, 28
PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4
# NOROOT, NO_SETUID_FIXUP and NO_CAP_AMBIENT_RAISE, each locked: exec as uid 0 grants nothing
SECUREBITS_NO_PRIVILEGE = 0b11101111
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
DEVICES = ("null", "zero", "full", "random", "urandom")
STATUS_FILE = "status.json"  # {"returncode": N}, negative for a signal as subprocess has it, or {"sandbox_error": ...}

_libc = ctypes.CDLL(None, use_errno=True)


def _checked(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    def encode(value):
        return value.encode() if isinstance(value, str) else value
    _checked(_libc.mount(encode(source), encode(str(target)), encode(fstype), ctypes.c_ulong(flags), encode(data)),
             f"mount {source} on {target}")


def _inside(root: Path, path: str) -> Path:
    return root / path.lstrip("/")


def _bind_read_only(root: Path, source: str, target: str) -> None:
    """source, read-only, at target inside root (a symlink is copied as a symlink)."""
    place = _inside(root, target)
    if os.path.lexists(place):  # already visible, inside a folder bound earlier
        return
    if os.path.islink(source):
        place.parent.mkdir(parents=True, exist_ok=True)
        place.symlink_to(os.readlink(source))
        return
    if os.path.isdir(source):
        place.mkdir(parents=True, exist_ok=True)
    elif os.path.exists(source):
        place.parent.mkdir(parents=True, exist_ok=True)
        place.touch()
    else:
        return
    _mount(source, place, None, MS_BIND | MS_REC)
    kept = sum(ms for st, ms in KEPT_FLAGS.items() if os.statvfs(place).f_flag & st)
    _mount(None, place, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | kept)


def _devices(root: Path, gpu_nodes: list[str]) -> None:
    """A few harmless devices, and with --device gpu the NVIDIA GPU's nodes (/dev/nvidia0, /dev/nvidiactl, ...)."""
    dev = root / "dev"
    dev.mkdir()
    # a GPU node gone since the grader looked is left out: TensorFlow will say so
    gpu_names = [Path(node).name for node in gpu_nodes if os.path.exists(f"/dev/{Path(node).name}")]
    for name in [*DEVICES, *gpu_names]:
        (dev / name).touch()
        _mount(f"/dev/{name}", dev / name, None, MS_BIND)
    (dev / "shm").mkdir(mode=0o1777)
    (dev / "shm").chmod(0o1777)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        (dev / name).symlink_to(target)


def build_root(plan: dict) -> None:
    """Mount the new root and pivot into it; afterwards only the plan's paths exist."""
    root = Path(plan["root"])
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={plan['write_limit_bytes']},mode=0755")
    for source, target in plan["read_only"]:
        _bind_read_only(root, source, target)
    (root / "proc").mkdir()
    _mount("proc", root / "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _devices(root, plan.get("devices", []))
    for folder in plan["writable"]:
        _inside(root, folder).mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(exist_ok=True)
    (root / "tmp").chmod(0o1777)
    old = root / ".old-root"
    old.mkdir()
    _checked(_libc.syscall(SYS_PIVOT_ROOT[platform.machine()], str(root).encode(), str(old).encode()), "pivot_root")
    os.chdir("/")
    _checked(_libc.umount2(b"/.old-root", MNT_DETACH), "detach the old root")
    os.rmdir("/.old-root")


def _drop_privileges(plan: dict) -> None:
    """In the training process before exec: no capabilities now or after exec, and its limits."""
    _checked(_libc.prctl(PR_SET_SECUREBITS, SECUREBITS_NO_PRIVILEGE, 0, 0, 0), "securebits")
    last_capability = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for capability in range(last_capability + 1):
        _checked(_libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0), "drop a capability")
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    _checked(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    resource.setrlimit(resource.RLIMIT_FSIZE, (plan["max_file_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _start_training(plan: dict) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            _drop_privileges(plan)
            os.chdir(plan["cwd"])
            os.execve(plan["argv"][0], plan["argv"], plan["env"])
        except BaseException as error:  # never return into PID 1's code
            print(f"tfexam sandbox: the training could not start: {error}", file=sys.stderr, flush=True)
        os._exit(127)
    return pid


def _wait_for(training: int) -> int:
    """Reap every process until the training ends; its returncode, negative for a signal."""
    while True:
        pid, status = os.wait()
        if pid == training:
            return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _end_namespace() -> None:
    """SIGKILL every other process of the namespace and reap them."""
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:  # nothing else was left
        pass
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def _copy_out(plan: dict, host_folder: int) -> None:
    """The grader's files, regular files only (each at most max_file_bytes, as the training could write it)."""
    for name in plan["copy_out"]:
        try:
            source = os.open(os.path.join(plan["out_dir"], name), os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        with open(source, "rb") as reader:
            if not stat.S_ISREG(os.fstat(reader.fileno()).st_mode):
                continue
            with open(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, dir_fd=host_folder), "wb") as writer:
                while chunk := reader.read(1 << 20):
                    writer.write(chunk)


def _report(host_folder: int, status: dict) -> None:
    with open(os.open(STATUS_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600, dir_fd=host_folder), "w") as f:
        json.dump(status, f)


def main(plan_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the grader's kill of unshare ends us
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the training can neither trace PID 1 nor open its files
    host_folder = os.open(plan["host_out_dir"], os.O_RDONLY | os.O_DIRECTORY)  # not inherited across exec
    try:
        build_root(plan)
    except OSError as error:  # the machine's, not the learner's: say so, and how to grade anyway
        _report(host_folder, {"sandbox_error": str(error)})
        return
    returncode = _wait_for(_start_training(plan))
    _end_namespace()
    _copy_out(plan, host_folder)
    _report(host_folder, {"returncode": returncode})


if __name__ == "__main__":
    main(sys.argv[1])
