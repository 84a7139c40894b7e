# Lints a man page: the page is not empty, and every formatter run succeeds and prints nothing.
# Usage: cmake -DPAGE=path/to/page.N -P lint_man_page.cmake
find_program(GROFF groff REQUIRED)
find_program(MANDOC mandoc REQUIRED)
file(SIZE ${PAGE} page_size)
if(page_size EQUAL 0)
  message(FATAL_ERROR "${PAGE} is empty")
endif()
foreach(command "${GROFF};-man;-ww;-z;${PAGE}" "${GROFF};-t;-man;-ww;-z;${PAGE}"
                "${MANDOC};-Tlint;-W;all;${PAGE}")
  execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT status EQUAL 0 OR NOT out STREQUAL "")
    string(REPLACE ";" " " shown "${command}")
    message(FATAL_ERROR "${shown} (status ${status}):\n${out}")
  endif()
endforeach()
