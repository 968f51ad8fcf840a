#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/) and run each for a while.
#
#   scripts/fuzz.sh [SECONDS]     default 60 seconds per fuzzer
#
# Configures build/fuzz with clang++-14 and SELLERHEALTH_BUILD_FUZZERS=ON (tests, examples and
# benchmarks off), builds, copies each seed corpus fuzz/corpus/<name>/ to a fresh scratch corpus
# build/fuzz/run/<name>/corpus (the seeds in the repository are never written), and runs
# fuzz_<name> with -max_total_time=SECONDS. Crash, leak and timeout inputs go to
# build/fuzz/run/<name>/artifacts/, the full log to build/fuzz/run/<name>/log. Prints each
# fuzzer's executions ("Done N runs in S second(s)") and exits non-zero if any fuzzer failed.
# Reproduce a finding with: build/fuzz/fuzz/fuzz_<name> <artifact file>
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration="${1:-60}"
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS]   (a positive whole number, default 60)" >&2
  exit 2
fi

cxx="$(command -v clang++-14)" || { echo "fuzz.sh: clang++-14 not found (run scripts/install-deps.sh)" >&2; exit 1; }
dir="build/fuzz"

generator_args=()
generator="Unix Makefiles"
if command -v ninja >/dev/null 2>&1; then
  generator="Ninja"
  generator_args=(-G Ninja)
fi
# A tree configured with another generator or compiler cannot be reconfigured in place.
if [ -f "$dir/CMakeCache.txt" ]; then
  if ! grep -qx "CMAKE_GENERATOR:INTERNAL=$generator" "$dir/CMakeCache.txt" ||
     ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx" "$dir/CMakeCache.txt"; then
    echo "=== [fuzz] generator or compiler changed; starting the tree afresh"
    rm -rf "$dir"
  fi
fi

echo "=== [fuzz] configure and build $dir ($cxx)"
cmake -S . -B "$dir" "${generator_args[@]}" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1 -g" \
  -DSELLERHEALTH_BUILD_FUZZERS=ON -DSELLERHEALTH_BUILD_TESTS=OFF \
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
  echo "=== [fuzz_$name] ${duration}s, corpus $run/corpus"
  status=0
  "$exe" -max_total_time="$duration" -timeout=25 -print_final_stats=1 \
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
