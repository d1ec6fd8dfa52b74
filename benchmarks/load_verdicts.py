"""Does a busy machine change a verdict? Wall-clock against CPU-time budgets (issue 16).

    TFEXAM_DATA_DIR=/work/shared/datasets python benchmarks/load_verdicts.py
    python benchmarks/load_verdicts.py --questions x-plus-6 --hogs 2 --rounds 2 --threads 2

For each question (default: the reference solutions of x-plus-6 and fashion-mnist) it trains
the reference with the grader's runner (`tfexam.sandbox.runner.train`, threads=2: the whole
machine, as a serial run gets), once on an idle machine and once while --hogs CPU-bound
processes (`while True: pass`) run beside it, for --rounds rounds, and grades each saved model
the way the grader does (load_for_grading, the question's score and ladder). The budget passed
to train() is the question's budget times --budget-factor (default 3), so no training is
stopped and the natural times are measured. For each run it prints:

    wall s     wall-clock seconds of train() (the runner's own figure)
    cpu s      user+system CPU seconds of the training's whole process tree: the delta of
               getrusage(RUSAGE_CHILDREN) around train(). The runner waits for its child, so
               the child and every descendant it waited for are counted. (A descendant that was
               orphaned and killed by the runner's clean-up would be missed: the references
               start none.) The hogs are not our children: an intermediate process starts them
               in new sessions and exits at once, so they are reparented away and their CPU can
               never enter our RUSAGE_CHILDREN; they are killed by pid afterwards.
    cpu/wall   how many cores the training kept busy on average
    hog cores  the CPU the hogs got during the training (from /proc), per wall second:
               evidence that they really competed
    other      the CPU everything else on the machine used meanwhile (/proc/stat's busy time
               less the training's and the hogs'), per wall second: ~0 on a quiet machine; more
               means the "idle" run was not idle
    steal      CPU time the hypervisor gave to other guests, per wall second
    value, pts the metric on the held-out data and the ladder's points
    wall/cpu verdicts  what a wall budget (B s) and a CPU budget (B x threads CPU-s) decide

Then, per question, a "near-budget" check: a solution that needs the idle run's time plus
--margin (default 15%), i.e. a budget set just above what the idle run used, once on the wall
clock (idle wall x 1.15) and once in CPU time (idle cpu x 1.15). Would the loaded run still
fit? A budget whose verdict does not depend on load must say "fits" in both runs.

Nothing here asserts; the output is the evidence (docs/maintainers/speed.md and docs/sandbox.md record it).
"""
import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # quiet TensorFlow's start-up chatter when grading

from tfexam.grading.models import load_for_grading  # noqa: E402
from tfexam.questions import QUESTIONS  # noqa: E402
from tfexam.sandbox import runner  # noqa: E402
from tfexam.sandbox.spec import TrainingSpec  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Run by an intermediate process: start the hogs in sessions of their own, print their pids and
# exit without waiting, so the hogs are orphaned and never become children of this process.
SPAWN_HOGS = """
import subprocess, sys
pids = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid
        for _ in range(int(sys.argv[1]))]
print(" ".join(map(str, pids)), flush=True)
"""


def start_hogs(count: int) -> list[int]:
    """Pids of `count` CPU-bound processes that are not this process's children."""
    if count == 0:
        return []
    out = subprocess.run([sys.executable, "-c", SPAWN_HOGS, str(count)], capture_output=True, text=True,
                         check=True, start_new_session=True).stdout
    pids = [int(p) for p in out.split()]
    for pid in pids:
        assert parent_of(pid) != os.getpid(), f"hog {pid} is our child: its CPU would be counted"
    return pids


def stop_hogs(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rpartition(")")[2].split()[1])


def cpu_of(pids: list[int]) -> float:
    """user+system CPU seconds the processes have used so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            pass
    return total / CLOCK_TICKS


def machine_cpu() -> tuple[float, float]:
    """CPU seconds the whole machine has been busy (every process and the kernel), and stolen by the host."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq) / CLOCK_TICKS, steal / CLOCK_TICKS


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for_quiet(max_seconds: float, cores: float = 0.25) -> float:
    """Wait (at most max_seconds) until the machine's busy CPU over 2 s is under `cores`; the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < max_seconds:
        before = machine_cpu()[0]
        time.sleep(2)
        if (machine_cpu()[0] - before) / 2 < cores:
            break
    return time.monotonic() - started


def run_once(question, hogs: int, threads: int, seed: int, budget_factor: float, models: Path,
             quiet_wait: float) -> dict:
    """Train the question's reference (beside `hogs` hogs) and grade it."""
    waited = wait_for_quiet(quiet_wait)
    hog_pids = start_hogs(hogs)
    try:
        if hog_pids:
            time.sleep(1.0)  # let the hogs get going
        load_before = os.getloadavg()[0]
        hog_cpu_before, cpu_before, (busy_before, steal_before) = cpu_of(hog_pids), children_cpu(), machine_cpu()
        training = runner.train(question.reference, models / f"{question.id}-{hogs}-{time.monotonic_ns()}",
                                question.budget_seconds * budget_factor, TrainingSpec(seed=seed, threads=threads))
        cpu = children_cpu() - cpu_before
        hog_cpu = cpu_of(hog_pids) - hog_cpu_before
        busy_after, steal_after = machine_cpu()
    finally:
        stop_hogs(hog_pids)
    row = {"hogs": hogs, "wall": training.wall_seconds, "train": training.train_seconds, "cpu": cpu,
           "hog_cores": hog_cpu / training.wall_seconds, "load": load_before, "waited": waited,
           # whatever else ran meanwhile (other users, this process grading nothing): should be ~0
           "other_cores": (busy_after - busy_before - cpu - hog_cpu) / training.wall_seconds,
           "steal_cores": (steal_after - steal_before) / training.wall_seconds, "ok": training.ok,
           "reason": training.reason, "value": float("nan"), "points": 0}
    if training.ok:
        value = question.score(load_for_grading(training.model_path, question.frozen_lambda)).value
        row.update(value=value, points=question.ladder.points(value))
    return row


