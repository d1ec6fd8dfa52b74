"""The data layer: registered dataset files, verified by sha256, from a mirror, a cache or the web."""
from tfexam.data.store import DataError, extracted, fetch

__all__ = ["DataError", "extracted", "fetch"]
