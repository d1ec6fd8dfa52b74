"""The split API of tensorflow-datasets 1.x-3.x, read as today's split strings.

Exam files of 2020 chose their data with `tfds.Split.TRAIN.subsplit(tfds.percent[:80])` (the
iris question's frozen line). tensorflow-datasets 4 removed both names in favour of split
strings such as "train[:80%]", so these files stop with an AttributeError before any training.
patch(tfds) puts them back as translators:

    tfds.percent[a:b]                        a slice of percents, as before
    tfds.Split.TRAIN.subsplit(tfds.percent[:80])     ->  "train[:80%]"
    tfds.Split.TRAIN.subsplit(tfds.percent[-20:])    ->  "train[-20%:]"
    tfds.Split.TRAIN.subsplit(k=3)                   ->  ("train[0%:33%]", "train[33%:66%]", "train[66%:100%]")
    tfds.Split.TRAIN.subsplit(weighted=[2, 1, 1])    ->  ("train[0%:50%]", "train[50%:75%]", "train[75%:100%]")

k and weighted divide 100 percent as the old API did (whole percents, the last part taking the
remainder). Anything else (a step, a bound beyond 100, a fraction, several arguments) raises
LegacySplitError, a ValueError that says which split string to write instead. Today's slicing
takes the examples in the order tensorflow-datasets prepared them, the order a file written
for tensorflow-datasets 4 would read with the same split string.
"""
SPLITS_GUIDE = "https://www.tensorflow.org/datasets/splits"


class LegacySplitError(ValueError):
    """A use of the removed split API that has no one translation; the message gives the split string to write."""


def _removed(what: str, split: str = "train") -> LegacySplitError:
    return LegacySplitError(
        f"{what}: tensorflow-datasets 4 removed subsplit() and tfds.percent; tfexam reads "
        f"subsplit(tfds.percent[a:b]), subsplit(k=N) and subsplit(weighted=[...]) as split strings, "
        f"but not this. Write the split as a string instead, for example split=\"{split}[:80%]\" "
        f"(the first 80% of {split}) or split=[\"{split}[:80%]\", \"{split}[80%:]\"]; see {SPLITS_GUIDE}")


class _Percent:
    """tfds.percent: `tfds.percent[:80]` is the slice of percents it always was."""

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise _removed(f"tfds.percent[{item!r}] is not a slice")
        return item

    def __repr__(self) -> str:
        return "tfds.percent (tfexam's translation of the removed API)"


percent = _Percent()


def _bound(value) -> str:
    return "" if value is None else f"{value}%"


def _is_percent(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and -100 <= value <= 100)


def percent_split(split: str, part: slice) -> str:
    """The split string for `part` (a slice of percents) of `split`: "train[:80%]" for tfds.percent[:80]."""
    if part.step is not None or not (_is_percent(part.start) and _is_percent(part.stop)):
        raise _removed(f"subsplit(tfds.percent[{_show(part)}])", split)
    if part.start is None and part.stop is None:
        return split  # tfds.percent[:], all of it: tfds reads no "train[:]"
    return f"{split}[{_bound(part.start)}:{_bound(part.stop)}]"


def _show(part: slice) -> str:
    """The slice as it was written: tfds.percent[::2] shows as '::2'."""
    written = lambda value: "" if value is None else repr(value)  # noqa: E731
    return f"{written(part.start)}:{written(part.stop)}" + ("" if part.step is None else f":{part.step!r}")


def _parts(split: str, stops: list[int], what: str) -> tuple[str, ...]:
    """Consecutive parts of `split` ending at the given percents; the last ends at 100."""
    stops = stops[:-1] + [100]
    starts = [0] + stops[:-1]
    if any(start >= stop for start, stop in zip(starts, stops)):
        raise _removed(f"{what} gives a part under 1%", split)
    return tuple(f"{split}[{start}%:{stop}%]" for start, stop in zip(starts, stops))


def even_splits(split: str, k) -> tuple[str, ...]:
    """subsplit(k=N): N parts of 100 // N percent each, the last taking the remainder."""
    if not (isinstance(k, int) and not isinstance(k, bool) and 0 < k <= 100):
        raise _removed(f"subsplit(k={k!r}) (k must be a whole number from 1 to 100)", split)
    width = 100 // k
    return _parts(split, [width * (i + 1) for i in range(k)], f"subsplit(k={k})")


def weighted_splits(split: str, weighted) -> tuple[str, ...]:
    """subsplit(weighted=[...]): parts in proportion to the weights, in whole percents, the last taking the rest."""
    valid = isinstance(weighted, (list, tuple)) and weighted and all(
        isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in weighted)
    if not valid:
        raise _removed(f"subsplit(weighted={weighted!r}) (weights must be positive whole numbers)", split)
    total, stop, stops = sum(weighted), 0, []
    for weight in weighted:
        stop += 100 * weight // total
        stops.append(stop)
    return _parts(split, stops, f"subsplit(weighted={list(weighted)!r})")


def subsplit(self, arg=None, k=None, percent=None, weighted=None):
    """Split.subsplit of tensorflow-datasets 1.x-3.x, returning split strings."""
    split = str(self)
    given = [value for value in (arg, k, percent, weighted) if value is not None]
    if len(given) != 1:
        raise _removed(f"{split!r}.subsplit() takes exactly one of a slice, k= or weighted=", split)
    if arg is not None:  # the old API read a positional argument by its type
        if isinstance(arg, slice):
            percent = arg
        elif isinstance(arg, int) and not isinstance(arg, bool):
            k = arg
        elif isinstance(arg, (list, tuple)):
            weighted = arg
        else:
            raise _removed(f"subsplit({arg!r})", split)
    if percent is not None:
        if not isinstance(percent, slice):
            raise _removed(f"subsplit(percent={percent!r}) is not a tfds.percent slice", split)
        return percent_split(split, percent)
    if k is not None:
        return even_splits(split, k)
    return weighted_splits(split, weighted)


def patch(tfds) -> None:
    """Give the tensorflow_datasets module `tfds` its removed tfds.percent and Split.subsplit back."""
    if not hasattr(tfds, "percent"):
        tfds.percent = percent
    split_class = tfds.Split
    if not hasattr(split_class, "subsplit"):
        split_class.subsplit = subsplit
