"""`tfexam sandbox-setup`: make the namespaces sandbox possible on this machine before any student code
runs, or say exactly why grading will fall back to the process sandbox.

GitHub's ubuntu-24.04 runners restrict unprivileged user namespaces with AppArmor
(/proc/sys/kernel/apparmor_restrict_unprivileged_userns reads 1), and give passwordless sudo. With
--grant this step loads a per-path AppArmor profile that grants `userns` to the one root-owned
unshare the sandbox runs (Ubuntu's documented way; --grant sysctl turns the restriction off for every
program, the documented alternative), probes again, and with --give-up-sudo then removes the
passwordless sudo, so no later step can become root by it.

Its parts: observe() gathers the facts, decide() is what to do about them (a pure function, as are
granted() and gave_up()), and grant() and give_up_sudo() carry the decision out. Falling back is not
an error: grading goes on in the process sandbox, whose report header says so. It exits 1 only where
a change it made did not work (docs/sandbox.md).
"""
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tfexam.sandbox import isolation

RESTRICTION = Path("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
SYSCTL = "kernel.apparmor_restrict_unprivileged_userns"
PROFILE_NAME = "tfexam-unshare"
PROFILE = Path("/etc/apparmor.d") / PROFILE_NAME
SUDOERS_DIR = Path("/etc/sudoers.d")
TIMEOUT_SECONDS = 60
FALLBACK = "grading falls back to the process sandbox (its report header says so)"


@dataclass(frozen=True)
class Options:
    """What the command was asked to do."""
    grant: str = ""  # "", "profile" or "sysctl"
    give_up_sudo: bool = False


@dataclass(frozen=True)
class Facts:
    """What this machine is like, as observe() found it."""
    problem: str  # isolation.namespaces_problem(): '' where the namespaces sandbox works
    restricted: bool  # AppArmor restricts unprivileged user namespaces
    container: str  # what shows this is a container, or ''
    unshare: str = ""  # the resolved path of the unshare the sandbox runs, or ''
    unshare_problem: str = ""  # why a profile must not name it (not root's), or ''
    parser: str = ""  # apparmor_parser's path, or ''
    root: bool = False
    sudo: bool | None = None  # `sudo -n true` works; None: not asked, as no option needed it


@dataclass(frozen=True)
class Plan:
    """What decide() chose: the message to print now, the grant to make ('' for none), and whether to
    give up sudo."""
    message: str
    grant: str = ""
    give_up_sudo: bool = False
    sudo_note: str = ""  # why --give-up-sudo has nothing to do, where it has not


def decide(facts: Facts, options: Options, prog: str = "tfexam") -> Plan:
    """What to do about these facts, and what to say."""
    message, kind = _namespaces_choice(facts, options, prog)
    give_up, sudo_note = _sudo_choice(facts, options)
    return Plan(message, kind, give_up, sudo_note)


def _namespaces_choice(facts: Facts, options: Options, prog: str) -> tuple[str, str]:
    """What to say about the namespaces sandbox, and the grant to make ('' for none)."""
    if not facts.problem:
        return "the namespaces sandbox works here (the grader's probe passes): nothing to grant", ""
    cannot = f"the namespaces sandbox cannot run here: {facts.problem}"
    if facts.container:
        return (f"{cannot}; this is a container ({facts.container}): its seccomp profile (Docker's default "
                f"blocks unshare) cannot be lifted from inside it: {FALLBACK}. To grade in namespaces, run the "
                "job on the runner itself, not in a container"), ""
    if not facts.restricted:
        return (f"{cannot}; AppArmor's restriction is not the cause ({RESTRICTION} is absent or 0), so there "
                f"is nothing to grant: {FALLBACK}. To grade in namespaces, allow this user unprivileged user "
                "namespaces or install util-linux's unshare (docs/sandbox.md)"), ""
    restricted = f"{cannot}: AppArmor restricts unprivileged user namespaces ({RESTRICTION} is 1)"
    refusal = _refusal(facts, options, prog)
    if refusal:
        return f"{restricted}; {refusal}", ""
    return f"{restricted}; granting: {_grant_text(facts, options.grant)}", options.grant


def _refusal(facts: Facts, options: Options, prog: str) -> str:
    """Why a grant cannot be made, or '' where it can; each reason ends in its fix."""
    if not options.grant:
        return (f"{FALLBACK}. To grade in namespaces, run `{prog} sandbox-setup --grant` where sudo needs no "
                f"password (GitHub-hosted runners): a per-path AppArmor profile lets {facts.unshare or 'unshare'} "
                "alone make them")
    if not facts.sudo:
        return (f"--grant needs passwordless sudo, and `sudo -n true` fails here: {FALLBACK}. To grade in "
                f"namespaces, have an administrator load the profile of docs/sandbox.md for "
                f"{facts.unshare or 'unshare'} (sudo apparmor_parser -r {PROFILE})")
    if not facts.unshare:
        return f"util-linux's unshare is not installed: {FALLBACK}. Install util-linux, then run this again"
    if options.grant == "profile" and facts.unshare_problem:
        return (f"{facts.unshare_problem}, so a profile for it would let whoever can replace it make namespaces: "
                f"{FALLBACK}. Put util-linux's root-owned unshare first on PATH, then run this again")
    if options.grant == "profile" and not facts.parser:
        return (f"apparmor_parser is not installed: {FALLBACK}. Install apparmor, or pass --grant sysctl "
                "(the restriction off for every program)")
    return ""


def _grant_text(facts: Facts, grant: str) -> str:
    if grant == "sysctl":
        return (f"sudo -n sysctl -w {SYSCTL}=0 (every program may now make user namespaces; --grant alone "
                f"grants only {facts.unshare})")
    return (f"{PROFILE} grants userns to {facts.unshare} alone, loaded with sudo -n apparmor_parser -r "
            f"(the documented alternative, --grant sysctl, lifts the restriction for every program)")


def _sudo_choice(facts: Facts, options: Options) -> tuple[bool, str]:
    """Whether to give up sudo, and why not where it was asked and there is nothing to give up."""
    if not options.give_up_sudo:
        return False, ""
    if facts.root:
        return False, ("running as root: there is no sudo to give up; grade as an ordinary user for "
                       "--give-up-sudo to mean anything")
    if not facts.sudo:
        return False, "sudo already needs a password here (`sudo -n true` fails): nothing to give up"
    return True, ""


def granted(grant: str, error: str, problem_after: str) -> tuple[str, int]:
    """What to say, and the exit code, once a grant was made: its error or the probe's answer after it."""
    fix = ("Try --grant sysctl, the documented alternative" if grant == "profile"
           else "AppArmor's restriction is not all that stops them here")
    if error:
        return f"the grant failed: {error}; {FALLBACK}. {fix} (docs/sandbox.md)", 1
    if problem_after:
        return (f"granted, but the namespaces sandbox still cannot run: {problem_after}; {FALLBACK}. "
                f"{fix} (docs/sandbox.md)", 1)
    return "granted: the namespaces sandbox works here now (the grader's own probe passes)", 0


def gave_up(removed: list[str], error: str, sudo_still_works: bool, user: str) -> tuple[str, int]:
    """What to say, and the exit code, once sudo was given up."""
    if error:
        return f"could not give up sudo: {error}; remove {user}'s passwordless sudo before any student code runs", 1
    if sudo_still_works:
        where = f"after removing {', '.join(removed)}" if removed else \
            f"and no file of {SUDOERS_DIR} grants {user} NOPASSWD by name or group"
        return (f"`sudo -n true` still works {where}: a rule elsewhere grants it (`sudo -l` lists it); "
                "remove it in the workflow before any student code runs", 1)
    return (f"gave up sudo: removed {', '.join(removed) or 'nothing'}; `sudo -n true` now fails, so no later "
            "step can become root by it", 0)


def grants_nopasswd(text: str, names: set[str]) -> bool:
    """True where a sudoers file's text lets one of `names` (a user, or %group) run sudo without a password."""
    for line in text.splitlines():
        fields = line.split()
        if fields and not fields[0].startswith(("#", "Defaults")) and fields[0] in names and "NOPASSWD" in line:
            return True
    return False


def container_hint(root: Path = Path("/"), environ: Mapping[str, str] | None = None) -> str:
    """What shows this is a container ('/.dockerenv exists', ...), or ''."""
    environ = os.environ if environ is None else environ
    for marker in (".dockerenv", "run/.containerenv"):
        if (root / marker).exists():
            return f"/{marker} exists"
    if environ.get("container"):
        return f"$container is {environ['container']}"
    try:
        cgroup = (root / "proc/1/cgroup").read_text()
    except OSError:
        cgroup = ""
    found = [word for word in ("docker", "kubepods", "containerd", "libpod", "lxc") if word in cgroup]
    return f"/proc/1/cgroup names {found[0]}" if found else ""


def restricted(path: Path = RESTRICTION) -> bool:
    """True where AppArmor restricts unprivileged user namespaces (Ubuntu 24.04's default)."""
    try:
        return path.read_text().strip() == "1"
    except OSError:
        return False


def unshare_binary() -> tuple[str, str]:
    """The resolved path of the unshare the sandbox runs ('' if none), and why no profile should name it."""
    found = shutil.which(isolation.UNSHARE[0])
    if found is None:
        return "", ""
    path = Path(found).resolve()
    status = path.stat()
    if status.st_uid != 0 or status.st_mode & 0o022:
        return str(path), f"{path} is not root's alone (owner uid {status.st_uid}, mode {status.st_mode & 0o777:o})"
    return str(path), ""


def _is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


def sudo_works() -> bool:
    """True where sudo runs a command without asking for a password (or this is root)."""
    if _is_root():
        return True
    try:
        return subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=TIMEOUT_SECONDS).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def probe() -> str:
    """isolation.namespaces_problem() asked afresh, not from its cache."""
    isolation.namespaces_problem.cache_clear()
    return isolation.namespaces_problem()


