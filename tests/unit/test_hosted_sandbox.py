"""`tfexam sandbox-setup`: the namespaces sandbox on a hosted runner whose AppArmor restricts user
namespaces. Its decisions over observed facts, the commands that carry them out (against a stand-in
sudo), and the command run for real on this machine, which changes nothing without its options."""
import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from tfexam.sandbox import host_setup, isolation
from tfexam.sandbox.host_setup import Facts, Options, decide, gave_up, granted

UNSHARE_PROBLEM = "this kernel does not let this user make namespaces (unshare: write failed /proc/self/uid_map)"
# An ubuntu-24.04 runner: the probe fails, AppArmor restricts user namespaces, sudo needs no password
RUNNER = Facts(problem=UNSHARE_PROBLEM, restricted=True, container="", unshare="/usr/bin/unshare",
               parser="/usr/sbin/apparmor_parser", root=False, sudo=True)


def replaced(facts: Facts, **changes) -> Facts:
    return Facts(**{**facts.__dict__, **changes})


def test_where_the_probe_passes_nothing_is_granted_whatever_was_asked():
    for facts in (replaced(RUNNER, problem=""), replaced(RUNNER, problem="", restricted=False)):
        plan = decide(facts, Options(grant="profile"))
        assert (plan.grant, plan.give_up_sudo) == ("", False)
        assert plan.message == "the namespaces sandbox works here (the grader's probe passes): nothing to grant"


def test_on_a_restricted_runner_with_sudo_grant_makes_a_profile_for_unshare_alone():
    plan = decide(RUNNER, Options(grant="profile"))
    assert plan.grant == "profile"
    assert f"AppArmor restricts unprivileged user namespaces ({host_setup.RESTRICTION} is 1)" in plan.message
    assert f"granting: {host_setup.PROFILE} grants userns to /usr/bin/unshare alone" in plan.message
    assert "the documented alternative, --grant sysctl" in plan.message


def test_grant_sysctl_lifts_the_restriction_for_every_program_and_says_so():
    plan = decide(RUNNER, Options(grant="sysctl"))
    assert plan.grant == "sysctl"
    assert f"sudo -n sysctl -w {host_setup.SYSCTL}=0 (every program may now make user namespaces" in plan.message


def assert_falls_back(plan, *says):
    assert plan.grant == ""
    assert "grading falls back to the process sandbox (its report header says so)" in plan.message
    for text in says:
        assert text in plan.message


def test_without_grant_it_falls_back_and_names_the_option():
    assert_falls_back(decide(RUNNER, Options(), prog="python -m tfexam"), UNSHARE_PROBLEM,
                      "run `python -m tfexam sandbox-setup --grant` where sudo needs no password")


def test_without_passwordless_sudo_it_falls_back_and_says_who_can_grant():
    assert_falls_back(decide(replaced(RUNNER, sudo=False), Options(grant="profile")),
                      "--grant needs passwordless sudo, and `sudo -n true` fails here",
                      "have an administrator load the profile of docs/sandbox.md for /usr/bin/unshare")


def test_in_a_container_nothing_is_granted_even_with_the_restriction_and_sudo():
    plan = decide(replaced(RUNNER, container="/.dockerenv exists"), Options(grant="profile"))
    assert_falls_back(plan, "this is a container (/.dockerenv exists)", "Docker's default blocks unshare",
                      "run the job on the runner itself, not in a container")


def test_where_apparmor_is_not_the_cause_there_is_nothing_to_grant():
    plan = decide(replaced(RUNNER, restricted=False), Options(grant="profile"))
    assert_falls_back(plan, f"AppArmor's restriction is not the cause ({host_setup.RESTRICTION} is absent or 0)")


def test_an_unshare_root_does_not_own_gets_no_profile_but_the_sysctl_still_works():
    facts = replaced(RUNNER, unshare="/home/runner/bin/unshare",
                     unshare_problem="/home/runner/bin/unshare is not root's alone (owner uid 1001, mode 755)")
    assert_falls_back(decide(facts, Options(grant="profile")), "a profile for it would let whoever can replace it",
                      "Put util-linux's root-owned unshare first on PATH")
    assert decide(facts, Options(grant="sysctl")).grant == "sysctl"


