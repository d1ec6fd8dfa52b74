"""On the controller: every check's report gathered into the score board and the test ledger, the
score table printed, and each file asked for written from them."""
import time
from pathlib import Path

import pytest

from tfexam.exam import hook as exam_hook  # inside a mock exam's workspace, a run's attempts are recorded
from tfexam.plugin import keys
from tfexam.plugin.summaries import crash_summary
from tfexam.questions import CATEGORIES
from tfexam.results.board import PROPERTY, ScoreBoard
from tfexam.results.exports import TestLedger, category_of, write_json


class ScoreReporter:
    """Registered by the controller (or a run without xdist) as the plugin "tfexam-score"."""

    def __init__(self, config):
        self.config = config
        self.board = ScoreBoard(sandbox=config.stash[keys.SPEC].sandbox.as_record())
        self.ledger = TestLedger()
        self.started = time.monotonic()
        self.exam_notes: list[str] = []

    def pytest_collection_finish(self, session):
        self.ledger.collected(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.ledger.collected(ids)

    def pytest_runtest_logreport(self, report):
        folder = category_of(report.nodeid)
        if folder in CATEGORIES and report.failed and PROPERTY not in dict(report.user_properties):
            report.user_properties.append((PROPERTY, crash_summary(self.config, folder, report.nodeid)))
        self.board.add(report)
        summary = dict(report.user_properties).get(PROPERTY, {})
        self.ledger.add(report, summary.get("message") or _first_line(report),
                        summary.get("about", {}).get("question", ""), summary.get("status"))

    def pytest_terminal_summary(self, terminalreporter):
        if self.board.results:
            terminalreporter.write_sep("=", "tfexam score")
            for line in self.board.table():
                terminalreporter.write_line(line)
        for line in self.exam_notes:
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self):
        option = self.config.option
        if option.results:
            write_json(Path(option.results), self.board.as_json())
        if option.classroom_json:
            write_json(Path(option.classroom_json), self.ledger.classroom())
        if option.gradescope_json:
            write_json(Path(option.gradescope_json), self.ledger.gradescope(time.monotonic() - self.started))
        if option.html_report:
            from tfexam.results import html_report  # imported at configure: matplotlib only when asked for
            html_report.write(self.board, Path(option.html_report))
        self.exam_notes = exam_hook.record_run(self.config.rootpath, self.board.as_json())


def _first_line(report) -> str:
    """A short reason for a report tfexam did not annotate (e.g. a worker that crashed)."""
    if report.passed:
        return ""
    return next((line.strip() for line in report.longreprtext.splitlines() if line.strip()), report.outcome)
