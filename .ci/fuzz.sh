#!/usr/bin/env bash
# Runs every Go fuzz target in the module for FUZZTIME (default 3s) each. Go allows one fuzz
# target per `go test -fuzz` run, so targets are listed per package and run one by one.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-3s}
count=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/goxmtp-fuzz.log 2>&1 || {
      cat /tmp/goxmtp-fuzz.log
      echo "fuzz target $pkg.$target failed" >&2
      exit 1
    }
    count=$((count + 1))
  done
done
echo "fuzz: $count targets ran $fuzztime each without a failure"
