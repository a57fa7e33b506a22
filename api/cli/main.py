"""Entry point of the ``hm`` console script: subcommands register themselves here."""

from __future__ import annotations

import argparse
import sys

from api.cli import admin, chat, eval, kb, review, serve, triage
from core.errors import ServiceError
from core.logging import configure_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hm", description="Health-manager agent service.")
    parser.add_argument("--log-level", default="WARNING", help="logging level (default WARNING)")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (serve, chat, kb, triage, eval, review, admin):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    try:
        code: int = args.func(args)
    except ServiceError as exc:
        print(f"error [{exc.instance_code}]: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
