"""`python -m ppmcli` and the `ppm` command: a warm `ppm check` is answered from its record before the CLI (typer, and what it imports) is loaded."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run ppm as the `ppm` command does; returns the exit code (0 ok, 1 findings, 2 could not run)."""
    from ppmcli.progress import CLOCK

    CLOCK.start()  # every run afresh: tests run ppm many times in one process
    _writable_anything()
    args = list(sys.argv[1:] if argv is None else argv)
    recorder = None
    if "check" in args:  # only `ppm check` is answered from a record: other commands skip the lookup and its imports
        from ppmcli.replay import answer

        found = answer(args)
        if isinstance(found, int):
            return found
        recorder = found
    from ppmcli.cli import run

    return run(args, recorder)


def _writable_anything() -> None:
    """Output to a stream whose encoding lacks a character (PYTHONIOENCODING=ascii, a latin-1 console) shows it as
    its code (`\u25b2`) instead of failing the run: ppm's own marks (▲, ✖) and any name may not fit it."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf16", "utf32") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    raise SystemExit(main())
