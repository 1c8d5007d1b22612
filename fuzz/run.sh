#!/usr/bin/env bash
# Builds the fuzz targets with cargo-afl (stable toolchain) if needed and runs each for
# SECS seconds, one after the other, headless; then prints each target's figures from
# out/<target>/default/fuzzer_stats.
#
#   fuzz/run.sh SECS [TARGET...]      (default: all four targets)
#
# Environment: CARGO_TARGET_DIR (default fuzz/target); FUZZ_TIMEOUT, afl-fuzz's -t
# in ms (default: AFL++'s own); FUZZ_NO_BUILD=1 runs the binaries already built.
#
# A second run resumes the corpus in out/<target> (AFL_AUTORESUME) for SECS more seconds,
# and the figures printed are the totals over all runs; delete out/<target> to start over
# from in/<target>.
set -euo pipefail

cd "$(dirname "$0")"
SECS=${1:?usage: fuzz/run.sh SECS [TARGET...]}
shift
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(decode_parse split_units dot_escape sparql_request)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

# Headless, as root in a container, on a shared machine.
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1
export AFL_NO_AFFINITY=1
export AFL_AUTORESUME=1
export AFL_SKIP_CRASHES=1

if [ -z "${FUZZ_NO_BUILD:-}" ] || [ ! -x "$CARGO_TARGET_DIR/release/${TARGETS[0]}" ]; then
    cargo afl build --release
fi

for t in "${TARGETS[@]}"; do
    # On a resumed run afl-fuzz's -V counts the earlier run_time too.
    before=$(awk -F' *: *' '$1 == "run_time" { print $2 }' "out/$t/default/fuzzer_stats" 2>/dev/null || true)
    args=(-V "$((SECS + ${before:-0}))" -i "in/$t" -o "out/$t")
    [ -f "dict/$t.dict" ] && args+=(-x "dict/$t.dict")
    [ -n "${FUZZ_TIMEOUT:-}" ] && args+=(-t "$FUZZ_TIMEOUT")
    mkdir -p out
    echo "== $t: ${SECS}s (log: out/$t.log)"
    cargo afl fuzz "${args[@]}" -- "$CARGO_TARGET_DIR/release/$t" >"out/$t.log" 2>&1 || {
        echo "afl-fuzz failed for $t, see fuzz/out/$t.log:"
        tail -20 "out/$t.log"
    }
done

echo
printf '%-16s %12s %12s %8s %10s %8s %6s\n' target execs_done execs_per_sec corpus bitmap_cvg crashes hangs
for t in "${TARGETS[@]}"; do
    stats=out/$t/default/fuzzer_stats
    [ -f "$stats" ] || { echo "$t: no fuzzer_stats"; continue; }
    get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    printf '%-16s %12s %12s %8s %10s %8s %6s\n' "$t" "$(get execs_done)" "$(get execs_per_sec)" \
        "$(get corpus_count)" "$(get bitmap_cvg)" "$(get saved_crashes)" "$(get saved_hangs)"
done
for t in "${TARGETS[@]}"; do
    for kind in crashes hangs; do
        found=$(find "out/$t/default/$kind" -type f -name 'id:*' 2>/dev/null | wc -l)
        [ "$found" -eq 0 ] || echo "$t: $found $kind in fuzz/out/$t/default/$kind/"
    done
done
