# Warning flags for lwsim's own targets (never for third-party headers, which are SYSTEM includes).
add_library(lwsim_warnings INTERFACE)
target_compile_options(lwsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough
  # GCC 12 reports false -Wrestrict positives on "literal" + std::string (GCC bug 105651).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${LWSIM_WERROR}>:-Werror>)

# Exact reproducibility: never let the compiler contract a*b+c into an FMA, which would make
# results depend on the instruction set the binary was compiled for.
add_library(lwsim_fp INTERFACE)
target_compile_options(lwsim_fp INTERFACE -ffp-contract=off -fno-fast-math -fno-math-errno)

if(LWSIM_SANITIZE)
  message(STATUS "lwsim: building with -fsanitize=${LWSIM_SANITIZE}")
  # With sanitizers at -O2, GCC 12 reports false -Wmaybe-uninitialized in libstdc++'s <regex>
  # (used by Catch2); the same code is clean without sanitizers, where the warning stays on.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(lwsim_warnings INTERFACE -Wno-maybe-uninitialized)
    # With -fsanitize=thread, GCC 12 reports a false -Wnull-dereference inside libstdc++'s
    # std::string when CLI11 splits strings (CLI/StringTools.hpp); clean without ThreadSanitizer.
    if(LWSIM_SANITIZE MATCHES "thread")
      target_compile_options(lwsim_warnings INTERFACE -Wno-null-dereference)
    endif()
  endif()
  add_compile_options(-fsanitize=${LWSIM_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${LWSIM_SANITIZE})
endif()