def test_without_apparmor_parser_the_profile_falls_back_and_names_the_sysctl():
    assert_falls_back(decide(replaced(RUNNER, parser=""), Options(grant="profile")),
                      "apparmor_parser is not installed", "Install apparmor, or pass --grant sysctl")


def test_without_unshare_there_is_nothing_to_grant_it_to():
    facts = replaced(RUNNER, problem="util-linux's unshare is not installed", unshare="")
    assert_falls_back(decide(facts, Options(grant="sysctl")), "Install util-linux, then run this again")


def test_a_grant_is_judged_by_the_probe_after_it():
    assert granted("profile", "", "") == (
        "granted: the namespaces sandbox works here now (the grader's own probe passes)", 0)
    message, code = granted("profile", "", UNSHARE_PROBLEM)
    assert code == 1 and f"granted, but the namespaces sandbox still cannot run: {UNSHARE_PROBLEM}" in message
    assert message.endswith("Try --grant sysctl, the documented alternative (docs/sandbox.md)")
    message, code = granted("sysctl", "sudo -n sysctl ... exited 1: permission denied", "")
    assert code == 1 and message.startswith("the grant failed: sudo -n sysctl ... exited 1: permission denied;")


def test_giving_up_sudo_follows_the_grant_or_the_fallback():
    for facts in (RUNNER, replaced(RUNNER, problem=""), replaced(RUNNER, container="/.dockerenv exists")):
        for options in (Options(give_up_sudo=True), Options(grant="profile", give_up_sudo=True)):
            plan = decide(facts, options)
            assert (plan.give_up_sudo, plan.sudo_note) == (True, "")


def test_giving_up_sudo_that_is_not_there_or_as_root_says_why_there_is_nothing_to_do():
    plan = decide(replaced(RUNNER, sudo=False), Options(give_up_sudo=True))
    assert not plan.give_up_sudo and "sudo already needs a password here" in plan.sudo_note
    plan = decide(replaced(RUNNER, root=True), Options(give_up_sudo=True))
    assert not plan.give_up_sudo and plan.sudo_note.startswith("running as root: there is no sudo to give up")


def test_sudo_given_up_is_checked_by_trying_it_again():
    removed = ["/etc/sudoers.d/runner"]
    assert gave_up(removed, "", False, "runner") == (
        "gave up sudo: removed /etc/sudoers.d/runner; `sudo -n true` now fails, so no later step can become "
        "root by it", 0)
    message, code = gave_up(removed, "", True, "runner")
    assert code == 1 and "still works after removing /etc/sudoers.d/runner: a rule elsewhere grants it" in message
    message, code = gave_up([], "", True, "runner")
    assert code == 1 and "no file of /etc/sudoers.d grants runner NOPASSWD by name or group" in message
    assert gave_up(removed, "sudo -n rm exited 1: read-only", False, "runner")[1] == 1


def test_the_sudoers_rules_that_grant_a_user_nopasswd():
    names = {"runner", "%docker"}
    assert host_setup.grants_nopasswd("runner ALL=(ALL) NOPASSWD:ALL\n", names)  # a GitHub runner's
    assert host_setup.grants_nopasswd("# a comment\n%docker ALL=(ALL:ALL) NOPASSWD: ALL\n", names)
    assert not host_setup.grants_nopasswd("runner ALL=(ALL) ALL\n", names)  # asks for the password
    assert not host_setup.grants_nopasswd("admin ALL=(ALL) NOPASSWD:ALL\n# runner ALL=(ALL) NOPASSWD:ALL\n", names)
    assert not host_setup.grants_nopasswd("Defaults:runner !requiretty NOPASSWD\n", names)


