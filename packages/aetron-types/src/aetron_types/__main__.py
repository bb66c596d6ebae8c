"""``python -m aetron_types schemas [DIR]``: write the JSON Schemas (default ``conformance/schemas``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._schema import write_json_schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aetron_types", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    schemas = commands.add_parser("schemas", help="write the JSON Schemas of every type")
    schemas.add_argument("directory", nargs="?", type=Path, default=Path("conformance/schemas"))
    args = parser.parse_args(argv)
    for path in write_json_schemas(args.directory):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
