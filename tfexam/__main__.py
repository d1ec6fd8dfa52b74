"""Commands beside pytest (`tfexam ...` once installed with pip, `python -m tfexam ...` in a checkout):

  python -m tfexam export-template DIR   write a student repository (no solutions) into DIR
  python -m tfexam classroom TARGET ...  one GitHub Classroom step: grade TARGET, output its result
  python -m tfexam fetch-data            fetch, verify and prepare every dataset now (then work offline)
  python -m tfexam sandbox-setup [--grant [profile|sysctl]] [--give-up-sudo]   before student code runs on a
                                         CI runner: make the namespaces sandbox possible, or say why it falls back
  python -m tfexam questions [--json|--markdown]    list the question pool: ids, categories, data, shapes, ladders
  python -m tfexam new ID [--force]      write question ID's stub into assessments/<category>/solution.py
  python -m tfexam summary RESULTS       a run's --results JSON as a Markdown score table (a job's summary)
  python -m tfexam regrade CHECKOUT      grade a student's repository's solution files with this grader
  python -m tfexam class grade SUBMISSIONS --out DIR [--workers N | --scheduler tcp://HOST:PORT]
                                         a whole class into a gradebook, resumably, here or on a Dask cluster
  python -m tfexam exam start|submit|status|finish DIR ...   a mock exam: drawn questions, a clock, Submit and Test
"""
import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str], prog: str = "python -m tfexam") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export-template", help="write a student repository, without solutions, into DIR")
    export.add_argument("directory", metavar="DIR", type=Path)
    classroom = commands.add_parser("classroom", help="grade TARGET and write its result to $GITHUB_OUTPUT")
    classroom.add_argument("target", metavar="TARGET", help="e.g. assessments/basic")
    classroom.add_argument("pytest_args", nargs=argparse.REMAINDER, help="more pytest arguments")
    commands.add_parser("fetch-data", help="fetch, verify and prepare every registered dataset")
    setup = commands.add_parser("sandbox-setup", help="make the namespaces sandbox possible here (a CI runner), "
                                                      "or say why grading falls back to the process sandbox")
    setup.add_argument("--grant", nargs="?", const="profile", choices=("profile", "sysctl"),
                       help="where AppArmor restricts user namespaces, lift it with passwordless sudo: for unshare "
                            "alone by a per-path profile (profile, the default) or for every program (sysctl)")
    setup.add_argument("--give-up-sudo", action="store_true",
                       help="then remove this user's passwordless sudo (its files in /etc/sudoers.d) and check that "
                            "sudo -n fails")
    questions = commands.add_parser("questions", help="list the question pool")
    questions.add_argument("--json", action="store_true", help="as a JSON list of objects")
    questions.add_argument("--markdown", action="store_true", help="as the README's table, a category a row")
    new = commands.add_parser("new", help="write a question's stub into assessments/<category>/solution.py")
    new.add_argument("question", metavar="ID")
    new.add_argument("--force", action="store_true", help="overwrite a solution.py that was changed")
    summary = commands.add_parser("summary", help="print a run's --results JSON as a Markdown score table")
    summary.add_argument("results", metavar="RESULTS", type=Path)
    regrade = commands.add_parser("regrade", help="grade a student's repository's solution files with this grader")
    regrade.add_argument("checkout", metavar="CHECKOUT", type=Path, help="the root of a student's repository")
    regrade.add_argument("--categories", metavar="LIST", default="",
                         help='folders or numbers, e.g. "images,1" (default: all five)')
    regrade.add_argument("--results", metavar="FILE", type=Path, default=Path("regrade-results.json"),
                         help="the results JSON")
    regrade.add_argument("-n", dest="workers", metavar="N", type=int, default=2,
                         help="categories graded at once (default 2)")
    _add_class_parser(commands)
    from tfexam.exam import cli as exam_cli
    exam_cli.add_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "exam":
        return exam_cli.run(args, parser)

    if args.command in ("questions", "new"):
        from tfexam.questions import commands as question_commands
        try:
            if args.command == "questions":
                print(question_commands.markdown_table() if args.markdown
                      else question_commands.list_questions(args.json))
                return 0
            path = question_commands.write_stub(args.question, Path.cwd(), args.force)
        except question_commands.CommandError as error:
            parser.exit(2, f"{prog} {args.command}: {error}\n")
        folder = path.parent.relative_to(Path.cwd())
        print(f"wrote the stub of {args.question} to {path}: grade it with pytest {folder}")
        return 0

    if args.command == "export-template":
        from tfexam.template import ExportError, export_template
        try:
            files = export_template(args.directory)
        except ExportError as error:
            parser.exit(2, f"{prog} export-template: {error}\n")
        print(f"wrote a student repository of {len(files)} files to {args.directory}")
        return 0
    if args.command == "summary":
        from tfexam.results import record, summary as summaries
        try:
            print(summaries.markdown(record.read(args.results)))
        except record.NoResults as error:
            parser.exit(1, f"{prog} summary: {error}\n")
        return 0
    if args.command == "fetch-data":
        return fetch_data()
    if args.command == "sandbox-setup":
        from tfexam.sandbox import host_setup
        return host_setup.main(host_setup.Options(args.grant or "", args.give_up_sudo), prog)
    if args.command == "class":
        return grade_class(args, parser, prog)
    if args.command == "regrade":
        from tfexam.classes.regrade import regrade as regrade_checkout
        from tfexam.questions import folders_named
        try:
            categories = folders_named(args.categories)
        except ValueError as error:
            parser.exit(2, f"{prog} regrade: --categories {args.categories}: {error}\n")
        return regrade_checkout(args.checkout.resolve(), categories, args.results, args.workers)
    from tfexam.classes import classroom_step
    return classroom_step.main(args.target, args.pytest_args)


