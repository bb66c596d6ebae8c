"""AETRON conformance suite: vectors, their generator, the runner and the adapter protocol."""

from ._generate import generate
from ._run import Report, SubprocessAdapter, run
from ._vector import HandlerError, Vector, dump_json

__all__ = ["HandlerError", "Report", "SubprocessAdapter", "Vector", "dump_json", "generate", "run"]
