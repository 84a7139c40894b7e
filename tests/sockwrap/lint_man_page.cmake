# Lints a man page: every command must succeed and print nothing.
# Usage: cmake -DPAGE=path/to/page.1 -P lint_man_page.cmake
find_program(GROFF groff REQUIRED)
find_program(MANDOC mandoc REQUIRED)
foreach(command "${GROFF};-man;-ww;-z;${PAGE}" "${GROFF};-t;-man;-ww;-z;${PAGE}"
                "${MANDOC};-Tlint;${PAGE}")
  execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT status EQUAL 0 OR NOT out STREQUAL "")
    string(REPLACE ";" " " shown "${command}")
    message(FATAL_ERROR "${shown} (status ${status}):\n${out}")
  endif()
endforeach()
