#!/usr/bin/env bash
# Set up runbook-bot on a fresh Debian/Ubuntu (or any) machine: a virtualenv with the package and
# its development extras (the tools pinned in constraints/dev.txt), and a Chromium: Playwright's
# own when it can be downloaded, else the system's (installed with apt-get when running as root),
# else a clear message saying what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    say "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1)). Install it and re-run."
    exit 1
  fi
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing python3-venv with apt-get"
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$PYTHON" -m venv "$VENV"
    else
      say "cannot create a virtualenv: install python3-venv (sudo apt-get install python3-venv)"
      exit 1
    fi
  fi
fi

say "installing runbook-bot with its development extras (tools pinned in constraints/dev.txt) into $VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$VENV/bin/python" -m pip install -q -e '.[dev]' -c constraints/dev.txt

has_system_chromium() {
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$name" >/dev/null 2>&1 && return 0
  done
  [ -n "${BOT_BROWSER_PATH:-}" ] && [ -x "$BOT_BROWSER_PATH" ]
}

# Headless runs use Chromium's headless shell when the system has one (a third less CPU a run:
# docs/benchmarks.md); Debian and Ubuntu package it as chromium-headless-shell. Optional.
system_headless_shell() {
  if "$VENV/bin/python" -c 'from bot.app.browser import system_headless_shell as s; raise SystemExit(s() is None)'; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Chromium's headless shell (chromium-headless-shell) with apt-get, for headless runs"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1 \
        || say "no chromium-headless-shell package here: headless runs use the full Chromium"
    fi
  else
    say "tip: 'sudo apt-get install chromium-headless-shell' makes headless runs lighter"
  fi
}

if "$VENV/bin/python" -c 'from bot.app.browser import managed_chromium as m; raise SystemExit(m() is None)'; then
  say "Playwright's own Chromium is installed"
elif timeout 300 "$VENV/bin/playwright" install chromium >/dev/null 2>&1; then
  say "installed Playwright's own Chromium"
elif has_system_chromium; then
  say "Playwright cannot download its Chromium here; using the system's"
  system_headless_shell
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "Playwright cannot download its Chromium here; installing Debian's chromium with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  system_headless_shell
else
  say "No Chromium: run 'sudo apt-get install -y chromium' (or 'playwright install chromium' where"
  say "downloads work), or set BOT_BROWSER_PATH to a Chrome/Chromium binary, then re-run."
  exit 1
fi
"$VENV/bin/bot" doctor --no-launch >&2

# The tests' Node.js packages (tests/node): a third-party OpenID client (npm openid-client) run
# against the Acumatica simulator, and Playwright browser servers (npm playwright-core) for fleets.
NODE_PACKAGES=tests/node
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "Node.js 20+ and npm not found: tests/oidc and tests/fleet will fail until they are installed (then re-run)"
elif [ ! -f "$NODE_PACKAGES/node_modules/.package-lock.json" ] \
  || [ "$NODE_PACKAGES/package-lock.json" -nt "$NODE_PACKAGES/node_modules/.package-lock.json" ]; then
  say "installing the tests' Node.js packages (npm ci in $NODE_PACKAGES)"
  npm ci --prefix "$NODE_PACKAGES" --no-audit --no-fund --loglevel=error >/dev/null \
    || say "npm ci failed in $NODE_PACKAGES: tests/oidc and tests/fleet will fail until it succeeds"
fi
