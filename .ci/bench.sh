#!/usr/bin/env bash
# Runs the Go benchmarks natively and under js/wasm (Node), then every browser benchmark
# js/bench/*.bench.mjs in headless Chromium, and writes one JSON array of results to $1
# (medians; js/scripts/benchjson.mjs merges them). Knobs:
#   BENCHCOUNT  samples each figure is the median of (default 5; go test -count)
#   BENCHTIME   go test -benchtime of each Go sample (default 1s; 1x runs each op once)
#   BENCHQUICK  1 shrinks the browser benchmarks' workloads (see each js/bench file)
#   BENCHONLY   a regular expression: only the stages (native, wasm, browser:<file name>) it matches
# A stage that fails is reported and the others still run; the script then exits non-zero,
# after writing what was measured.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench.json}
count=${BENCHCOUNT:-5}
benchtime=${BENCHTIME:-1s}
only=${BENCHONLY:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=()

# stage NAME CMD…: runs CMD with the stage's name and time around it, if BENCHONLY selects it.
stage() {
  local name=$1
  shift
  [[ $name =~ $only ]] || return 0
  echo "bench: $name" >&2
  local start=$SECONDS
  if ! "$@"; then failed+=("$name"); fi
  echo "bench: $name took $((SECONDS - start)) s" >&2
}

gobench() {
  go test -run '^$' -bench . -benchmem -benchtime "$benchtime" -count "$count" -timeout 0 "$@"
}

# Packages with a Benchmark function, found in the source: a package whose tests do not
# compile then fails its stage instead of silently dropping out of it.
bench_pkgs=()
wasm_pkgs=()
if [[ native =~ $only || wasm =~ $only ]]; then
  mapfile -t bench_pkgs < <(grep -rl --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git '^func Benchmark' . | xargs -n1 dirname | sort -u | xargs go list)
fi
# Under js/wasm in Node: not what needs the network stack or SQLite, nor idbstore, whose
# IndexedDB benchmarks run in Chromium (js/bench/idbstore.bench.mjs).
for p in "${bench_pkgs[@]}"; do
  case "$p" in */node | */node/* | */core/sqlitestore | */core/connectapi | */idbstore) ;; *) wasm_pkgs+=("$p") ;; esac
done
: > "$tmp/native.txt"
: > "$tmp/wasm.txt"
: > "$tmp/browser.jsonl"
native() { gobench "${bench_pkgs[@]}" | tee "$tmp/native.txt"; }
wasm() { GOOS=js GOARCH=wasm PATH="$(go env GOROOT)/lib/wasm:$PATH" gobench "${wasm_pkgs[@]}" | tee "$tmp/wasm.txt"; }
# A browser benchmark prints one JSON array on stdout (a line); its progress goes to stderr.
browser() { node "$1" > "$tmp/one.json" && cat "$tmp/one.json" >> "$tmp/browser.jsonl"; }
[ ${#bench_pkgs[@]} -eq 0 ] || stage native native
[ ${#wasm_pkgs[@]} -eq 0 ] || stage wasm wasm
for b in js/bench/*.bench.mjs; do
  stage "browser:$(basename "$b" .bench.mjs)" browser "$b"
done
node js/scripts/benchjson.mjs "$tmp/native.txt" "$tmp/wasm.txt" "$tmp/browser.jsonl" > "$out"
echo "bench: wrote $out"
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
