"""tfexam: the TensorFlow Developer Certificate exam as an offline pytest suite.

In a notebook: `tfexam.grade(model, "x-plus-6")` grades a model without training (tfexam/notebook.py).
"""
__all__ = ["NotebookGrade", "grade"]


def __getattr__(name: str):
    # Lazily: the pytest plugin imports this package in every pytest run, which must stay cheap.
    if name in __all__:
        from tfexam import notebook
        return getattr(notebook, name)
    raise AttributeError(f"module 'tfexam' has no attribute {name!r}")
