"""Prints how many submissions an hour `tfexam class grade` grades; docs/maintainers/speed.md records the figures.

    python benchmarks/class_throughput.py [STUDENTS]

A class of STUDENTS (default 8) checkouts, each with the x-plus-6 reference under a comment of its
own (so no two are identical and none is graded from another's result), category 1 only, graded:
1. one pytest run per student, one after the other (`pytest assessments/basic --retrain` in each
   checkout: what an instructor does by hand);
2. `tfexam class grade --workers 1`, then `--workers 2` (1 training thread each on this 2-core machine);
3. `tfexam class grade --scheduler` on a Dask scheduler with two workers on localhost, each
   declaring one CPU.
Each into a fresh gradebook folder, so nothing is resumed. Nothing here asserts a time.
"""
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]  # tests/ first: its conftest, not the root one
from platforms.test_class_gradebook import dask_cluster, environment  # noqa: E402  the test's own cluster


def make_class(folder: Path, students: int) -> Path:
    submissions = folder / "submissions"
    reference = (ROOT / "solutions/x-plus-6.py").read_text()
    for number in range(students):
        checkout = submissions / f"student-{number:02d}"
        subprocess.run([sys.executable, "-m", "tfexam", "export-template", str(checkout)], cwd=ROOT, check=True,
                       capture_output=True)
        (checkout / "assessments/basic/solution.py").write_text(f"# student {number}\n{reference}")
    return submissions


def timed(command: list[str], cwd: Path) -> float:
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, env=environment(), check=True, capture_output=True)
    return time.monotonic() - started


def one_pytest_run_each(submissions: Path) -> float:
    return sum(timed([sys.executable, "-m", "pytest", "-q", "assessments/basic", "--retrain"], checkout)
               for checkout in sorted(submissions.iterdir()))


def class_grade(submissions: Path, out: Path, *where: str) -> float:
    return timed([sys.executable, "-m", "tfexam", "class", "grade", str(submissions), "--out", str(out),
                  "--categories", "basic", "--training-threads", "1", *where], out.parent)


def main(students: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tfexam-class-bench-") as scratch:
        folder = Path(scratch)
        submissions = make_class(folder, students)
        rows = [("one pytest run per student", one_pytest_run_each(submissions)),
                ("class grade --workers 1", class_grade(submissions, folder / "w1", "--workers", "1")),
                ("class grade --workers 2", class_grade(submissions, folder / "w2", "--workers", "2"))]
        with dask_cluster(folder, workers=2) as address:
            rows.append(("class grade --scheduler (Dask, 2 workers)",
                         class_grade(submissions, folder / "dask", "--scheduler", address)))
        shutil.rmtree(submissions)
    print(f"{students} submissions, category 1 (x-plus-6 reference), this machine:")
    print(f"{'how':<44} {'wall s':>7} {'submissions/hour':>17}")
    for how, seconds in rows:
        print(f"{how:<44} {seconds:>7.1f} {students * 3600 / seconds:>17.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
