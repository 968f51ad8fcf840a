# Runs an example and checks what it prints.
#
#   cmake -DPROGRAM=<exe> [-DWORKING_DIRECTORY=<dir>] (-DEXPECTED=<file> | -DPATTERNS=<file>) -P check_output.cmake
#
# EXPECTED: standard output must equal the file exactly.
# PATTERNS: standard output must match every regular expression in the file, one per line (CMake
#           syntax; `\n` stands for a line break; lines starting with # and blank lines are skipped).
# Either way the program must exit 0 and print nothing on standard error (where sanitizers report).
if(NOT PROGRAM OR (NOT EXPECTED AND NOT PATTERNS))
  message(FATAL_ERROR "check_output.cmake: give PROGRAM and EXPECTED or PATTERNS")
endif()
if(NOT WORKING_DIRECTORY)
  set(WORKING_DIRECTORY .)
endif()
execute_process(COMMAND ${PROGRAM}
  WORKING_DIRECTORY ${WORKING_DIRECTORY}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
string(REPLACE "\r\n" "\n" out "${out}")
if(NOT status EQUAL 0 OR NOT err STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} exited with ${status}; standard error:\n${err}\nstandard output:\n${out}")
endif()

if(EXPECTED)
  file(READ ${EXPECTED} want)
  string(REPLACE "\r\n" "\n" want "${want}")
  if(NOT out STREQUAL want)
    get_filename_component(name ${PROGRAM} NAME)
    file(WRITE ${WORKING_DIRECTORY}/${name}.actual "${out}")
    message(FATAL_ERROR "output differs from ${EXPECTED} (got ${WORKING_DIRECTORY}/${name}.actual):\n${out}")
  endif()
endif()

if(PATTERNS)
  file(STRINGS ${PATTERNS} lines)
  set(missing "")
  foreach(pattern IN LISTS lines)
    if(pattern MATCHES "^#" OR pattern STREQUAL "")
      continue()
    endif()
    string(REPLACE "\\n" "\n" regex "${pattern}")
    if(NOT out MATCHES "${regex}")
      string(APPEND missing "  ${pattern}\n")
    endif()
  endforeach()
  if(missing)
    message(FATAL_ERROR "output of ${PROGRAM} does not match:\n${missing}output:\n${out}")
  endif()
endif()
