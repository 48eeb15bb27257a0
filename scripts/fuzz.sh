#!/usr/bin/env bash
# Fuzzing harness: every parser of untrusted input under libFuzzer
# (cargo-fuzz, on the stable toolchain through RUSTC_BOOTSTRAP=1).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]
# Default 600 s (10 minutes) per target, all targets in fuzz/Cargo.toml,
# two at a time (the machine has two cores). Corpora stay in fuzz/corpus/,
# crashes in fuzz/artifacts/ (both ignored by git); a crash found becomes a
# regression test next to the parser. Prints runs and coverage per target
# and exits non-zero if any target crashed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_EACH="${1:-600}"
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || mapfile -t TARGETS < <(cargo fuzz list)
cargo fuzz build
mkdir -p logs
run() {
  local t="$1"
  mkdir -p "corpus/$t"
  if cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
      -max_len=262144 -print_final_stats=1 >"logs/$t.log" 2>&1; then
    echo "ok    $t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "logs/$t.log" | awk '{print $2}') runs, $(grep -oE 'cov: [0-9]+' "logs/$t.log" | tail -1)"
  else
    echo "CRASH $t: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    return 1
  fi
}
failed=0
pids=()
for t in "${TARGETS[@]}"; do
  run "$t" & pids+=($!)
  if [ "${#pids[@]}" -ge 2 ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit "$failed"
