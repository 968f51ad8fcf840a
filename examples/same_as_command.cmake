# Runs an example and the `sellerhealth` command on the same input and checks that they print the
# same bytes: the example shows a library route to what the command does.
#
#   cmake -DPROGRAM=<exe> -DPROGRAM_ARGS=<a|b> -DCOMMAND_EXE=<sellerhealth> -DCOMMAND_ARGS=<a|b> -P same_as_command.cmake
#
# Arguments are separated by `|` (a `;` does not survive add_test's quoting).
# Both must exit 0 and print nothing on standard error.
foreach(side IN ITEMS PROGRAM COMMAND_EXE)
  if(NOT ${side})
    message(FATAL_ERROR "same_as_command.cmake: give ${side}")
  endif()
endforeach()
string(REPLACE "|" ";" PROGRAM_ARGS "${PROGRAM_ARGS}")
string(REPLACE "|" ";" COMMAND_ARGS "${COMMAND_ARGS}")
execute_process(COMMAND ${PROGRAM} ${PROGRAM_ARGS} OUTPUT_VARIABLE mine ERROR_VARIABLE mine_err RESULT_VARIABLE mine_status)
execute_process(COMMAND ${COMMAND_EXE} ${COMMAND_ARGS} OUTPUT_VARIABLE theirs ERROR_VARIABLE theirs_err
  RESULT_VARIABLE theirs_status)
if(NOT mine_status EQUAL 0 OR NOT mine_err STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} exited with ${mine_status}; standard error:\n${mine_err}")
endif()
if(NOT theirs_status EQUAL 0 OR NOT theirs_err STREQUAL "")
  message(FATAL_ERROR "${COMMAND_EXE} exited with ${theirs_status}; standard error:\n${theirs_err}")
endif()
if(mine STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} printed nothing")
endif()
if(NOT mine STREQUAL theirs)
  message(FATAL_ERROR "${PROGRAM} and ${COMMAND_EXE} differ:\n--- example\n${mine}\n--- command\n${theirs}")
endif()
