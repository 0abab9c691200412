# Shared set-up: a virtualenv per Python version with ferromcp built in release mode
# and the test dependencies. Sourced by the other scripts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FERROMCP_CACHE:-$ROOT/.ci/cache}"
mkdir -p "$CACHE"

# find_python 3.13 -> a working python3.13 (pyenv's installs first: its shims may exist
# for versions that are not selected, and then fail when run).
find_python() {
  local v="$1" p
  for p in "$HOME"/.pyenv/versions/"$v".*/bin/python /root/.pyenv/versions/"$v".*/bin/python \
           "$(command -v "python$v" 2>/dev/null || true)"; do
    if [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import sys' >/dev/null 2>&1; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# build_wheel: one release wheel (abi3, so every CPython >= 3.10 takes it) under $CACHE/wheels.
build_wheel() {
  local tools="$CACHE/venv-build"
  [ -x "$tools/bin/python" ] || python3 -m venv "$tools"
  "$tools/bin/python" -m pip install -q "maturin>=1.7,<2"
  rm -rf "$CACHE/wheels"
  "$tools/bin/maturin" build --release --quiet -o "$CACHE/wheels" -m "$ROOT/Cargo.toml" >&2
  ls "$CACHE"/wheels/ferromcp-*.whl
}

# make_venv <python> <dir> <wheel>: a venv with that ferromcp wheel and the test extras.
make_venv() {
  local py="$1" dir="$2" wheel="$3"
  [ -x "$dir/bin/python" ] || "$py" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --upgrade pip
  "$dir/bin/python" -m pip install -q ruff
  "$dir/bin/python" -m pip install -q --force-reinstall --no-deps "$wheel"
  "$dir/bin/python" -m pip install -q "${wheel}[test]"
}
