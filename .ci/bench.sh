#!/usr/bin/env bash
# Runs the Go benchmarks natively and under js/wasm (Node), BENCHCOUNT times each (default 5,
# reported as medians; BENCHTIME per run, default 1s, e.g. 1x for a quick pass), then every
# browser benchmark js/bench/*.bench.mjs, and writes one JSON array of results to $1. Later
# issues add entries by adding Benchmark functions or browser benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench.json}
count=${BENCHCOUNT:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pkgs=$(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./... )
bench_pkgs=()
for p in $pkgs; do
  if go test -list '^Benchmark' "$p" 2>/dev/null | grep -q '^Benchmark'; then bench_pkgs+=("$p"); fi
done
: > "$tmp/native.txt"
: > "$tmp/wasm.txt"
if [ ${#bench_pkgs[@]} -gt 0 ]; then
  echo "bench: native: ${bench_pkgs[*]}"
  go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-1s}" -count "$count" "${bench_pkgs[@]}" | tee "$tmp/native.txt"
  wasm_pkgs=()
  for p in "${bench_pkgs[@]}"; do
    case "$p" in */node|*/node/*|*/core/sqlitestore|*/core/connectapi) ;; *) wasm_pkgs+=("$p") ;; esac
  done
  if [ ${#wasm_pkgs[@]} -gt 0 ]; then
    echo "bench: js/wasm: ${wasm_pkgs[*]}"
    GOOS=js GOARCH=wasm PATH="$(go env GOROOT)/lib/wasm:$PATH" \
      go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-1s}" -count "$count" "${wasm_pkgs[@]}" | tee "$tmp/wasm.txt"
  fi
fi
: > "$tmp/browser.jsonl"
for b in js/bench/*.bench.mjs; do
  echo "bench: browser: $b"
  node "$b" >> "$tmp/browser.jsonl"
done
node js/scripts/benchjson.mjs "$tmp/native.txt" "$tmp/wasm.txt" "$tmp/browser.jsonl" > "$out"
echo "bench: wrote $out"
