#!/usr/bin/env bash
# Build and run every sellerhealth test: four build trees under build/, each with
# SELLERHEALTH_WERROR=ON (warnings are errors in CI, not in a user's build).
#
#   build/gcc    g++-12 Release (-O3), as a user builds it: tests, examples, benchmarks
#   build/asan   clang++-14 -O1, ASan+UBSan (SELLERHEALTH_SANITIZE=ON): tests, examples and
#                benchmarks (built, not run), so this tree is also the one that proves every
#                target compiles warning-free with Clang (an unsanitized Clang -O2 tree ran the
#                same tests a third time and took a quarter of CI's time; it went to keep CI
#                under 15 minutes)
#   build/tsan   clang++-14 -O1, ThreadSanitizer (SELLERHEALTH_SANITIZE_THREAD=ON): only the
#                command and the tests that run threads (target sellerhealth_threaded_tests), and
#                only the tests named Cli, CommandScale, Replay, Report, Series, Threads or
#                Sharded, which run the command with several --threads values and the library's
#                parallel replay and report
#   build/fuzz   clang++-14 libFuzzer targets, each run with a fixed seed and run count
#
# Each tree is configured, built and tested even if an earlier one failed; the script prints one
# summary line per tree (with its time) and exits non-zero if any step of any tree failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
source scripts/cmake-tree.sh

summary=()
failed=0
total_passed=0
total_failed=0

# run_tree <name> <compiler> <build type> <flags> <extra cmake args...>; builds ${build_targets[@]}
# (everything when empty) and runs ctest with ${ctest_args[@]}, with ${test_env[@]} set.
test_env=()
build_targets=()
ctest_args=()
run_tree() {
  local name="$1" cxx="$2" build_type="$3" flags="$4"
  shift 4
  cxx="$(command -v "$cxx")" || { echo "test.sh: compiler $2 not found (run scripts/install-deps.sh)" >&2; exit 1; }
  local dir="build/$name" start=$SECONDS log
  log="$(mktemp)"
  echo "=== [$name] $cxx ${build_type:+$build_type }$flags"

  reset_tree_if_changed "$dir" "$cxx" "$name"

  local status="PASS" detail="" target_args=()
  if [ "${#build_targets[@]}" -gt 0 ]; then target_args=(--target "${build_targets[@]}"); fi
  if ! cmake -S . -B "$dir" "${generator_args[@]}" \
       -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_CXX_FLAGS="$flags" \
       -DSELLERHEALTH_WERROR=ON -DSELLERHEALTH_BUILD_TESTS=ON -DSELLERHEALTH_BUILD_EXAMPLES=ON "$@"; then
    status="FAIL"; detail="configure failed"
  elif ! cmake --build "$dir" -j2 "${target_args[@]}"; then
    status="FAIL"; detail="build failed"
  elif ! env "${test_env[@]}" ctest --test-dir "$dir" --output-on-failure -j2 --no-tests=error \
       "${ctest_args[@]}" 2>&1 | tee "$log"; then
    status="FAIL"; detail="tests failed"
  fi
  local counts
  counts="$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n1 || true)"
  if [[ "$counts" =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
    total_failed=$((total_failed + BASH_REMATCH[1]))
    total_passed=$((total_passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  fi
  rm -f "$log"
  if [ -n "$counts" ]; then detail="${detail:+$detail; }$counts"; fi
  if [ "$status" != PASS ]; then failed=1; fi
  summary+=("$(printf '%-6s %-4s %4ss  %s' "$name" "$status" "$((SECONDS - start))" "$detail")")
}

run_tree gcc g++-12 Release "" -DSELLERHEALTH_BUILD_BENCHMARKS=ON
test_env=(ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)
run_tree asan clang++-14 "" "-O1 -g" -DSELLERHEALTH_BUILD_BENCHMARKS=ON -DSELLERHEALTH_SANITIZE=ON
# The command's threads: a race anywhere stops the command (exit 66), which fails its test.
test_env=(TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1)
build_targets=(sellerhealth_threaded_tests)
ctest_args=(-R 'Cli|CommandScale|Replay|Report|Series|Threads|Sharded')
run_tree tsan clang++-14 "" "-O1 -g" -DSELLERHEALTH_BUILD_BENCHMARKS=OFF -DSELLERHEALTH_SANITIZE_THREAD=ON
build_targets=()
ctest_args=()

# The fuzzers, a fixed seed and number of runs each (scripts/fuzz.sh --ci).
fuzz_start=$SECONDS
fuzz_log="$(mktemp)"
if bash scripts/fuzz.sh --ci 2>&1 | tee "$fuzz_log"; then fuzz_status=PASS; else fuzz_status=FAIL; failed=1; fi
fuzz_detail="$(grep -E '^  fuzz_' "$fuzz_log" | sed 's/^  //' | paste -sd ';' - || true)"
rm -f "$fuzz_log"
summary+=("$(printf '%-6s %-4s %4ss  %s' fuzz "$fuzz_status" "$((SECONDS - fuzz_start))" "$fuzz_detail")")

echo
echo "=== summary ($root)"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
exit "$failed"
