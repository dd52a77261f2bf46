#!/usr/bin/env bash
# run-fuzz.sh TARGET SEEDS WORKDIR SECONDS
# Runs one libFuzzer TARGET for SECONDS ($PTL_FUZZ_SECONDS overrides it;
# meson's timeout is SECONDS + 120, so only shorten it that way),
# starting from the committed SEEDS (never written to) and a working corpus
# in WORKDIR/corpus that persists between local runs. Crash inputs land in
# WORKDIR/artifacts. Exits non-zero on any crash, leak or sanitizer report,
# and always prints how many inputs were tried.
set -u
target=$1 seeds=$2 work=$3 seconds=${PTL_FUZZ_SECONDS:-$4}
name=$(basename "$target")

mkdir -p "$work/corpus" "$work/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" >"$work/log" 2>&1
status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
done_line=$(grep -E '^Done [0-9]+ runs' "$work/log" | tail -n 1)
corpus=$(find "$work/corpus" -type f | wc -l)
if [ "$status" != 0 ]; then
    echo "$name: FAILED (exit $status) after ${runs:-?} executions; log:"
    tail -n 60 "$work/log"
    ls -l "$work/artifacts"
    exit 1
fi
echo "$done_line"
echo "$name: ${runs:-?} executions in $seconds s, no crash; corpus $corpus inputs (+ seeds)"
