"""`python -m tfexam exam ...`: the argument parser and the dispatch (imports nothing heavy until run)."""
import sys
from pathlib import Path


def add_parser(commands) -> None:
    exam = commands.add_parser("exam", help="a mock exam: five drawn questions, a clock, Submit and Test")
    actions = exam.add_subparsers(dest="exam_command", required=True)
    start = actions.add_parser("start", help="draw the questions, write the workspace DIR, start the clock")
    start.add_argument("directory", metavar="DIR", type=Path)
    start.add_argument("--seed", type=int, help="draw with this seed (share it for the same draw); default: random")
    start.add_argument("--questions", metavar="ID,...", help="choose these questions (one per category) instead")
    start.add_argument("--hours", type=float, default=5.0, help="the time limit (default 5, the exam's)")
    submit = actions.add_parser("submit", help="Submit and Test: grade a category, record the attempt")
    submit.add_argument("directory", metavar="DIR", type=Path)
    submit.add_argument("category", metavar="CATEGORY", help="its folder (basic, fashion, images, nlp, "
                                                             "timeseries) or number (1-5)")
    submit.add_argument("--model", metavar="PATH", type=Path, help="grade this saved .h5 or .keras model instead")
    status = actions.add_parser("status", help="the draw, each category's attempts and best, the time left")
    status.add_argument("directory", metavar="DIR", type=Path)
    finish = actions.add_parser("finish", help="end the exam: result.json and report.html")
    finish.add_argument("directory", metavar="DIR", type=Path)


def run(args, parser) -> int:
    from tfexam.exam import commands
    from tfexam.exam.grading import GradingFailed
    from tfexam.exam.state import ExamError
    try:
        if args.exam_command == "start":
            lines = commands.start(args.directory, args.seed, args.questions, args.hours)
        elif args.exam_command == "submit":
            lines = commands.submit(args.directory, args.category, args.model)
        elif args.exam_command == "status":
            lines = commands.status(args.directory)
        else:
            lines = commands.finish(args.directory)
    except ExamError as error:
        parser.exit(2, f"python -m tfexam exam {args.exam_command}: {error}\n")
    except GradingFailed as error:
        print(f"python -m tfexam exam {args.exam_command}: nothing recorded: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
