#!/usr/bin/env bash
# The official MCP conformance suite against tests/conformance/everything_server.py over
# Streamable HTTP, for 2025-11-25 and every earlier spec version the suite knows.
#
#   bash scripts/conformance.sh [--flavour ferromcp|sdk] [--python PY]
#                               [--spec-version V]... [--scenario NAME]
#
# --flavour ferromcp (default) serves the fixtures with ferromcp; --flavour sdk with the
# official SDK v1 (a reference run). --python is the interpreter that runs the server; by
# default $CACHE/venv-3.11 (what scripts/test.sh builds; built here if missing) for
# ferromcp, and $CACHE/venv-sdk1 (mcp==1.30.0, the last v1, created here if missing) for sdk.
# Node 22 and the suite come from scripts/node_tools.sh (pinned, cached under .ci/cache/).
#
# Exits non-zero if any check of any spec version fails. There is no expected-failures list.
# Each version's full output and per-check JSON go to $CACHE/conformance-results/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$ROOT/scripts/node_tools.sh"
cd "$ROOT"

# Spec versions the pinned suite accepts for --spec-version, up to 2025-11-25 (the newest
# session-era revision, which ferromcp serves). 2024-11-05 is not on the suite's timeline;
# 2026-07-28 (sessionless) can be asked for explicitly.
DEFAULT_SPEC_VERSIONS=(2025-11-25 2025-06-18 2025-03-26)
SDK_V1_PIN="mcp==1.30.0"

flavour=ferromcp
python=""
spec_versions=()
scenario=""
while [ $# -gt 0 ]; do
  case "$1" in
    --flavour) flavour="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --spec-version) spec_versions+=("$2"); shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "conformance.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#spec_versions[@]} -gt 0 ] || spec_versions=("${DEFAULT_SPEC_VERSIONS[@]}")
case "$flavour" in
  ferromcp | sdk) ;;
  *) echo "conformance.sh: --flavour is ferromcp or sdk" >&2; exit 2 ;;
esac

# --- the interpreter that serves the fixtures ----------------------------------------------

# default_python: set $python to the flavour's cached venv, creating it if missing. (Not
# called through $(...): errexit must stop the script when a build step fails.)
default_python() {
  local venv
  if [ "$flavour" = sdk ]; then
    venv="$CACHE/venv-sdk1"
    if ! "$venv/bin/python" -c 'import mcp.server.fastmcp' >/dev/null 2>&1; then
      echo "== creating $venv ($SDK_V1_PIN)"
      python3 -m venv "$venv"
      "$venv/bin/python" -m pip install -q "$SDK_V1_PIN"
    fi
  else
    venv="$CACHE/venv-3.11"
    if ! "$venv/bin/python" -c 'import ferromcp, mcp' >/dev/null 2>&1; then
      echo "== building ferromcp into $venv"
      local py wheel
      py="$(find_python 3.11)" || { echo "python3.11 not found" >&2; exit 1; }
      wheel="$(build_wheel)"
      make_venv "$py" "$venv" "$wheel"
    fi
  fi
  python="$venv/bin/python"
}
[ -n "$python" ] || default_python
"$python" -c 'import mcp.types' || { echo "$python cannot import mcp (the fixtures use mcp.types)" >&2; exit 1; }

ensure_tool conformance

# --- start the everything server and wait until it listens --------------------------------

results="$CACHE/conformance-results"
mkdir -p "$results"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port/mcp"
server_log="$results/server-$flavour.log"

"$python" tests/conformance/everything_server.py --flavour "$flavour" --host 127.0.0.1 \
  --port "$port" >"$server_log" 2>&1 &
server_pid=$!

stop_server() {
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

server_died() {
  echo "conformance: the $flavour everything server is not running; the end of its log:" >&2
  tail -n 30 "$server_log" | sed 's/^/  | /' >&2
  exit 1
}

for _ in $(seq 300); do
  kill -0 "$server_pid" 2>/dev/null || server_died
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || {
  echo "conformance: nothing listens on port $port after 30 s" >&2
  server_died
}
echo "== everything server ($flavour, $("$python" --version 2>&1)) at $url"

# --- run the suite, version by version ------------------------------------------------------

# failed_checks <dir>: "scenario  check-id  message" for each FAILURE in the saved checks.
failed_checks() {
  node -e '
    const fs = require("fs"), path = require("path");
    for (const d of fs.readdirSync(process.argv[1]).sort()) {
      const f = path.join(process.argv[1], d, "checks.json");
      if (!fs.existsSync(f)) continue;
      const scenario = d.replace(/^server-/, "").replace(/-\d{4}-\d\d-\d\dT.*$/, "");
      for (const c of JSON.parse(fs.readFileSync(f, "utf8")))
        if (c.status === "FAILURE")
          console.log(`${scenario}  ${c.id}  ${(c.errorMessage || c.description || "").split("\n")[0]}`);
    }' "$1"
}

status=0
for version in "${spec_versions[@]}"; do
  out="$results/$flavour-$version"
  rm -rf "$out"
  mkdir -p "$out"
  args=(server --url "$url" --spec-version "$version" -o "$out/checks")
  if [ -n "$scenario" ]; then args+=(--scenario "$scenario"); else args+=(--suite all); fi

  echo "== conformance $CONFORMANCE_VERSION, spec $version, $flavour"
  rc=0
  # npx from the suite's prefix resolves the pinned local install (no download: offline-safe).
  (cd "$CONFORMANCE_PREFIX" &&
    timeout 900 npx --offline --no-install "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION" \
      "${args[@]}") >"$out/output.log" 2>&1 || rc=$?

  # The result lines: one per scenario and the total, prefixed so they read as this run's.
  sed 's/\x1b\[[0-9;]*m//g' "$out/output.log" |
    awk '/^=== SUMMARY ===/ {on = 1; next} on && NF' |
    sed "s/^/  [$flavour $version] /"
  totals="$(sed 's/\x1b\[[0-9;]*m//g' "$out/output.log" | grep -E '^(Total|Passed): ' | tail -n 1 || true)"
  if [ -n "$scenario" ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$out/output.log" | grep -E '^[0-9T:.-]+Z \[' | sed "s/^/  [$flavour $version] /" || true
    sed 's/\x1b\[[0-9;]*m//g' "$out/output.log" | grep -E '^SKIPPED:' | sed "s/^/  [$flavour $version] /" || true
    if [ -n "$totals" ]; then echo "  [$flavour $version] $totals"; fi
  fi

  if [ "$rc" -ne 0 ] || { [ -z "$totals" ] && ! grep -q '^SKIPPED:' "$out/output.log"; }; then
    status=1
    echo "  [$flavour $version] FAILED (suite exit $rc); failed checks:"
    if [ -d "$out/checks" ]; then failed_checks "$out/checks" | sed "s/^/    /"; fi
    if [ -z "$totals" ]; then tail -n 20 "$out/output.log" | sed 's/^/    | /'; fi
    echo "    full output: ${out#"$ROOT"/}/output.log"
  fi
  kill -0 "$server_pid" 2>/dev/null || server_died
done

if [ "$status" -ne 0 ]; then
  echo "== conformance: FAILED ($flavour)"
else
  echo "== conformance: all checks passed ($flavour; spec ${spec_versions[*]})"
fi
exit "$status"
