# Configure, build and run the consumer project in one of two ways. Run with cmake -P:
#
#   cmake -DMODE=subdirectory|package -DSOURCE_DIR=<repo> -DCONSUMER_DIR=<repo>/tests/consumer
#         -DWORK_DIR=<scratch dir> [-DGENERATOR=...] [-DMAKE_PROGRAM=...] [-DCXX_COMPILER=...]
#         -P run_consumer.cmake
#
# package mode first installs the library from a fresh configure of SOURCE_DIR (tests, examples
# and benchmarks off) into WORK_DIR/prefix, then builds the consumer against that prefix only.
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS MODE SOURCE_DIR CONSUMER_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT MODE MATCHES "^(subdirectory|package)$")
  message(FATAL_ERROR "run_consumer.cmake: MODE must be subdirectory or package, not '${MODE}'")
endif()

# Same toolchain as the outer build; a clean slate each run so a stale cache proves nothing.
set(common_args -DCMAKE_BUILD_TYPE=Release)
if(GENERATOR)
  list(APPEND common_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
  list(APPEND common_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND common_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
# Never pick up a sellerhealth from the user's package registry.
list(APPEND common_args -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(step what)
  message(STATUS "[consumer.${MODE}] ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[consumer.${MODE}] ${what}: failed (${rc})")
  endif()
endfunction()

set(consumer_args -DSELLERHEALTH_CONSUME=${MODE} "-DSELLERHEALTH_SOURCE_DIR=${SOURCE_DIR}")

if(MODE STREQUAL "package")
  set(prefix "${WORK_DIR}/prefix")
  step("configure library" ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/library" ${common_args}
    -DSELLERHEALTH_BUILD_TESTS=OFF -DSELLERHEALTH_BUILD_EXAMPLES=OFF -DSELLERHEALTH_BUILD_BENCHMARKS=OFF
    "-DCMAKE_INSTALL_PREFIX=${prefix}")
  step("build library" ${CMAKE_COMMAND} --build "${WORK_DIR}/library" --config Release)
  step("install library" ${CMAKE_COMMAND} --install "${WORK_DIR}/library" --config Release --prefix "${prefix}")
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix}")
endif()

step("configure consumer" ${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" ${common_args} ${consumer_args})
step("build consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/consumer" --config Release)

# Single-config generators put the program at the top; multi-config ones under Release/.
set(exe "")
if(CMAKE_HOST_WIN32)
  set(exe ".exe")
endif()
set(program "${WORK_DIR}/consumer/consumer${exe}")
if(NOT EXISTS "${program}")
  set(program "${WORK_DIR}/consumer/Release/consumer${exe}")
endif()
step("run consumer" "${program}")