@pytest.mark.parametrize("marker, environ, cgroup, hint", [
    (".dockerenv", {}, "0::/\n", "/.dockerenv exists"),
    ("run/.containerenv", {}, "0::/\n", "/run/.containerenv exists"),
    ("", {"container": "podman"}, "0::/\n", "$container is podman"),
    ("", {}, "12:pids:/docker/0123abcd\n", "/proc/1/cgroup names docker"),
    ("", {}, "0::/init.scope\n", ""),
])
def test_a_container_is_told_by_its_markers(tmp_path, marker, environ, cgroup, hint):
    (tmp_path / "proc" / "1").mkdir(parents=True)
    (tmp_path / "proc" / "1" / "cgroup").write_text(cgroup)
    if marker:
        (tmp_path / marker).parent.mkdir(exist_ok=True)
        (tmp_path / marker).touch()
    assert host_setup.container_hint(tmp_path, environ) == hint


def test_the_restriction_is_on_only_where_its_file_reads_1(tmp_path):
    flag = tmp_path / "apparmor_restrict_unprivileged_userns"
    assert not host_setup.restricted(flag)
    flag.write_text("0\n")
    assert not host_setup.restricted(flag)
    flag.write_text("1\n")
    assert host_setup.restricted(flag)


def test_the_profile_grants_userns_to_one_path_and_nothing_else():
    text = host_setup.profile_text("/usr/bin/unshare")
    assert "profile tfexam-unshare /usr/bin/unshare flags=(unconfined) {\n  userns,\n}\n" in text
    assert "abi <abi/4.0>," in text


# The commands, against a stand-in sudo that logs what it is asked and runs it as this user

@pytest.fixture
def stand_in_sudo(tmp_path, monkeypatch):
    """A `sudo` first on PATH that logs its arguments and runs the command; `sudo -n true` works while
    the file `granting` is in the stand-in /etc/sudoers.d."""
    sudoers, bin_dir, log = tmp_path / "sudoers.d", tmp_path / "bin", tmp_path / "sudo.log"
    sudoers.mkdir()
    bin_dir.mkdir()
    (bin_dir / "sudo").write_text(f"""#!/bin/sh
echo "$*" >> {log}
[ "$1" = -K ] && exit 0
[ "$1" = -n ] && shift
[ "$1" = true ] && exec test -e {sudoers}/granting
exec "$@"
""")
    (bin_dir / "apparmor_parser").write_text(f"#!/bin/sh\necho apparmor_parser \"$*\" >> {log}\n")
    for script in bin_dir.iterdir():
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(host_setup, "_is_root", lambda: False)
    monkeypatch.setattr(host_setup, "SUDOERS_DIR", sudoers)
    monkeypatch.setattr(host_setup, "PROFILE", tmp_path / "apparmor.d" / "tfexam-unshare")
    (tmp_path / "apparmor.d").mkdir()
    return sudoers, bin_dir, log


def test_the_profile_is_written_and_loaded_through_sudo(stand_in_sudo):
    _, bin_dir, log = stand_in_sudo
    facts = replaced(RUNNER, parser=str(bin_dir / "apparmor_parser"))
    assert host_setup.grant(facts, "profile") == ""
    assert host_setup.PROFILE.read_text() == host_setup.profile_text("/usr/bin/unshare")
    assert log.read_text().splitlines() == [f"-n tee {host_setup.PROFILE}",
                                            f"-n {bin_dir}/apparmor_parser -r {host_setup.PROFILE}",
                                            f"apparmor_parser -r {host_setup.PROFILE}"]


def test_a_grant_whose_command_fails_says_which_and_why(stand_in_sudo):
    _, bin_dir, _ = stand_in_sudo
    (bin_dir / "apparmor_parser").write_text("#!/bin/sh\necho 'AppArmor parser error: bad abi' >&2\nexit 1\n")
    error = host_setup.grant(replaced(RUNNER, parser=str(bin_dir / "apparmor_parser")), "profile")
    assert error.endswith(f"apparmor_parser -r {host_setup.PROFILE} exited 1: AppArmor parser error: bad abi")


