"""`python -m ppmcli` and the `ppm` command: a warm `ppm check` is answered from its record before the CLI (typer, and what it imports) is loaded."""

import sys


def main() -> int:
    from ppmcli.replay import answer

    args = sys.argv[1:]
    found = answer(args)
    if isinstance(found, int):
        return found
    from ppmcli.cli import run

    return run(args, found)


if __name__ == "__main__":
    raise SystemExit(main())
