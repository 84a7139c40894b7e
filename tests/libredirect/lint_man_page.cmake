# Fails if groff or mandoc say anything at all about the page PAGE.
find_program(GROFF groff REQUIRED)
find_program(MANDOC mandoc REQUIRED)
execute_process(COMMAND ${GROFF} -man -ww -z ${PAGE}
                RESULT_VARIABLE groff_status OUTPUT_VARIABLE groff_out ERROR_VARIABLE groff_out)
execute_process(COMMAND ${MANDOC} -Tlint -W all ${PAGE}
                RESULT_VARIABLE mandoc_status OUTPUT_VARIABLE mandoc_out ERROR_VARIABLE mandoc_out)
file(SIZE ${PAGE} page_size)
if(page_size EQUAL 0)
  message(FATAL_ERROR "${PAGE} is empty")
endif()
if(NOT groff_status EQUAL 0 OR NOT groff_out STREQUAL "")
  message(FATAL_ERROR "groff -man -ww -z ${PAGE} (status ${groff_status}):\n${groff_out}")
endif()
if(NOT mandoc_status EQUAL 0 OR NOT mandoc_out STREQUAL "")
  message(FATAL_ERROR "mandoc -Tlint ${PAGE} (status ${mandoc_status}):\n${mandoc_out}")
endif()
message(STATUS "${PAGE}: no warnings")
