# Run after each build of connmgr_models (cmake -P): writes OUTPUT, a ctest file with one test per
# scenario that `MODELS --list` prints, each the exhaustive search with context bound 2.
execute_process(COMMAND "${MODELS}" --list OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${MODELS} --list failed (${status})")
endif()
string(REPLACE ";" "," listing "${listing}")  # A summary's ';' would split a CMake list.
string(REGEX MATCHALL "[^\n]+" lines "${listing}")
set(tests "")
foreach(line IN LISTS lines)
  string(REGEX MATCH "^[^ ]+" name "${line}")
  string(APPEND tests
    "add_test([=[model/${name}]=] \"${MODELS}\" --scenario ${name} --scheduler bound --bound 2)\n"
    "set_tests_properties([=[model/${name}]=] PROPERTIES LABELS model TIMEOUT 600)\n")
endforeach()
file(WRITE "${OUTPUT}" "${tests}")
