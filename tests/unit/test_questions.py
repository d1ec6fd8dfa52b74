"""The fast tier: the question pool, recognising the question a file was written for, and the
`questions` and `new` commands, without TensorFlow."""
import json

import pytest

from conftest import FIXTURE_SOLUTIONS, ROOT
from tfexam.questions import commands as question_commands
from tfexam.questions import CATEGORIES, POOL, QUESTIONS, SLOTS, in_category, is_default
from tfexam.questions.recognise import recognise

EXAM_ERA = FIXTURE_SOLUTIONS / "exam_era"


def test_ids_are_short_lowercase_and_unique():
    assert len(QUESTIONS) == len(POOL) >= 12
    for question in POOL:
        assert question.id == question.id.lower() and " " not in question.id and len(question.id) <= 24


def test_each_category_has_one_default_and_the_defaults_are_the_original_five():
    assert {folder: q.id for folder, q in CATEGORIES.items()} == {
        "basic": "x-plus-6", "fashion": "fashion-mnist", "images": "horses-or-humans", "nlp": "sarcasm",
        "timeseries": "sunspots"}
    for folder in SLOTS:
        assert sum(is_default(q) for q in in_category(folder)) == 1


def test_the_shipped_solution_files_are_the_default_questions_stubs():
    for folder, question in CATEGORIES.items():
        assert (ROOT / "assessments" / folder / "solution.py").read_bytes() == question.stub.read_bytes()


@pytest.mark.parametrize("question", [q.id for q in POOL])
def test_stubs_references_and_exam_era_files_are_recognised_as_their_question(question):
    q = QUESTIONS[question]
    assert recognise(q.stub) is q
    assert recognise(q.reference) is q
    assert recognise(EXAM_ERA / f"{question}.py") is q


def test_a_stub_names_its_question_in_its_frozen_first_line():
    for question in POOL:
        first = question.stub.read_text().splitlines()[0]
        assert first == f"# tfexam question: {question.id} (DO NOT CHANGE this line: the grader reads it)"


def test_category_1_is_recognised_by_the_line_its_arrays_follow(tmp_path):
    source = tmp_path / "mine.py"
    source.write_text("import numpy as np\nX = np.array([1, 2, 3, 4], dtype=float)\nY = np.array([5, 7, 9, 11])\n")
    assert recognise(source).id == "dicoding-b1"
    source.write_text("xs = [0.0, 1.0, 2.0]\nys = [3.0, 3.5, 9.0]\n")  # not a line
    assert recognise(source) is None


def test_comments_do_not_name_a_question(tmp_path):
    source = tmp_path / "mine.py"
    source.write_text("# like the sarcasm.json question, but\nurl = 'https://example.com/Sunspots.csv'\n")
    assert recognise(source).id == "sunspots"  # the URL's file name; the comment is not read


def test_the_dicoding_simulations_downloads_name_the_exams_questions(tmp_path):
    source = tmp_path / "A5.py"
    host = "https://dicodingacademy.blob.core.windows.net/picodiploma/Simulation/machine_learning/"
    source.write_text(f"import urllib.request\nurllib.request.urlretrieve('{host}sunspots.csv', 'sunspots.csv')\n")
    assert recognise(source).id == "sunspots"
    source.write_text(f"import urllib.request\nurllib.request.urlretrieve('{host}rps.zip', 'rps.zip')\n")
    assert recognise(source).id == "rock-paper-scissors"


def test_a_file_with_a_syntax_error_is_still_recognised(tmp_path):
    source = tmp_path / "broken.py"
    source.write_text("url = 'https://storage.googleapis.com/learning-datasets/sarcasm.json'\ndef f(:\n")
    assert recognise(source).id == "sarcasm"


def test_questions_json_has_the_contract_keys():
    listed = json.loads(question_commands.list_questions(as_json=True))
    assert [q["id"] for q in listed] == [q.id for q in sorted(POOL, key=lambda q: q.slot.number)]
    for entry in listed:
        assert {"id", "category", "default", "available", "metric", "ladder"} <= set(entry)
        assert entry["category"] in range(1, 6) and len(entry["ladder"]) == 5


def test_availability_says_where_the_data_would_come_from(monkeypatch, tmp_path):
    monkeypatch.setenv("TFEXAM_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path / "cache"))
    sunspots = question_commands.describe(QUESTIONS["sunspots"])
    assert (sunspots["data"], sunspots["available"]) == ({"Sunspots.csv": "download"}, False)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "Sunspots.csv").write_text("x")
    assert question_commands.describe(QUESTIONS["sunspots"])["available"] is True
    assert question_commands.describe(QUESTIONS["x-plus-1"])["available"] is True  # its data is in the stub


def test_the_list_says_where_a_file_not_here_is_downloaded_from(monkeypatch, tmp_path):
    monkeypatch.setenv("TFEXAM_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path / "cache"))
    url = "https://storage.googleapis.com/download.tensorflow.org/data/certificate/satellitehurricaneimages.zip"
    assert question_commands.describe(QUESTIONS["hurricane-damage"])["data_urls"] == {
        "satellitehurricaneimages.zip": url}
    assert f"data: satellitehurricaneimages.zip (download from {url})" in question_commands.list_questions(False)


def test_new_writes_a_stub_over_a_stub_but_not_over_a_learners_work(tmp_path):
    solution = tmp_path / "assessments" / "basic" / "solution.py"
    solution.parent.mkdir(parents=True)
    solution.write_bytes(QUESTIONS["x-plus-6"].stub.read_bytes())
    question_commands.write_stub("dicoding-a1", tmp_path)
    assert solution.read_bytes() == QUESTIONS["dicoding-a1"].stub.read_bytes()
    solution.write_text("def solution_model(): ...\n")
    with pytest.raises(question_commands.CommandError, match="overwrite it with --force"):
        question_commands.write_stub("x-plus-1", tmp_path)
    question_commands.write_stub("x-plus-1", tmp_path, force=True)
    assert solution.read_bytes() == QUESTIONS["x-plus-1"].stub.read_bytes()


def test_new_names_an_unknown_question_and_a_folder_without_assessments(tmp_path):
    with pytest.raises(question_commands.CommandError, match="no question 'x-plus-7'"):
        question_commands.write_stub("x-plus-7", tmp_path)
    with pytest.raises(question_commands.CommandError, match="run this in the grader's folder"):
        question_commands.write_stub("x-plus-1", tmp_path)


@pytest.mark.parametrize("page", ["README.md", "docs/reference/questions.md"])
def test_the_question_table_is_the_pools(page):
    table = question_commands.markdown_table()
    assert table in (ROOT / page).read_text(), f"paste `python -m tfexam questions --markdown` into {page}"
    assert len(table.splitlines()) == 2 + len(SLOTS) and all(f"`{q.id}`" in table for q in POOL)
