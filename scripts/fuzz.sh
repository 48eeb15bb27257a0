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
# Seeds: the project's own files of each kind, so the fuzzer starts from
# valid input instead of guessing the shape of a zip or a TOML table.
mkdir -p corpus/movement_toml corpus/csv corpus/xlsx corpus/template corpus/eligibility_json
cp -n ../crates/app/demo/*.toml ../crates/app/templates/*.toml corpus/movement_toml/ 2>/dev/null || true
for f in ../data/admin_units/*.csv; do head -c 4000 "$f" > "corpus/csv/$(basename "$f")"; done
echo '{"subject": {"kind": "individual"}, "proposed": "BANG_KHEN_TINH", "year": 2025, "decision_date": "2026-01-10", "history": {"ratings": [{"year": 2024, "rating": "HTXSNV"}, {"year": 2025, "rating": "HTXSNV"}]}}' > corpus/eligibility_json/seed.json
if command -v soffice >/dev/null && ! ls corpus/xlsx/*.xlsx >/dev/null 2>&1; then
  soffice --headless --convert-to xlsx --outdir corpus/xlsx corpus/csv/provinces_2025.csv >/dev/null 2>&1 || true
fi
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
