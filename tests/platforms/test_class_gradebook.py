"""`tfexam class grade`, for real: a generated class graded into a gradebook, interrupted halfway and
resumed without regrading what was done, then graded again on a Dask scheduler with two workers
started as separate processes, which gives the same gradebook. Category 1 only: each grading is
the grader's own pytest run in the sandbox, as in a class."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from conftest import FIXTURE_SOLUTIONS, ROOT, clean_environment

GRADE = [sys.executable, "-m", "tfexam", "class", "grade"]
SETTINGS = ["--categories", "basic", "--training-threads", "1"]  # the same content keys here and on Dask
DISTINCT = 4  # alice (and carol, her copy), bob, erin, frank: dave's zip is not one


def make_class(folder: Path) -> Path:
    """Six students as an instructor receives them: checkouts, a zip, exam-era files, a broken zip."""
    submissions = folder / "submissions"
    submissions.mkdir()
    for student, solution in (("alice", ROOT / "solutions/x-plus-6.py"), ("bob", None),
                              ("frank", ROOT / "fixtures/adversarial/raises.py")):
        subprocess.run([sys.executable, "-m", "tfexam", "export-template", str(submissions / student)], cwd=ROOT,
                       check=True, capture_output=True, timeout=120)
        if solution:  # bob leaves the stub as shipped
            shutil.copyfile(solution, submissions / student / "assessments/basic/solution.py")
    with zipfile.ZipFile(submissions / "carol.zip", "w") as archive:  # a copy of alice's, as a zip
        for path in (submissions / "alice").rglob("*"):
            archive.write(path, Path("carol-main") / path.relative_to(submissions / "alice"))
    (submissions / "dave.zip").write_bytes(b"PK\x03\x04 cut short by the upload")
    (submissions / "erin").mkdir()  # an exam-era file, named as the exam's starter named it
    shutil.copyfile(FIXTURE_SOLUTIONS / "exam_era/5x-plus-1.py", submissions / "erin/starter.py")
    return submissions


def environment() -> dict:
    return dict(clean_environment(), PYTHONPATH=str(ROOT), CI="true")  # CI: a line per grading, no bar


def units_of(out: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (out / "units").glob("*.json")}


def interrupt_after_the_first_grading(command: list[str], out: Path, cwd: Path) -> subprocess.CompletedProcess:
    process = subprocess.Popen(command, cwd=cwd, env=environment(), text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 600
    while not units_of(out) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in its terminal: the command and the graders it runs
    output, _ = process.communicate(timeout=300)
    return subprocess.CompletedProcess(command, process.returncode, output)


def book(out: Path) -> dict:
    return {row["student"]: row for row in json.loads((out / "gradebook.json").read_text())["students"]}


def test_a_class_is_graded_resumed_after_an_interrupt_and_graded_the_same_on_a_dask_cluster(tmp_path):
    submissions = make_class(tmp_path)
    out = tmp_path / "gradebook"
    command = [*GRADE, str(submissions), "--out", str(out), "--workers", "2", *SETTINGS]

    first = interrupt_after_the_first_grading(command, out, tmp_path)
    assert first.returncode == 130, first.stdout[-3000:]
    assert "interrupted; what was graded is kept" in first.stdout
    kept = units_of(out)
    assert 0 < len(kept) < DISTINCT, first.stdout[-3000:]

    second = subprocess.run(command, cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert (f"6 students, 5 gradings of {DISTINCT} distinct submissions: {len(kept)} graded already, "
            f"{DISTINCT - len(kept)} to grade") in second.stdout
    assert {name: units_of(out)[name] for name in kept} == kept  # what was graded was not graded again
    assert len(units_of(out)) == DISTINCT

    rows = book(out)
    assert list(rows) == ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert (rows["alice"]["basic_points"], rows["carol"]["basic_points"]) == (5, 5)
    assert (rows["alice"]["identical_to"], rows["carol"]["identical_to"]) == ("basic: carol", "basic: alice")
    assert rows["bob"]["basic_points"] == 0 and "not implemented yet" in rows["bob"]["basic_reason"]
    assert "dave.zip is not a zip tfexam can read" in rows["dave"]["problem"]
    assert rows["erin"]["basic_question"] == "5x-plus-1"  # recognised from what the exam-era file loads
    assert rows["frank"]["basic_points"] == 0 and "raised ValueError" in rows["frank"]["basic_reason"]
    csv_lines = (out / "gradebook.csv").read_text().splitlines()
    assert csv_lines[0].startswith("student,basic_question,basic_points,basic_reason,total") and len(csv_lines) == 7
    assert json.loads((out / "students/alice/results.json").read_text())["categories"]["basic"]["points"] == 5
    assert (out / "students/frank/report.html").is_file() and "data:image/png" in (out / "class.html").read_text()

    nobody = subprocess.run([*GRADE, str(submissions), "--out", str(tmp_path / "nowhere"), "--scheduler",
                             "tcp://127.0.0.1:9", *SETTINGS], cwd=tmp_path, env=environment(), capture_output=True,
                            text=True, timeout=60)  # the discard port: no scheduler answers there
    assert nobody.returncode == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in nobody.stderr
    assert "dask scheduler" in nobody.stderr and not (tmp_path / "nowhere").exists()

    on_dask = tmp_path / "gradebook-dask"
    with dask_cluster(tmp_path, workers=2) as address:
        third = subprocess.run([*GRADE, str(submissions), "--out", str(on_dask), "--scheduler", address, *SETTINGS],
                               cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=900)
    assert third.returncode == 0, third.stdout[-3000:] + third.stderr[-3000:]
    assert f"to grade on the Dask scheduler at {address}" in third.stdout
    assert book(on_dask) == rows


class dask_cluster:
    """`dask scheduler` and `dask worker` processes on localhost, each declaring one CPU, stopped at the end."""

    def __init__(self, folder: Path, workers: int):
        self.file, self.workers, self.processes = folder / "scheduler.json", workers, []

    def __enter__(self) -> str:
        dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
        self.processes.append(subprocess.Popen([*dask, "--scheduler-file", str(self.file), "--host", "127.0.0.1",
                                                "--port", "0", "--no-dashboard"], env=environment(),
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for number in range(self.workers):
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(self.file),
                 "--nthreads", "1", "--resources", "CPU=1", "--no-dashboard", "--name", f"worker-{number}"],
                env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client
        with Client(scheduler_file=str(self._wait_for_the_file()), timeout="30s") as client:
            client.wait_for_workers(self.workers, timeout=120)
            return client.scheduler.address

    def _wait_for_the_file(self) -> Path:
        deadline = time.monotonic() + 60
        while not self.file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.file

    def __exit__(self, *exception) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
