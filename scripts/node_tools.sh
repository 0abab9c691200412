#!/usr/bin/env bash
# Node 22 and the pinned npm tools that test ferromcp from outside (the official MCP
# conformance suite, the MCP Inspector CLI), installed under .ci/cache/ on first use and
# reused from there afterwards, so later runs work offline.
#
#   bash scripts/node_tools.sh install [conformance] [inspector]   # install what is missing
#   bash scripts/node_tools.sh run conformance <args...>           # npx @modelcontextprotocol/conformance@<pin>
#   bash scripts/node_tools.sh run inspector <args...>             # @modelcontextprotocol/inspector@<pin>
#   bash scripts/node_tools.sh versions                            # print the pins
#
# The machine's node is v20; both tools need >= 22 (the Inspector >= 22.19), so Node itself
# comes from the npm registry's `node` package into a local prefix, put first on PATH.
#
# Pins (exact, so a run means the same thing tomorrow):
# - node 22.23.3: the newest 22.x on the registry; 22 is the line both tools support and
#   the Inspector needs >= 22.19.
# - @modelcontextprotocol/conformance 0.2.0-alpha.12: the newest published (2026-10-01).
#   The `latest` tag (0.1.16, May 2026) lacks the server-session-lifecycle scenario (the only
#   one for 2025-03-26), the per-message JSON-schema validation of everything the server
#   sends, and the 2026-07-28 requirement set we will need next.
# - @modelcontextprotocol/inspector 2.12.0: the newest published (2026-10-21, `latest`).
set -euo pipefail

NODE_VERSION=22.23.3
CONFORMANCE_VERSION=0.2.0-alpha.12
INSPECTOR_VERSION=2.12.0

_NT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_TOOLS_CACHE="${FERROMCP_CACHE:-$_NT_ROOT/.ci/cache}"
NODE_PREFIX="$NODE_TOOLS_CACHE/node-$NODE_VERSION"
CONFORMANCE_PREFIX="$NODE_TOOLS_CACHE/npm-conformance-$CONFORMANCE_VERSION"
INSPECTOR_PREFIX="$NODE_TOOLS_CACHE/npm-inspector-$INSPECTOR_VERSION"
# npm's own download cache goes under .ci/cache too; the user config's warnings stay quiet.
export NPM_CONFIG_CACHE="$NODE_TOOLS_CACHE/npm-cache"
export NPM_CONFIG_LOGLEVEL=error
export NPM_CONFIG_UPDATE_NOTIFIER=false
export NPM_CONFIG_FUND=false
export NPM_CONFIG_AUDIT=false

_nt_log() { echo "node_tools: $*" >&2; }

# _nt_installed_version <prefix> <package>: the version installed there, or nothing.
_nt_installed_version() {
  local pj="$1/node_modules/$2/package.json"
  [ -f "$pj" ] || return 0
  sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$pj" | head -n 1
}

# _nt_npm_install <prefix> <package> <version>: install an exact version into a prefix,
# unless it is already there. Serialised with a lock: test runs may start in parallel.
_nt_npm_install() {
  local prefix="$1" pkg="$2" version="$3"
  if [ "$(_nt_installed_version "$prefix" "$pkg")" = "$version" ]; then
    return 0
  fi
  command -v npm >/dev/null || { _nt_log "npm not found (it comes with the machine's node)"; return 1; }
  mkdir -p "$prefix"
  (
    flock 9
    if [ "$(_nt_installed_version "$prefix" "$pkg")" != "$version" ]; then
      _nt_log "installing $pkg@$version into ${prefix#"$_NT_ROOT"/}"
      npm install --prefix "$prefix" --save-exact --no-audit --no-fund "$pkg@$version" >&2
      [ "$(_nt_installed_version "$prefix" "$pkg")" = "$version" ] || {
        _nt_log "$pkg@$version did not install"
        exit 1
      }
    fi
  ) 9>"$prefix.lock"
}

# ensure_node: Node $NODE_VERSION first on PATH (installed on first use).
ensure_node() {
  _nt_npm_install "$NODE_PREFIX" node "$NODE_VERSION"
  local bin="$NODE_PREFIX/node_modules/.bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    _nt_log "node in $bin does not run as v$NODE_VERSION"
    return 1
  fi
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) export PATH="$bin:$PATH" ;;
  esac
}

ensure_tool() {
  ensure_node
  case "$1" in
    conformance) _nt_npm_install "$CONFORMANCE_PREFIX" @modelcontextprotocol/conformance "$CONFORMANCE_VERSION" ;;
    inspector) _nt_npm_install "$INSPECTOR_PREFIX" @modelcontextprotocol/inspector "$INSPECTOR_VERSION" ;;
    *) _nt_log "unknown tool: $1 (conformance or inspector)"; return 2 ;;
  esac
}

run_tool() {
  local tool="$1"
  shift
  ensure_tool "$tool"
  case "$tool" in
    conformance)
      # npx from the prefix resolves the pinned local install: no download, works offline.
      (cd "$CONFORMANCE_PREFIX" &&
        exec npx --offline --no-install "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION" "$@")
      ;;
    inspector)
      # The installed bin keeps the caller's working directory (stdio servers start there).
      exec "$INSPECTOR_PREFIX/node_modules/.bin/inspector" "$@"
      ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cmd="${1:-}"
  shift || true
  case "$cmd" in
    install)
      [ $# -gt 0 ] || set -- conformance inspector
      for tool in "$@"; do ensure_tool "$tool"; done
      ;;
    run)
      [ $# -gt 0 ] || { _nt_log "usage: $0 run <conformance|inspector> <args...>"; exit 2; }
      run_tool "$@"
      ;;
    versions)
      echo "node $NODE_VERSION"
      echo "@modelcontextprotocol/conformance $CONFORMANCE_VERSION"
      echo "@modelcontextprotocol/inspector $INSPECTOR_VERSION"
      ;;
    *)
      sed -n '2,10p' "$0" >&2
      exit 2
      ;;
  esac
fi