def observe(options: Options) -> Facts:
    """The facts decide() needs; sudo is tried only where an option needs it."""
    problem = probe()
    unshare, unshare_problem = unshare_binary()
    parser = shutil.which("apparmor_parser", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    needs_sudo = bool(options.grant and problem) or options.give_up_sudo
    return Facts(problem, restricted(), container_hint(), unshare, unshare_problem, parser or "", _is_root(),
                 sudo_works() if needs_sudo else None)


def _as_root(command: list[str], text: str | None = None) -> tuple[str, str]:
    """Run `command` as root (through sudo -n unless this is root): its output, and '' where it worked,
    else why not."""
    full = command if _is_root() else ["sudo", "-n", *command]
    try:
        done = subprocess.run(full, input=text, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        return "", f"{' '.join(full)}: {error}"
    if done.returncode != 0:
        return "", f"{' '.join(full)} exited {done.returncode}: {(done.stderr.strip().splitlines() or [''])[-1]}"
    return done.stdout, ""


def profile_text(unshare: str) -> str:
    """The AppArmor profile that lets `unshare`, and nothing else, make user namespaces."""
    return (f"# Written by `tfexam sandbox-setup --grant` (docs/sandbox.md): lets {unshare}, and no other program,\n"
            "# make the user namespaces of tfexam's namespaces sandbox where AppArmor restricts them.\n"
            "abi <abi/4.0>,\ninclude <tunables/global>\n\n"
            f"profile {PROFILE_NAME} {unshare} flags=(unconfined) {{\n  userns,\n}}\n")


def grant(facts: Facts, kind: str) -> str:
    """Make the grant: '' where its commands worked, else why not."""
    if kind == "sysctl":
        return _as_root(["sysctl", "-w", f"{SYSCTL}=0"])[1]
    return (_as_root(["tee", str(PROFILE)], profile_text(facts.unshare))[1]
            or _as_root([facts.parser, "-r", str(PROFILE)])[1])


def _user_names() -> tuple[str, set[str]]:
    """This user's name, and the names a sudoers rule could give it by: the name and %group of each group."""
    import grp
    import pwd  # not on Windows, where this command only says that namespaces are Linux's
    user = pwd.getpwuid(os.getuid()).pw_name
    groups = {grp.getgrgid(gid).gr_name for gid in os.getgrouplist(user, os.getgid())}
    return user, {user} | {f"%{group}" for group in groups}


def sudoers_granting(names: set[str]) -> tuple[list[str], str]:
    """The files of /etc/sudoers.d that grant one of `names` NOPASSWD, and why not all could be read."""
    try:  # sudo reads no file whose name has a dot or ends in ~
        files = sorted(str(f) for f in SUDOERS_DIR.iterdir() if "." not in f.name and not f.name.endswith("~"))
    except OSError as error:
        return [], f"cannot list {SUDOERS_DIR}: {error}"
    found: list[str] = []
    for name in files:
        text, problem = _as_root(["cat", name])
        if problem:
            return found, f"cannot read {name}: {problem}"
        if grants_nopasswd(text, names):
            found.append(name)
    return found, ""


def give_up_sudo() -> tuple[list[str], str, bool, str]:
    """Remove the files of /etc/sudoers.d that grant this user NOPASSWD, forget sudo's cached
    credentials, and try sudo again: the files removed, an error, whether it still works, the user."""
    user, names = _user_names()
    files, problem = sudoers_granting(names)
    if files and not problem:
        problem = _as_root(["rm", "-f", *files])[1]
    try:
        subprocess.run(["sudo", "-K"], capture_output=True, timeout=TIMEOUT_SECONDS)  # needs no password
    except (OSError, subprocess.TimeoutExpired):
        pass
    return files, problem, sudo_works(), user


def main(options: Options, prog: str = "tfexam") -> int:
    """Observe, decide, carry it out, and say what happened; the exit code."""
    facts = observe(options)
    plan = decide(facts, options, prog)
    _say(prog, plan.message)
    code = 0
    if plan.grant:
        message, code = granted(plan.grant, grant(facts, plan.grant), probe())
        _say(prog, message, code)
    if plan.give_up_sudo:
        message, failed = gave_up(*give_up_sudo())
        _say(prog, message, failed)
        code = code or failed
    elif plan.sudo_note:
        _say(prog, plan.sudo_note)
    return code


def _say(prog: str, message: str, code: int = 0) -> None:
    print(f"{prog} sandbox-setup: {message}", file=sys.stderr if code else sys.stdout, flush=True)
