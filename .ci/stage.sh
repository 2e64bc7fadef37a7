#!/usr/bin/env bash
# Runs one stage of `make test` and prints its wall time, so every run shows where time goes.
# Usage: stage.sh NAME command [args...]
set -uo pipefail
name=$1
shift
start=$(date +%s%N)
echo "=== stage $name: $*"
"$@"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
secs=$(printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)))
printf '=== stage %s: %s in %s s\n' "$name" "$([ $rc = 0 ] && echo ok || echo FAILED)" "$secs"
echo "$name $secs $rc" >> "${STAGE_LOG:-/dev/null}"
exit $rc