def test_giving_up_sudo_removes_only_the_files_that_grant_this_user_nopasswd(stand_in_sudo):
    sudoers, _, log = stand_in_sudo
    user = pwd.getpwuid(os.getuid()).pw_name
    (sudoers / "granting").write_text(f"{user} ALL=(ALL) NOPASSWD:ALL\n")
    (sudoers / "someone").write_text("someone ALL=(ALL) NOPASSWD:ALL\n")
    (sudoers / "README").write_text("# files here are read by sudo\n")
    assert host_setup.give_up_sudo() == ([str(sudoers / "granting")], "", False, user)
    assert sorted(p.name for p in sudoers.iterdir()) == ["README", "someone"]
    assert f"-n rm -f {sudoers}/granting" in log.read_text().splitlines()


def test_sudo_that_still_works_after_giving_it_up_is_reported(stand_in_sudo):
    sudoers, _, _ = stand_in_sudo
    (sudoers / "granting").write_text("%wheel ALL=(ALL) ALL\n")  # not this user's NOPASSWD: left alone
    files, error, still_works, user = host_setup.give_up_sudo()
    assert (files, error, still_works) == ([], "", True)
    assert gave_up(files, error, still_works, user)[1] == 1


def test_the_command_grants_then_probes_again(monkeypatch, capsys):
    monkeypatch.setattr(host_setup, "observe", lambda options: RUNNER)
    made = []
    monkeypatch.setattr(host_setup, "grant", lambda facts, kind: made.append(kind) or "")
    monkeypatch.setattr(host_setup, "probe", lambda: "")
    assert host_setup.main(Options(grant="profile"), prog="tfexam") == 0
    assert made == ["profile"]
    assert capsys.readouterr().out.splitlines()[-1] == (
        "tfexam sandbox-setup: granted: the namespaces sandbox works here now (the grader's own probe passes)")
    monkeypatch.setattr(host_setup, "probe", lambda: UNSHARE_PROBLEM)
    assert host_setup.main(Options(grant="profile"), prog="tfexam") == 1
    assert "granted, but the namespaces sandbox still cannot run" in capsys.readouterr().err


def test_the_command_gives_up_sudo_after_a_failed_grant_and_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(host_setup, "observe", lambda options: RUNNER)
    monkeypatch.setattr(host_setup, "grant", lambda facts, kind: "apparmor_parser exited 1: bad abi")
    monkeypatch.setattr(host_setup, "give_up_sudo", lambda: (["/etc/sudoers.d/runner"], "", False, "runner"))
    assert host_setup.main(Options(grant="profile", give_up_sudo=True)) == 1
    out, err = capsys.readouterr()
    assert "the grant failed: apparmor_parser exited 1: bad abi" in err
    assert "gave up sudo: removed /etc/sudoers.d/runner" in out


# The command for real on this machine: without options it only observes

def test_the_command_says_what_this_machine_allows():
    done = subprocess.run([sys.executable, "-m", "tfexam", "sandbox-setup"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    problem = isolation.namespaces_problem()
    if problem:
        assert f"the namespaces sandbox cannot run here: {problem}" in done.stdout
        assert "grading falls back to the process sandbox" in done.stdout
    else:
        assert done.stdout == ("python -m tfexam sandbox-setup: the namespaces sandbox works here "
                               "(the grader's probe passes): nothing to grant\n")


def test_the_command_starts_no_tensorflow():
    code = ("import sys; from tfexam.__main__ import main; main(['sandbox-setup']); "
            "sys.exit('tensorflow' in sys.modules or 'keras' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_unknown_grant_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "tfexam", "sandbox-setup", "--grant", "docker"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "invalid choice: 'docker' (choose from 'profile', 'sysctl')" in done.stderr


def test_unshare_is_found_resolved_and_checked_for_its_owner():
    path, problem = host_setup.unshare_binary()
    if not path:
        pytest.skip("no unshare on this machine")
    assert Path(path) == Path(path).resolve() and Path(path).name == "unshare"
    owned = Path(path).stat().st_uid == 0 and not Path(path).stat().st_mode & 0o022
    assert (problem == "") == owned
