#!/usr/bin/env bash
# The wheel as a user meets it (`pipx install 'runbook-bot[sim]'`): built from this checkout,
# installed into fresh virtualenvs outside it, used from an empty folder. `.ci/run` runs this after
# `make test`; run it alone with `bash scripts/check-wheel.sh` (needs PyPI, a Chromium, ~2 min).
#   with [sim]:    bot init · bot run reauthorize --client demo (passes) · bot report ID ·
#                  bot trace ID --no-open (the URL answers 200)
#   without [sim]: no Flask, Authlib, pytest or tenacity installed; the demo says which extra
#                  to install and exits 2
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/runbook-bot-wheel.XXXXXX")
VIEWER_PID=""
unset BOT_CONFIG

say() { printf '\033[1m[check-wheel]\033[0m %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; say "kept for a look: $WORK"; exit 1; }
finish() {
  if [ -n "$VIEWER_PID" ]; then kill "$VIEWER_PID" 2>/dev/null || true; fi
  if [ "${1:-1}" = 0 ]; then rm -rf "$WORK"; fi
}
trap 'finish $?' EXIT

say "building the wheel (from a copy of the sources: the checkout stays clean)"
mkdir -p "$WORK/src" "$WORK/dist"
tar -c --exclude=__pycache__ pyproject.toml README.md bot runbooks fixtures | tar -x -C "$WORK/src"
"$PYTHON" -m venv "$WORK/builder"
"$WORK/builder/bin/python" -m pip install -q --upgrade pip
"$WORK/builder/bin/python" -m pip wheel -q --no-deps -w "$WORK/dist" "$WORK/src"
WHEEL=$(ls "$WORK"/dist/runbook_bot-*.whl)
say "$(basename "$WHEEL"): $("$WORK/builder/bin/python" -m zipfile -l "$WHEEL" | tail -n +2 | wc -l) files"

# -- with [sim]: the README's "Install as a tool" ------------------------------------------------
say "installing $(basename "$WHEEL")[sim] into a fresh virtualenv"
"$PYTHON" -m venv "$WORK/sim"
"$WORK/sim/bin/python" -m pip install -q "$WHEEL[sim]"
WITH_SIM=$("$WORK/sim/bin/python" -m pip list --format=freeze)
say "with [sim]: $(echo "$WITH_SIM" | wc -l) packages: $(echo "$WITH_SIM" | cut -d= -f1 | tr '\n' ' ')"
BOT="$WORK/sim/bin/bot"
mkdir "$WORK/demo" && cd "$WORK/demo"

"$BOT" init
timeout 300 "$BOT" run reauthorize --client demo | tee run.log || fail "the demo run did not pass"
grep -q "^PASSED  reauthorize" run.log || fail "no PASSED verdict"
RUN_ID=$(sed -n 's/^  run \([0-9a-f]\{8\}\) .*/\1/p' run.log)
[ -n "$RUN_ID" ] || fail "no run id in the verdict"

REPORT=$("$BOT" report "$RUN_ID")
[ -f "$REPORT" ] || fail "bot report $RUN_ID printed $REPORT, which is not a file"
say "bot report $RUN_ID: $REPORT"

"$BOT" trace "$RUN_ID" --no-open >trace.log 2>&1 &
VIEWER_PID=$!
URL=""
for _ in $(seq 120); do  # up to a minute for the viewer to print its URL
  URL=$(grep -o 'http://127\.0\.0\.1[^ ]*' trace.log || true)
  [ -n "$URL" ] && break
  kill -0 "$VIEWER_PID" 2>/dev/null || fail "bot trace exited: $(cat trace.log)"
  sleep 0.5
done
[ -n "$URL" ] || fail "bot trace printed no URL: $(cat trace.log)"
"$WORK/sim/bin/python" - "$URL" <<'EOF' || fail "the trace viewer did not answer 200"
import sys, urllib.parse, urllib.request

url = sys.argv[1]
trace = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["trace"][0]
for address in (url, trace):
    with urllib.request.urlopen(address, timeout=30) as answer:
        print(f"  {answer.status}  {address[:100]}")
        assert answer.status == 200
EOF
kill "$VIEWER_PID" && wait "$VIEWER_PID" || fail "bot trace did not stop cleanly on SIGTERM"
VIEWER_PID=""
say "bot trace $RUN_ID --no-open: the viewer and the trace answer 200"

# -- without [sim]: what `pip install runbook-bot` brings -----------------------------------------
say "installing $(basename "$WHEEL") (no extras) into a fresh virtualenv"
"$PYTHON" -m venv "$WORK/bare"
"$WORK/bare/bin/python" -m pip install -q "$WHEEL"
INSTALLED=$("$WORK/bare/bin/python" -m pip list --format=freeze)
say "without extras: $(echo "$INSTALLED" | wc -l) packages: $(echo "$INSTALLED" | cut -d= -f1 | tr '\n' ' ')"
for unwanted in flask authlib werkzeug requests pytest pytest-playwright tenacity; do
  if echo "$INSTALLED" | grep -qi "^${unwanted}=="; then fail "a plain install pulled in $unwanted"; fi
done
mkdir "$WORK/bare-demo" && cd "$WORK/bare-demo"
"$WORK/bare/bin/bot" init >/dev/null
set +e
"$WORK/bare/bin/bot" run reauthorize --client demo >out.log 2>err.log
CODE=$?
set -e
cat err.log >&2
[ "$CODE" = 2 ] || fail "without [sim], the demo exited $CODE (expected 2)"
grep -q "pip install 'runbook-bot\[sim\]'" err.log || fail "the message does not name the extra"
if grep -q Traceback err.log; then fail "a traceback"; fi
[ ! -e runs ] || fail "a run folder was left behind"
say "without [sim]: the demo names the extra and exits 2"
say "ok"
