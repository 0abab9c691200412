#!/usr/bin/env bash
# The main job on a fresh machine: build and install ferromcp, then run the example
# server over stdio against a real MCP client session that lists and calls its tools.
source "$(dirname "$0")/env.sh"
py="$(find_python 3.11 || command -v python3)"
wheel="$(build_wheel)"
make_venv "$py" "$CACHE/venv-3.11" "$wheel"
cd "$ROOT/examples"
"$CACHE/venv-3.11/bin/python" demo_client.py
