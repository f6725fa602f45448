"""`python -m services.contracts write` regenerates deploy/contracts and docs/errors.md from the
code; `python -m services.contracts check` lists the files that drifted and exits 1 if any did."""

from __future__ import annotations

import sys

from services.contracts.files import (
    ERRORS,
    REPOSITORY,
    ROOT,
    drifted,
    errors_drifted,
    write,
    write_errors,
)

SHOWN = ROOT.relative_to(REPOSITORY).as_posix()
ERRORS_SHOWN = ERRORS.relative_to(REPOSITORY).as_posix()
USAGE = "usage: python -m services.contracts write|check"


def main(argv: list[str]) -> int:
    if argv == ["write"]:
        for path in write():
            print(f"wrote {SHOWN}/{path}")
        if write_errors():
            print(f"wrote {ERRORS_SHOWN}")
        return 0
    if argv == ["check"]:
        stale = [f"{SHOWN}/{path}" for path in drifted()]
        stale += [ERRORS_SHOWN] if errors_drifted() else []
        for path in stale:
            print(f"drifted: {path}")
        if stale:
            print("run `python -m services.contracts write` and commit the result")
        return 1 if stale else 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
