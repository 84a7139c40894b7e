# SOCKWRAP_FUZZ: checks that the compiler can build libFuzzer targets and instruments the whole
# build for them. Included from the top-level CMakeLists.txt before any library is defined, so
# that libredirect and sockwrap_core are compiled with coverage (fuzzer-no-link) and the
# sanitizers; the fuzz targets themselves add -fsanitize=fuzzer (tests/fuzz/CMakeLists.txt).

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "SOCKWRAP_FUZZ=ON needs clang, not ${CMAKE_CXX_COMPILER_ID} (${CMAKE_CXX_COMPILER}): "
    "configure a fresh build directory with -DCMAKE_CXX_COMPILER=clang++ "
    "-DCMAKE_C_COMPILER=clang")
endif()

# The libFuzzer runtime is a separate package (libclang-rt-14-dev on Debian 12) that a clang
# installed without its recommended packages lacks: say so here, not at the first link.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer,address,undefined)
set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer,address,undefined)
check_cxx_source_compiles([[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] SOCKWRAP_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT SOCKWRAP_HAVE_LIBFUZZER)
  message(FATAL_ERROR
    "SOCKWRAP_FUZZ=ON: ${CMAKE_CXX_COMPILER} cannot link -fsanitize=fuzzer,address,undefined; "
    "on Debian 12 install clang libfuzzer-14-dev libclang-rt-14-dev (scripts/setup.sh does)")
endif()

# C++ only: the one C target, the preload library, is never instrumented (see its CMakeLists).
add_compile_options(
  "$<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link,address,undefined>"
  "$<$<COMPILE_LANGUAGE:CXX>:-fno-sanitize-recover=undefined>"
  "$<$<COMPILE_LANGUAGE:CXX>:-fno-omit-frame-pointer>")
add_link_options(-fsanitize=address,undefined)
