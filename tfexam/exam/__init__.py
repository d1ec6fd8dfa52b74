"""The mock exam: `python -m tfexam exam start|submit|status|finish`.

A workspace is a student repository (export-template) holding the drawn questions' stubs, a README
with the exam's rules, and exam-state.json: the draw, the clock and every attempt. Everything the
exam needs lives in that folder, so a moved workspace keeps its draw, clock and attempts.

    state      the value object (ExamState, Attempt), read and written atomically
    draw       one question per category, seeded, or chosen with --questions
    clock      the deadline and the time left
    workspace  the folder a learner works in
    grading    Submit and Test: the grader run in a subprocess, its JSON read back
    result     the best attempt per category, the exam score, result.json and the HTML report
    commands   start, submit, status, finish
    hook       a plain pytest run inside a workspace records its attempts too
"""
from tfexam.exam.state import ExamError

__all__ = ["ExamError"]
