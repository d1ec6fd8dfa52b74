"""What became of a check, in the words every output uses: the score table, the results JSON, the
HTML report, and the message text of GitHub Classroom and Gradescope (whose own status fields take
only their fixed words, mapped here). The checks raise tfexam.checks.NotRun and NotApplicable to
say which kind of skip theirs is.
"""
PASSED = "passed"
FAILED = "failed"
NOT_RUN = "not run"                # a check it depends on failed: it scores 0, the learner's to fix
NOT_APPLICABLE = "not applicable"  # nothing to check in this run (--model: no training): no points at stake
ERROR = "error"                    # the grader could not run it (a worker died, -x, an interrupt): it scores 0
ORDER = (PASSED, FAILED, NOT_RUN, NOT_APPLICABLE, ERROR)

CLASSROOM = {PASSED: "pass", NOT_APPLICABLE: "pass", FAILED: "fail", NOT_RUN: "fail", ERROR: "error"}
GRADESCOPE = {PASSED: "passed", NOT_APPLICABLE: "passed", FAILED: "failed", NOT_RUN: "failed", ERROR: "failed"}


def of_report(report) -> str:
    """The status of a test tfexam did not annotate, from its pytest report alone."""
    if report.passed:
        return PASSED
    if report.skipped:
        return NOT_APPLICABLE
    return FAILED if report.when == "call" else ERROR


def counts(statuses) -> str:
    """e.g. '1 failed, 8 not run', in the vocabulary's order."""
    statuses = list(statuses)
    return ", ".join(f"{statuses.count(word)} {word}" for word in ORDER if word in statuses)
