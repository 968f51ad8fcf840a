#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/) and run each for a while.
#
#   scripts/fuzz.sh [SECONDS]     default 60 seconds per fuzzer
#   scripts/fuzz.sh --ci          what CI runs (scripts/test.sh): a fixed seed and a fixed number of
#                                 runs per fuzzer (about half a minute each on a 2-core machine), so a
#                                 run's inputs do not depend on the machine's speed or load
#
# Configures build/fuzz with clang++-14, SELLERHEALTH_BUILD_FUZZERS=ON and SELLERHEALTH_WERROR=ON
# (tests, examples and benchmarks off), builds, copies each seed corpus fuzz/corpus/<name>/ to a
# fresh scratch corpus build/fuzz/run/<name>/corpus (the seeds in the repository are never
# written), and runs fuzz_<name> with -max_total_time=SECONDS. Crash, leak and timeout inputs go to
# build/fuzz/run/<name>/artifacts/, the full log to build/fuzz/run/<name>/log. Prints each
# fuzzer's executions ("Done N runs in S second(s)") and exits non-zero if any fuzzer failed.
# Reproduce a finding with: build/fuzz/fuzz/fuzz_<name> <artifact file>
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ci=0
duration=60
if [ "${1:-}" = "--ci" ]; then
  ci=1
elif [ -n "${1:-}" ]; then
  duration="$1"
fi
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS | --ci]   (SECONDS a positive whole number, default 60)" >&2
  exit 2
fi
# --ci: executions per fuzzer, each about half a minute here (halved from a minute to keep CI under
# 15 minutes; scripts/fuzz.sh SECONDS runs longer). Measured as bench/README.md describes.
declare -A ci_runs=([events_csv]=150000 [ledger]=75000 [snapshot]=450000)

cxx="$(command -v clang++-14)" || { echo "fuzz.sh: clang++-14 not found (run scripts/install-deps.sh)" >&2; exit 1; }
dir="build/fuzz"

source scripts/cmake-tree.sh
reset_tree_if_changed "$dir" "$cxx" fuzz

echo "=== [fuzz] configure and build $dir ($cxx)"
cmake -S . -B "$dir" "${generator_args[@]}" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1 -g" \
  -DSELLERHEALTH_BUILD_FUZZERS=ON -DSELLERHEALTH_WERROR=ON -DSELLERHEALTH_BUILD_TESTS=OFF \
  -DSELLERHEALTH_BUILD_EXAMPLES=OFF -DSELLERHEALTH_BUILD_BENCHMARKS=OFF
cmake --build "$dir" -j2

failed=0
summary=()
for seeds in fuzz/corpus/*/; do
  name="$(basename "$seeds")"
  exe="$dir/fuzz/fuzz_$name"
  if [ ! -x "$exe" ]; then
    echo "fuzz.sh: no fuzzer $exe for corpus $seeds" >&2
    failed=1
    summary+=("fuzz_$name: MISSING")
    continue
  fi
  run="$dir/run/$name"
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts"
  cp -R "$seeds". "$run/corpus/"
  if [ "$ci" -eq 1 ]; then
    limit=(-seed=1 -runs="${ci_runs[$name]:-100000}")
    echo "=== [fuzz_$name] ${ci_runs[$name]:-100000} runs, seed 1, corpus $run/corpus"
  else
    limit=(-max_total_time="$duration")
    echo "=== [fuzz_$name] ${duration}s, corpus $run/corpus"
  fi
  status=0
  "$exe" "${limit[@]}" -timeout=25 -print_final_stats=1 \
    -artifact_prefix="$run/artifacts/" "$run/corpus" >"$run/log" 2>&1 || status=$?
  done_line="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "$run/log" | tail -n1 || true)"
  if [ -z "$done_line" ]; then  # a crash ends the run before "Done ..."; the final stats still count
    done_line="$(grep -Eo 'number_of_executed_units: *[0-9]+' "$run/log" | tail -n1 | sed 's/.*: */executed /;s/$/ runs/' || true)"
  fi
  if [ "$status" -ne 0 ]; then
    failed=1
    tail -n 60 "$run/log"
    artifacts="$(ls "$run/artifacts" 2>/dev/null | tr '\n' ' ')"
    summary+=("fuzz_$name: FAIL (exit $status) ${done_line:-runs unknown}; artifacts: ${artifacts:-none} in $run/artifacts")
  else
    summary+=("fuzz_$name: PASS, $done_line, corpus $(ls "$run/corpus" | wc -l) inputs")
  fi
done

echo "=== [fuzz] summary"
for line in "${summary[@]}"; do echo "  $line"; done
exit "$failed"
