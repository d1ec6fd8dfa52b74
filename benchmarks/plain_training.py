"""Train a solution the plain way, as a learner's own script would: the benchmark's baseline.

    python benchmarks/plain_training.py SOLUTION.py OUT.keras SEED

No sandbox, no supervision, no training curves: import the file, call solution_model(), save.
"""
import importlib.util
import sys


def main(solution: str, out: str, seed: str) -> None:
    import keras
    keras.utils.set_random_seed(int(seed))
    spec = importlib.util.spec_from_file_location("solution", solution)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.solution_model().save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
