"""The fast tier: tensorflow-datasets' removed split API (tfds.percent, Split.subsplit) read as split strings.

tensorflow_datasets is imported (lazily, without TensorFlow, under a second); its own Split class
is never patched here: each test patches a namespace holding a subclass of it.
"""
import types

import pytest
import tensorflow_datasets as tfds

from tfexam.sandbox import tfds_legacy
from tfexam.sandbox.tfds_legacy import LegacySplitError


@pytest.fixture
def legacy():
    """A stand-in for the tensorflow_datasets module, patched: its Split is a subclass of tfds' own."""
    split_class = type("Split", (tfds.Split,), {"TRAIN": None, "TEST": None})
    split_class.TRAIN, split_class.TEST = split_class("train"), split_class("test")
    module = types.SimpleNamespace(Split=split_class)
    tfds_legacy.patch(module)
    return module


def examples(spec: str, total: int = 150) -> tuple:
    """(first, stop) of the examples tfds' own parser reads for `spec` in a split of `total` examples."""
    infos = {name: tfds.core.SplitInfo(name=name, shard_lengths=[total], num_bytes=0) for name in ("train", "test")}
    instruction = tfds.core.ReadInstruction.from_spec(spec).to_absolute(infos)[0]
    return instruction.from_ or 0, total if instruction.to is None else instruction.to


def test_tfds_4_has_neither_name_and_patch_adds_them_once():
    assert not hasattr(tfds, "percent") and not hasattr(tfds.Split, "subsplit")
    split_class = type("Split", (tfds.Split,), {})
    module = types.SimpleNamespace(Split=split_class)
    tfds_legacy.patch(module)
    percent, subsplit = module.percent, split_class.subsplit
    tfds_legacy.patch(module)  # after_import may call it for a module already patched
    assert module.percent is percent and split_class.subsplit is subsplit


def test_the_iris_questions_frozen_line_becomes_the_first_80_percent(legacy):
    split = legacy.Split.TRAIN.subsplit(legacy.percent[:80])
    assert split == "train[:80%]" and examples(split) == (0, 120)
    assert legacy.Split.TRAIN.subsplit(legacy.percent[80:]) == "train[80%:]"
    assert examples("train[80%:]") == (120, 150)  # the 30 examples the iris question scores on


@pytest.mark.parametrize("call, expected", [
    (lambda t: t.Split.TRAIN.subsplit(t.percent[-20:]), "train[-20%:]"),
    (lambda t: t.Split.TEST.subsplit(percent=t.percent[10:60]), "test[10%:60%]"),
    (lambda t: t.Split.TRAIN.subsplit(t.percent[:]), "train"),
    (lambda t: t.Split.TRAIN.subsplit(k=3), ("train[0%:33%]", "train[33%:66%]", "train[66%:100%]")),
    (lambda t: t.Split.TRAIN.subsplit(2), ("train[0%:50%]", "train[50%:100%]")),
    (lambda t: t.Split.TRAIN.subsplit(weighted=[2, 1, 1]), ("train[0%:50%]", "train[50%:75%]", "train[75%:100%]")),
    (lambda t: t.Split.TRAIN.subsplit([2, 2, 1, 1]),  # the old API's 33%, 33%, 16%, 18%
     ("train[0%:33%]", "train[33%:66%]", "train[66%:82%]", "train[82%:100%]")),
])
def test_each_old_form_becomes_split_strings_tfds_reads(legacy, call, expected):
    translated = call(legacy)
    assert translated == expected
    for spec in (translated,) if isinstance(translated, str) else translated:
        first, stop = examples(spec)
        assert 0 <= first < stop <= 150


def test_even_and_weighted_parts_cover_the_split_without_overlap(legacy):
    for parts in (legacy.Split.TRAIN.subsplit(k=7), legacy.Split.TRAIN.subsplit(weighted=[5, 3, 1, 1])):
        ranges = [examples(part, 1000) for part in parts]
        assert ranges[0][0] == 0 and ranges[-1][1] == 1000
        assert all(stop == next_first for (_, stop), (next_first, _) in zip(ranges, ranges[1:]))


@pytest.mark.parametrize("call, named", [
    (lambda t: t.percent[80], "tfds.percent[80] is not a slice"),
    (lambda t: t.Split.TRAIN.subsplit(t.percent[::2]), "subsplit(tfds.percent[::2])"),
    (lambda t: t.Split.TRAIN.subsplit(t.percent[:80.5]), "subsplit(tfds.percent[:80.5])"),
    (lambda t: t.Split.TRAIN.subsplit(t.percent[:180]), "subsplit(tfds.percent[:180])"),
    (lambda t: t.Split.TRAIN.subsplit(), "takes exactly one of"),
    (lambda t: t.Split.TRAIN.subsplit(t.percent[:80], k=2), "takes exactly one of"),
    (lambda t: t.Split.TRAIN.subsplit(k=0), "subsplit(k=0)"),
    (lambda t: t.Split.TRAIN.subsplit(k=101), "subsplit(k=101)"),
    (lambda t: t.Split.TRAIN.subsplit(weighted=[1, 0]), "subsplit(weighted=[1, 0])"),
    (lambda t: t.Split.TRAIN.subsplit(weighted=[1, 1000]), "gives a part under 1%"),
    (lambda t: t.Split.TRAIN.subsplit("80%"), "subsplit('80%')"),
    (lambda t: t.Split.TRAIN.subsplit(percent=80), "is not a tfds.percent slice"),
])
def test_what_has_no_one_translation_says_which_split_string_to_write(legacy, call, named):
    with pytest.raises(LegacySplitError) as raised:
        call(legacy)
    message = str(raised.value)
    assert named in message
    assert 'split="train[:80%]"' in message and "https://www.tensorflow.org/datasets/splits" in message
    assert isinstance(raised.value, ValueError)  # what the old API raised for a bad subsplit


def test_the_translation_names_the_split_it_was_called_on(legacy):
    with pytest.raises(LegacySplitError, match=r'split="test\[:80%\]"'):
        legacy.Split.TEST.subsplit(k=-1)
