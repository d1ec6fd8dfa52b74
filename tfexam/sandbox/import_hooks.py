"""Patch a module as soon as it is imported, without importing it before the solution does.

The training process adjusts a few libraries (tensorflow-datasets, requests) for offline grading,
but importing them up front would cost every training their start-up time.
"""
import importlib.abc
import importlib.util
import sys
from typing import Callable


class _PatchAfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self):
        self.patches: dict[str, Callable] = {}
        self.loaders: dict[str, importlib.abc.Loader] = {}
        self.finding = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.patches or self.finding:
            return None
        self.finding = True  # let the other finders find the real module
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.finding = False
        if spec is None or spec.loader is None:
            return spec
        self.loaders[fullname], spec.loader = spec.loader, self
        return spec

    def create_module(self, spec):
        return self.loaders[spec.name].create_module(spec)

    def exec_module(self, module):
        self.loaders.pop(module.__name__).exec_module(module)
        self.patches.pop(module.__name__)(module)


_hook = _PatchAfterImport()


def after_import(name: str, patch: Callable) -> None:
    """Call patch(module) once the module `name` is imported (at once, if it already is)."""
    if name in sys.modules:
        patch(sys.modules[name])
        return
    _hook.patches[name] = patch
    if _hook not in sys.meta_path:
        sys.meta_path.insert(0, _hook)