def verdict(used: float, budget: float) -> str:
    return f"{'fits' if used <= budget else 'STOPPED'} {100 * used / budget:3.0f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", nargs="+", default=["x-plus-6", "fashion-mnist"])
    parser.add_argument("--hogs", type=int, default=2, help="CPU-bound processes beside the loaded run")
    parser.add_argument("--threads", type=int, default=2, help="threads per training (train(threads=...))")
    parser.add_argument("--rounds", type=int, default=1, help="idle and loaded runs per question")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget-factor", type=float, default=3.0,
                        help="train() gets the question's budget times this, so nothing is stopped")
    parser.add_argument("--quiet-wait", type=float, default=120,
                        help="before each run, wait up to this many seconds for other work on the machine to stop")
    parser.add_argument("--margin", type=float, default=0.15, help="the near-budget solution's headroom")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    print(f"machine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; threads={args.threads}, hogs={args.hogs}, "
          f"seed={args.seed}, train() budget = budget x {args.budget_factor:g}")
    print("CPU budget = wall budget x threads; percentages are of the budget used\n")
    header = (f"{'question':<14} {'B s':>4} {'hogs':>4} {'load':>5} {'wall s':>7} {'fit s':>6} {'cpu s':>7} "
              f"{'cpu/wall':>8} {'hog cores':>9} {'other':>5} {'steal':>5} {'value':>8} {'pts':>4}  "
              f"{'wall verdict':<13} {'cpu verdict':<13}")
    print(header)
    results = {}
    with tempfile.TemporaryDirectory(prefix="load-verdicts-") as tmp:
        for question_id in args.questions:
            question = QUESTIONS[question_id]
            question.prepare()  # data readied outside the measurement, as the grader does
            question.held_out()
            budget, cpu_budget = question.budget_seconds, question.budget_seconds * args.threads
            for _ in range(args.rounds):
                for hogs in (0, args.hogs):
                    r = run_once(question, hogs, args.threads, args.seed, args.budget_factor, Path(tmp),
                                 args.quiet_wait)
                    results.setdefault(question_id, []).append(r)
                    fit = f"{r['train']:6.1f}" if r["train"] is not None else f"{'-':>6}"
                    print(f"{question_id:<14} {budget:>4.0f} {hogs:>4} {r['load']:>5.2f} {r['wall']:>7.1f} {fit} "
                          f"{r['cpu']:>7.1f} {r['cpu'] / r['wall']:>8.2f} {r['hog_cores']:>9.2f} "
                          f"{r['other_cores']:>5.2f} {r['steal_cores']:>5.2f} "
                          f"{r['value']:>8.4f} {r['points']:>2}/5  {verdict(r['wall'], budget):<13} "
                          f"{verdict(r['cpu'], cpu_budget):<13}" + ("" if r["ok"] else f"  {r['reason']}")
                          + (f"  (waited {r['waited']:.0f} s for quiet)" if r["waited"] > 3 else ""))

    print(f"\nloaded / idle (mean over rounds), and a near-budget solution: budget = idle use x "
          f"{1 + args.margin:g}, on the wall clock or in CPU time")
    print(f"{'question':<14} {'wall x':>7} {'cpu x':>6} {'near wall B':>11} {'idle':>12} {'loaded':>13} "
          f"{'near cpu B':>10} {'idle':>12} {'loaded':>13}")
    for question_id, rows in results.items():
        idle = [r for r in rows if r["hogs"] == 0]
        loaded = [r for r in rows if r["hogs"] != 0]
        mean = lambda rs, key: sum(r[key] for r in rs) / len(rs)  # noqa: E731
        idle_wall, idle_cpu = mean(idle, "wall"), mean(idle, "cpu")
        near_wall, near_cpu = idle_wall * (1 + args.margin), idle_cpu * (1 + args.margin)
        print(f"{question_id:<14} {mean(loaded, 'wall') / idle_wall:>7.2f} {mean(loaded, 'cpu') / idle_cpu:>6.2f} "
              f"{near_wall:>11.1f} {verdict(max(r['wall'] for r in idle), near_wall):>12} "
              f"{verdict(max(r['wall'] for r in loaded), near_wall):>13} "
              f"{near_cpu:>10.1f} {verdict(max(r['cpu'] for r in idle), near_cpu):>12} "
              f"{verdict(max(r['cpu'] for r in loaded), near_cpu):>13}")


if __name__ == "__main__":
    main()
