# Sourced by scripts/test.sh and scripts/fuzz.sh: which CMake generator to use, and a guard for
# build trees configured earlier with another generator or compiler.

# Sets `generator` and `generator_args` (Ninja when it is installed, else Unix Makefiles).
generator_args=()
generator="Unix Makefiles"
if command -v ninja >/dev/null 2>&1; then
  generator="Ninja"
  generator_args=(-G Ninja)
fi

# reset_tree_if_changed <dir> <compiler path> <label>: a tree configured with another generator
# or compiler cannot be reconfigured in place, so it is removed and built afresh.
reset_tree_if_changed() {
  local dir="$1" cxx="$2" label="$3"
  if [ -f "$dir/CMakeCache.txt" ]; then
    if ! grep -qx "CMAKE_GENERATOR:INTERNAL=$generator" "$dir/CMakeCache.txt" ||
       ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx" "$dir/CMakeCache.txt"; then
      echo "=== [$label] generator or compiler changed; starting the tree afresh"
      rm -rf "$dir"
    fi
  fi
}
