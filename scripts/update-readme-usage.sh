#!/bin/sh
# Rewrites README.md's usage block (the first ``` block after "## Usage") from
# `rustnet --help`, which tests/cli checks it against. Usage: scripts/update-readme-usage.sh [BIN]
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/release/rustnet}
help=$(mktemp)
trap 'rm -f "$help"' EXIT
"$bin" --help >"$help"
python3 - "$help" <<'PY'
import sys
help_text = open(sys.argv[1]).read()
readme = open("README.md").read()
section = readme.index("## Usage\n")
start = readme.index("```\n", section) + 4
end = readme.index("```\n", start)
open("README.md", "w").write(readme[:start] + help_text + readme[end:])
PY
