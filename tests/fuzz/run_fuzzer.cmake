# One bounded fuzzing run, as a ctest case: copies the committed seed corpus SEEDS into a fresh
# WORK/corpus (libFuzzer adds what it finds there, never to SEEDS), runs FUZZER on it for
# SECONDS, and fails when the fuzzer stops on anything but the time limit: a crash, a failed
# property, a sanitizer report, a leak, a timeout or an out-of-memory. The input that did it
# is left in WORK as crash-*, leak-*, timeout-* or oom-*.
# cmake -DFUZZER=... -DSEEDS=... -DWORK=... -DSECONDS=... [-DDICTIONARY=...] -P run_fuzzer.cmake
foreach(variable FUZZER SEEDS WORK SECONDS)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${variable}= is missing")
  endif()
endforeach()

file(GLOB seeds ${SEEDS}/*)
if(NOT seeds)
  message(FATAL_ERROR "no seeds in ${SEEDS}")
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus)
file(COPY ${seeds} DESTINATION ${WORK}/corpus)

set(arguments -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              -artifact_prefix=${WORK}/)
if(DICTIONARY)
  list(APPEND arguments -dict=${DICTIONARY})
endif()
execute_process(COMMAND ${FUZZER} ${arguments} ${WORK}/corpus
                WORKING_DIRECTORY ${WORK}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(GLOB found ${WORK}/crash-* ${WORK}/leak-* ${WORK}/timeout-* ${WORK}/oom-*)
  message(FATAL_ERROR "${FUZZER} stopped with status ${status}; input(s): ${found}")
endif()
