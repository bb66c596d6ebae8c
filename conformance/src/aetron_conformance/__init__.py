"""AETRON conformance suite: vectors, their generator, the runner and the adapter protocol."""

from ._generate import generate
from ._run import Report, SubprocessAdapter, run
from ._vector import HandlerError, NotApplicable, Vector, dump_json

__all__ = [
    "HandlerError",
    "NotApplicable",
    "Report",
    "SubprocessAdapter",
    "Vector",
    "dump_json",
    "generate",
    "run",
]