def _add_class_parser(commands) -> None:
    grade = commands.add_parser("class", help="grade a whole class into a gradebook").add_subparsers(
        dest="class_command", required=True).add_parser("grade", help="grade every student's categories")
    grade.add_argument("submissions", metavar="SUBMISSIONS", type=Path,
                       help="a folder with an entry per student: a checkout, exam-era files, or a zip of either")
    grade.add_argument("--out", metavar="DIR", type=Path, required=True,
                       help="the gradebook's folder (a rerun resumes there)")
    where = grade.add_mutually_exclusive_group()
    where.add_argument("--workers", metavar="N", type=int, default=2,
                       help="trainings at once on this machine (default 2)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="grade on this Dask cluster's workers")
    grade.add_argument("--categories", metavar="LIST", default="",
                       help='folders or numbers, e.g. "images,1" (default: all five)')
    grade.add_argument("--training-threads", metavar="N", type=int, default=None,
                       help="CPU threads per training (default: this machine's cores divided among --workers; "
                            "on Dask 2, asked of each worker as the resource CPU)")
    grade.add_argument("--time-budget-scale", metavar="F", type=float, default=1.0,
                       help="every training budget times F")
    grade.add_argument("--keras", choices=("auto", "2", "3"), default="auto", help="the Keras that trains")
    grade.add_argument("--seed", metavar="N", type=int, default=0, help="the training seed")


def grade_class(args, parser, prog: str) -> int:
    """`class grade`: the options checked, the engine chosen, then the class graded."""
    from tfexam.classes.gradebook import command, engines, units
    from tfexam.questions import folders_named
    try:
        categories = folders_named(args.categories)
    except ValueError as error:
        parser.exit(2, f"{prog} class grade: --categories {args.categories}: {error}\n")
    if not args.submissions.is_dir():
        parser.exit(2, f"{prog} class grade: {args.submissions} is not a folder: give the folder that holds "
                       "an entry per student\n")
    if args.workers < 1 or (args.training_threads is not None and args.training_threads < 1):
        parser.exit(2, f"{prog} class grade: --workers and --training-threads are 1 or more\n")
    cores = len(os.sched_getaffinity(0))
    threads = args.training_threads or (2 if args.scheduler else max(1, cores // args.workers))
    settings = units.Settings(threads, args.time_budget_scale, args.keras, args.seed)
    try:
        engine = (engines.DaskEngine(args.scheduler, threads) if args.scheduler
                  else engines.LocalEngine(args.workers))
    except engines.EngineError as error:
        parser.exit(2, f"{prog} class grade: {error}\n")
    return command.grade_class(args.submissions, args.out, engine, categories, settings)


def fetch_data() -> int:
    """Fetch and verify every registered file a question reads and prepare the tfds datasets; go on past a
    missing one. The ImageNet weights only a learner's transfer learning reads wait for a grading that needs them."""
    from tfexam.data import DataError, extracted, fetch, registry, tfds_offline
    missing = []
    learners_weights = {weights.name for weights in registry.LEARNERS_WEIGHTS}
    steps = [(name, lambda name=name: extracted(name) if name.endswith(".zip") else fetch(name))
             for name in registry.FILES if name not in learners_weights]
    steps += [(f"{name} (tensorflow-datasets)", lambda name=name: tfds_offline.prepare(name) / name)
              for name in tfds_offline.SERVED]
    for label, step in steps:
        try:
            print(f"ok  {label}  {step()}", flush=True)
        except DataError as error:
            missing.append(label)
            print(f"python -m tfexam fetch-data: {error}", file=sys.stderr, flush=True)
    if missing:
        print(f"python -m tfexam fetch-data: {len(missing)} not available: {', '.join(missing)}", file=sys.stderr)
    return 1 if missing else 0


def run() -> None:
    """The `tfexam` command pip installs."""
    sys.exit(main(sys.argv[1:], prog="tfexam"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
