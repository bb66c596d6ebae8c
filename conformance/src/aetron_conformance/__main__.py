"""``aetron-conformance generate | run``: the suite's command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._generate import generate
from ._run import SubprocessAdapter, run

DEFAULT_VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aetron-conformance", description=__doc__)
    parser.add_argument("--vectors", type=Path, default=DEFAULT_VECTORS, help="vectors folder")
    parser.add_argument("--domain", action="append", help="limit to a domain (repeatable)")
    commands = parser.add_subparsers(dest="command", required=True)
    generator = commands.add_parser(
        "generate", help="regenerate vectors from the reference packages"
    )
    runner = commands.add_parser("run", help="check an implementation against the vectors")
    for command in (generator, runner):  # --domain reads the same before or after the command
        command.add_argument("--domain", action="append", dest="subdomain", help=argparse.SUPPRESS)
    runner.add_argument(
        "--adapter", help="command line of an adapter program (default: in-process reference)"
    )
    runner.add_argument(
        "--allow-unsupported", action="store_true", help="pass despite unsupported cases"
    )
    runner.add_argument("-v", "--verbose", action="store_true", help="list every failure in full")
    args = parser.parse_args(argv)
    chosen = (args.domain or []) + (args.subdomain or [])
    only = set(chosen) if chosen else None

    if args.command == "generate":
        for name, count in generate(args.vectors, only).items():
            print(f"{name}: {count} vectors")
        return 0

    if args.adapter:
        adapter = SubprocessAdapter(args.adapter)
        try:
            report = run(args.vectors, adapter, only)
        finally:
            adapter.close()
    else:
        report = run(args.vectors, only=only)
    for case_id, problem in report.failed if args.verbose else report.failed[:50]:
        print(f"FAIL {case_id}: {problem}")
    reasons: dict[str, int] = {}
    for _, reason in report.skipped:
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items()):
        print(f"SKIPPED {count}: {reason}")
    for case_id in report.unsupported[:50]:
        print(f"UNSUPPORTED {case_id}")
    print(report.summary())
    return 0 if report.ok(allow_unsupported=args.allow_unsupported) else 1


if __name__ == "__main__":
    sys.exit(main())
