"""The reference packages' adapter: the example for implementers in other languages.

Reads one JSON request per line on stdin, ``{"id", "handler", "input"}``, and writes one JSON
answer per line on stdout: ``valid`` with the output, ``invalid`` with the reason code, or
``unsupported`` for a handler this implementation does not have, or ``skipped`` with a reason for
a case this machine cannot run (a probe vector made on other hardware).
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from ._registry import domains
from ._vector import NotApplicable


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """Run one request against the reference packages."""
    case_id = request.get("id")
    handler = request.get("handler", "")
    domain = domains().get(str(case_id).split("/", 1)[0])
    if domain is None:
        return {"id": case_id, "result": "unsupported"}
    try:
        output = domain.handle(handler, request.get("input", {}))
    except NotApplicable as exc:
        return {"id": case_id, "result": "skipped", "reason": exc.reason}
    except KeyError as exc:
        if getattr(exc, "code", None) is None and exc.args == (handler,):
            return {"id": case_id, "result": "unsupported"}
        raise
    except Exception as exc:
        code = getattr(exc, "code", None)
        if not isinstance(code, str):
            raise
        return {"id": case_id, "result": "invalid", "error": code}
    return {"id": case_id, "result": "valid", "output": output}


def serve(stdin: TextIO, stdout: TextIO) -> None:
    for line in stdin:
        if line.strip():
            stdout.write(json.dumps(answer(json.loads(line)), sort_keys=True) + "\n")
            stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
