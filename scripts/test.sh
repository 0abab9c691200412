#!/usr/bin/env bash
# The whole test suite on a fresh machine: Rust checks and tests, then the Python suites
# on CPython 3.11 and 3.13 against an installed (release-built) ferromcp.
source "$(dirname "$0")/env.sh"
cd "$ROOT"

echo "== cargo fmt / clippy / test"
cargo fmt --check
cargo clippy --all-targets --features python -- -D warnings
cargo test

echo "== Node 22, the MCP conformance suite and the Inspector (pinned, cached under .ci/cache)"
bash "$ROOT/scripts/node_tools.sh" install

wheel="$(build_wheel)"
for v in 3.11 3.13; do
  py="$(find_python "$v")" || { echo "python$v not found (needed by the suite)" >&2; exit 1; }
  venv="$CACHE/venv-$v"
  echo "== Python $v ($py)"
  make_venv "$py" "$venv" "$wheel"
  if [ "$v" = 3.11 ]; then
    "$venv/bin/ruff" check python tests benches examples
    "$venv/bin/ruff" format --check python tests benches examples
  fi
  # Run from a directory without the source tree on sys.path, so the installed package is tested.
  (cd "$ROOT/tests" && "$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$ROOT" -c "$ROOT/pyproject.toml" "$ROOT/tests" "$@")
done
echo "== all tests passed"
