"""The fast tier: a class's submissions read without running them (checkouts, exam-era files, zips,
and zips that try to write outside their folder), the units planned once per distinct content, and
the gradebook's rows. The grading itself: tests/platforms/test_class_gradebook.py."""
import json
import stat
import zipfile

from tfexam.classes.gradebook import book, command, submissions, units
from tfexam.questions import CATEGORIES
from tfexam.template import export_template

from conftest import FIXTURE_SOLUTIONS, ROOT


def test_a_checkout_gives_its_solution_files_and_exam_era_files_are_recognised_by_what_they_load(tmp_path):
    export_template(tmp_path / "class/alice")
    (tmp_path / "class/erin").mkdir()
    (tmp_path / "class/erin/starter.py").write_bytes((FIXTURE_SOLUTIONS / "exam_era/fashion-mnist.py").read_bytes())
    (tmp_path / "class/erin/notes.py").write_text("print('no dataset here')\n")
    (tmp_path / "class/erin/mine.py").write_text("def solution_model():\n    return None\n")
    (tmp_path / "class/erin/again.py").write_bytes((FIXTURE_SOLUTIONS / "exam_era/mnist.py").read_bytes())
    (tmp_path / "class/readme.txt").write_text("not a submission\n")
    found = {s.name: s for s in submissions.discover(tmp_path / "class", tmp_path / "scratch")}
    assert set(found["alice"].files) == set(CATEGORIES) and not found["alice"].problem
    assert found["erin"].files == {"fashion": tmp_path / "class/erin/again.py"}  # the first, by name
    assert found["erin"].notes == (
        "not graded: mine.py (it loads no dataset a question uses; grade it with --submission and --question ID)",
        "not graded: starter.py (a second file for category 2; again.py was graded)")
    assert "neither a folder nor a .zip" in found["readme.txt"].problem


def test_a_zip_is_unpacked_inside_its_folder_only_without_links(tmp_path):
    archive = tmp_path / "mallory.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        opened.writestr("mallory/assessments/basic/solution.py", "def solution_model(): ...\n")
        opened.writestr("../escaped.py", "print('outside')\n")
        opened.writestr(str(tmp_path / "absolute.py"), "print('absolute')\n")
        link = zipfile.ZipInfo("mallory/assessments/nlp/solution.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        opened.writestr(link, "/etc/passwd")
    folder = submissions.unpack(archive, tmp_path / "scratch/mallory")
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == ["mallory/assessments/basic/solution.py"]
    assert not (tmp_path / "escaped.py").exists() and not (tmp_path / "absolute.py").exists()
    assert set(submissions.files_of(folder)[0]) == {"basic"}


def test_a_broken_or_oversized_zip_is_a_student_with_the_reason(tmp_path, monkeypatch):
    (tmp_path / "class").mkdir()
    (tmp_path / "class/dave.zip").write_bytes(b"PK\x03\x04 cut short")
    with zipfile.ZipFile(tmp_path / "class/huge.zip", "w") as opened:
        opened.writestr("a.py", "x = 1\n" * 100)
    monkeypatch.setattr(submissions, "MAX_ZIP_BYTES", 100)
    found = {s.name: s for s in submissions.discover(tmp_path / "class", tmp_path / "scratch")}
    assert found["dave"].problem.startswith("dave.zip is not a zip tfexam can read")
    assert "huge.zip unpacks to more than" in found["huge"].problem and found["huge"].files == {}


def test_identical_submissions_are_one_unit_and_what_was_graded_is_not_planned_again(tmp_path):
    reference = ROOT / "solutions/x-plus-6.py"
    students = [submissions.Student("alice", {"basic": reference}), submissions.Student("carol", {"basic": reference}),
                submissions.Student("bob", {"basic": CATEGORIES["basic"].stub})]
    settings = units.Settings(training_threads=1)
    planned = command.plan(students, ["basic"], settings, tmp_path)
    assert len(planned.keys) == 3 and len(planned.units) == 2 and planned.done == set()
    alice = planned.keys[("alice", "basic")]
    assert planned.keys[("carol", "basic")] == alice
    assert units.unit_of("basic", reference, units.Settings(training_threads=2)).key != alice  # settings count
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / f"{alice}.json").write_text(json.dumps({"result": None, "problem": ""}))
    assert command.plan(students, ["basic"], settings, tmp_path).done == {alice}


def test_a_category_without_a_file_scores_0_with_the_reason_and_copies_are_named():
    planned = command.Plan([submissions.Student("alice", {})], {}, {}, set())
    (grade,) = command.gradebook(planned, ["basic", "nlp"], ROOT / "no-such-folder", {})
    row = grade.row(["basic", "nlp"])
    assert (row["basic_points"], row["nlp_points"], row["total"], row["max_total"]) == (0, 0, 0, 10)
    assert row["basic_reason"] == book.NO_FILE and row["basic_question"] == "x-plus-6"


def test_a_grading_kept_from_a_process_sandbox_is_noted_in_the_students_row(tmp_path):
    from unit.test_classroom50 import category, results_of
    reference = ROOT / "solutions/x-plus-6.py"
    planned = command.plan([submissions.Student("alice", {"basic": reference})], ["basic"],
                           units.Settings(training_threads=1), tmp_path)
    record = results_of(category("basic", 5, value=0.01))["categories"]["basic"]
    (tmp_path / "units").mkdir()
    (tmp_path / "units" / f"{planned.keys[('alice', 'basic')]}.json").write_text(
        json.dumps({"result": record, "problem": "", "sandbox": "process"}))
    (grade,) = command.gradebook(planned, ["basic"], tmp_path, {})
    row = grade.row(["basic"])
    assert (row["basic_points"], row["notes"]) == (5, "basic: trained in the process sandbox, not namespaces")
