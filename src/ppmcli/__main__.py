"""`python -m ppmcli` and the `ppm` command: a warm `ppm check` is answered from its record before the CLI (typer, and what it imports) is loaded."""

import sys


def main() -> int:
    args = sys.argv[1:]
    recorder = None
    if "check" in args:  # only `ppm check` is answered from a record: other commands skip the lookup and its imports
        from ppmcli.replay import answer

        found = answer(args)
        if isinstance(found, int):
            return found
        recorder = found
    from ppmcli.cli import run

    return run(args, recorder)


if __name__ == "__main__":
    raise SystemExit(main())
