"""Quick stdio benchmark, ferromcp against the official SDK v1: a shortcut into the harness.

    python benches/quick_stdio.py [more run.py options]

Same as `python3 benches/run.py --quick --servers ferromcp,sdk1 --only spawn,stdio`; the
full harness (all servers, all figures) is `python3 benches/run.py`.
"""

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent / "run.py"

if __name__ == "__main__":
    args = ["--quick", "--servers", "ferromcp,sdk1", "--only", "spawn,stdio", *sys.argv[1:]]
    sys.exit(subprocess.call([sys.executable, str(RUN), *args]))
