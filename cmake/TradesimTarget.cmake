# Per-target compiler settings: warnings, warnings-as-errors and sanitizers are attached to
# each of our targets, never set globally, so third-party headers and flags stay untouched.
function(tradesim_target_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(TRADESIM_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TRADESIM_FUZZ)
    # Coverage for libFuzzer; the fuzz targets link with -fsanitize=fuzzer (fuzz/CMakeLists.txt).
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  elseif(TRADESIM_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# One library per layer of sim/: tradesim_layer(NAME SOURCES... DEPS ...)
function(tradesim_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tradesim_${name} STATIC ${L_SOURCES})
  target_include_directories(tradesim_${name} PUBLIC ${PROJECT_SOURCE_DIR}/sim ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(tradesim_${name} PUBLIC ${L_DEPS})
  tradesim_target_options(tradesim_${name})
endfunction()
