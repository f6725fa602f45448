"""`python -m services.contracts write` regenerates deploy/contracts from the code;
`python -m services.contracts check` lists the files that drifted and exits 1 if any did."""

from __future__ import annotations

import sys

from services.contracts.files import ROOT, drifted, write

SHOWN = f"{ROOT.parent.name}/{ROOT.name}"
USAGE = "usage: python -m services.contracts write|check"


def main(argv: list[str]) -> int:
    if argv == ["write"]:
        for path in write():
            print(f"wrote {SHOWN}/{path}")
        return 0
    if argv == ["check"]:
        stale = drifted()
        for path in stale:
            print(f"drifted: {SHOWN}/{path}")
        if stale:
            print("run `python -m services.contracts write` and commit the result")
        return 1 if stale else 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
