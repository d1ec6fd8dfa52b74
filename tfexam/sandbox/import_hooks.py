"""Patch a module as soon as it is imported, without importing it before the solution does.

The training process adjusts a few libraries (tensorflow-datasets, requests) for offline grading,
but importing them up front would cost every training their start-up time.
"""
import importlib.abc
import importlib.util
import sys
from typing import Callable


class _PatchingLoader(importlib.abc.Loader):
    """The module's own loader, with the patch applied after it executes the module.

    Everything else is the original loader's, so what asks it for more (importlib.resources reading
    a package's files, as tensorflow-datasets does) gets its answers.
    """

    def __init__(self, loader, patches: dict[str, Callable]):
        self.loader, self.patches = loader, patches

    def __getattr__(self, name):
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        patch = self.patches.pop(module.__name__, None)  # kept until now: find_spec alone imports nothing
        if patch:
            patch(module)


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    def __init__(self):
        self.patches: dict[str, Callable] = {}
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
        spec.loader = _PatchingLoader(spec.loader, self.patches)
        return spec


_hook = _PatchAfterImport()


def after_import(name: str, patch: Callable) -> None:
    """Call patch(module) once the module `name` is imported (at once, if it already is)."""
    if name in sys.modules:
        patch(sys.modules[name])
        return
    _hook.patches[name] = patch
    if _hook not in sys.meta_path:
        sys.meta_path.insert(0, _hook)
