"""Issue 16: a category trains on one xdist worker. Another dist mode is refused up front, and a
training marker names its owner, so that a live grader is not taken for a dead one."""
import configparser
import json
import os
import re
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from conftest import ROOT
from tfexam.grading.grade import GRADER_DIED, NotGraded, _attempt, _this_process
from tfexam.plugin.options import dist_mode_problem, refuse_other_dist_modes

OTHER_MODES = ("load", "loadscope", "loadfile", "worksteal", "each")


# --- the dist mode ------------------------------------------------------------------------------

@pytest.mark.parametrize("dist", OTHER_MODES)
def test_a_dist_mode_other_than_loadgroup_is_a_problem_naming_the_mode_and_the_fix(dist):
    assert dist_mode_problem(dist, ["popen", "popen"]) == (
        f"tfexam grades each category on one xdist worker and needs --dist loadgroup (got --dist {dist}): "
        "leave out --dist, or pass --dist loadgroup")


@pytest.mark.parametrize("dist, workers", [("loadgroup", ["popen", "popen"]), ("no", []), ("load", []),
                                           ("load", None)])
def test_loadgroup_or_no_distribution_at_all_is_fine(dist, workers):
    assert dist_mode_problem(dist, workers) is None


def _config(dist: str, *args: str, worker: bool = False):
    config = SimpleNamespace(option=SimpleNamespace(dist=dist, tx=["popen", "popen"]), args=list(args),
                             rootpath=ROOT)
    if worker:
        config.workerinput = {"workerid": "gw0"}
    return config


def test_a_grading_run_with_another_dist_mode_is_a_usage_error():
    with pytest.raises(pytest.UsageError, match=r"needs --dist loadgroup \(got --dist loadfile\)"):
        refuse_other_dist_modes(_config("loadfile", str(ROOT / "assessments" / "basic")))


@pytest.mark.parametrize("config", [
    _config("load", str(ROOT / "tests")),  # the harness's own tests grade nothing themselves
    _config("loadgroup", str(ROOT / "assessments")),
    _config("load", str(ROOT / "assessments"), worker=True),  # the controller has decided already
], ids=["harness-tests", "loadgroup", "on-a-worker"])
def test_runs_that_are_not_refused(config):
    refuse_other_dist_modes(config)


def test_the_project_default_is_loadgroup_so_leaving_out_dist_is_the_fix():
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    assert "--dist loadgroup" in ini["pytest"]["addopts"]


# --- the training marker's owner ----------------------------------------------------------------

def _write_owner(marker, **changes):
    marker.write_text(json.dumps(dict(_this_process(), **changes)))


def test_the_marker_names_this_process_while_it_trains_and_is_gone_after(tmp_path):
    marker = tmp_path / "basic.training"
    with _attempt(marker):
        owner = json.loads(marker.read_text())
    assert (owner["pid"], owner["host"]) == (os.getpid(), socket.gethostname())
    assert owner["started"] and owner["started"].isdigit()
    assert not marker.exists() and list(tmp_path.iterdir()) == []


def test_a_live_owner_is_another_grader_of_this_run_not_a_dead_one(tmp_path):
    marker = tmp_path / "basic.training"
    _write_owner(marker)  # this test's own process: alive
    with pytest.raises(NotGraded) as refused:
        with _attempt(marker):
            pytest.fail("trained while another grader trains the category")
    message = str(refused.value)
    assert f"another grading process of this run (pid {os.getpid()}) is training this category" in message
    assert "--dist loadgroup" in message and message != GRADER_DIED
    assert marker.exists()  # the live owner's marker is left to it


def _exited_process() -> tuple[int, str]:
    """The pid and start time of a process that has exited and been reaped."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    with open(f"/proc/{process.pid}/stat") as f:
        started = f.read().rsplit(")", 1)[1].split()[19]
    process.kill()
    process.wait()
    return process.pid, started


def _zombie() -> tuple[subprocess.Popen, str]:
    """A child that has exited but is not reaped yet (state Z), and its start time."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(f"/proc/{process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            return process, fields[19]
        time.sleep(0.01)
    raise AssertionError("the child did not exit")


def _assert_grader_died(marker):
    with pytest.raises(NotGraded, match=f"^{re.escape(GRADER_DIED)}$"):
        with _attempt(marker):
            pytest.fail("trained again after a grader died in this category")


def test_a_dead_owner_is_a_grader_that_died(tmp_path):
    pid, started = _exited_process()
    marker = tmp_path / "basic.training"
    _write_owner(marker, pid=pid, started=started)
    _assert_grader_died(marker)


def test_an_unreaped_owner_is_dead_too(tmp_path):
    zombie, started = _zombie()
    try:
        marker = tmp_path / "basic.training"
        _write_owner(marker, pid=zombie.pid, started=started)
        _assert_grader_died(marker)
    finally:
        zombie.wait()


@pytest.mark.parametrize("changes", [{"started": "1"}, {"host": "another-host"}],
                         ids=["pid-reused-by-a-later-process", "another-host"])
def test_a_live_pid_that_is_not_the_owner_is_a_grader_that_died(tmp_path, changes):
    marker = tmp_path / "basic.training"
    _write_owner(marker, **changes)  # this process's pid, but not the process that wrote the marker
    _assert_grader_died(marker)


def _this_process_but(**changes) -> str:
    return json.dumps({key: value for key, value in dict(_this_process(), **changes).items() if value is not None})


@pytest.mark.parametrize("content", [
    lambda: "", lambda: "garbage", lambda: "[1, 2]",
    lambda: _this_process_but(pid=str(os.getpid())), lambda: _this_process_but(pid=None),
], ids=["empty-older-grader", "not-json", "not-an-object", "pid-not-a-number", "no-pid"])
def test_an_unreadable_marker_is_a_grader_that_died(tmp_path, content):
    marker = tmp_path / "basic.training"
    marker.write_text(content())
    _assert_grader_died(marker)
