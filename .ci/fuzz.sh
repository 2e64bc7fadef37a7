#!/usr/bin/env bash
# Runs every Go fuzz target in the module for FUZZTIME (default 2s) each. Go allows one fuzz
# target per `go test -fuzz` run, so targets are listed per package and run one by one.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-2s}
count=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "fuzz $pkg $target ($fuzztime)"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
      # Go's fuzzer reports "context deadline exceeded" when gathering the baseline coverage
      # of a large seed corpus takes the whole -fuzztime on a busy machine. That is no finding
      # (no failing input is written): give that target one more run with time to fuzz.
      if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input' "$log"; then
        echo "fuzz $pkg $target: baseline coverage took the whole time; again with 10s"
        go test -run '^$' -fuzz "^${target}\$" -fuzztime 10s "$pkg" >"$log" 2>&1 && { count=$((count + 1)); continue; }
      fi
      cat "$log"
      echo "fuzz target $pkg.$target failed" >&2
      exit 1
    fi
    count=$((count + 1))
  done
done
echo "fuzz: $count targets ran $fuzztime each without a failure"
